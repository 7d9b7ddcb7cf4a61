package io.artdag.l1.cluster;

import java.io.IOException;
import org.apache.flink.annotation.Internal;

/**
 * A call to a pinning backend (an IPFS Cluster REST API or an IPFS Pinning Service API) failed.
 * Carries the backend's base URL, the request (for example {@code POST /pins/bafy...}), the HTTP
 * status ({@code -1} when no response arrived) and the backend's message.
 *
 * <p>{@link #retryable()} says whether the same call may succeed later: true when the backend could
 * not be reached, timed out or answered 5xx (the {@code ...UnavailableException} subclasses, which
 * implement {@link Unavailable}); false for 4xx answers (a bad CID, a wrong token: retrying cannot
 * help).
 */
@Internal
public abstract class PinBackendException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String backend;
    private final String request;
    private final int httpStatus;
    private final String detail;

    protected PinBackendException(
            String kind,
            String backend,
            String request,
            int httpStatus,
            String detail,
            Throwable cause) {
        super(format(kind, backend, request, httpStatus, detail), cause);
        this.backend = backend;
        this.request = request;
        this.httpStatus = httpStatus;
        this.detail = detail;
    }

    private static String format(
            String kind, String backend, String request, int status, String detail) {
        StringBuilder sb = new StringBuilder(kind).append(' ').append(backend).append(": ");
        sb.append(detail == null || detail.isEmpty() ? "failed" : detail);
        sb.append(" (").append(request);
        if (status >= 0) {
            sb.append(", HTTP ").append(status);
        }
        return sb.append(')').toString();
    }

    /** The backend's base URL, e.g. {@code http://127.0.0.1:9094}. */
    public String backend() {
        return backend;
    }

    /** Method and path of the failed request, e.g. {@code GET /pins/bafy...}. */
    public String request() {
        return request;
    }

    /** The HTTP status, or {@code -1} when no HTTP response was received. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The backend's error message (or the local reason). */
    public String detail() {
        return detail;
    }

    /** True when the call may succeed if retried later (backend down, overloaded, timed out). */
    public boolean retryable() {
        return this instanceof Unavailable;
    }

    /** Implemented by the retryable kind of each client's exceptions. */
    interface Unavailable {}
}
