package io.artdag.l1.kubo;

import java.io.IOException;
import org.apache.flink.annotation.Internal;

/**
 * A Kubo RPC call failed. Carries the endpoint (for example {@code dag/import}), the HTTP status
 * ({@code -1} when no response arrived), Kubo's error code ({@code null} when the response carried
 * no Kubo error JSON) and Kubo's message.
 *
 * <p>{@link KuboUnavailableException} is the retryable flavour: the daemon could not be reached or
 * answered 502/503/504 or did not answer in time.
 */
@Internal
public class KuboException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final int httpStatus;
    private final Integer kuboCode;
    private final String kuboMessage;

    public KuboException(
            String endpoint,
            int httpStatus,
            Integer kuboCode,
            String kuboMessage,
            Throwable cause) {
        super(format(endpoint, httpStatus, kuboCode, kuboMessage), cause);
        this.endpoint = endpoint;
        this.httpStatus = httpStatus;
        this.kuboCode = kuboCode;
        this.kuboMessage = kuboMessage;
    }

    public KuboException(String endpoint, int httpStatus, Integer kuboCode, String kuboMessage) {
        this(endpoint, httpStatus, kuboCode, kuboMessage, null);
    }

    private static String format(String endpoint, int status, Integer code, String message) {
        StringBuilder sb = new StringBuilder("Kubo ").append(endpoint).append(" failed");
        if (status >= 0) {
            sb.append(" (HTTP ").append(status);
            if (code != null) {
                sb.append(", code ").append(code);
            }
            sb.append(')');
        }
        if (message != null && !message.isEmpty()) {
            sb.append(": ").append(message);
        }
        return sb.toString();
    }

    /** The RPC endpoint below {@code /api/v0/}, e.g. {@code pin/ls}. */
    public String endpoint() {
        return endpoint;
    }

    /** The HTTP status, or {@code -1} when no HTTP response was received. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Kubo's error {@code Code} from its error JSON, or {@code null}. */
    public Integer kuboCode() {
        return kuboCode;
    }

    /** Kubo's error {@code Message} (or the plain response text / local reason). */
    public String kuboMessage() {
        return kuboMessage;
    }

    /** True when the call may succeed if retried later (daemon down, overloaded, timed out). */
    public boolean isUnavailable() {
        return false;
    }
}
