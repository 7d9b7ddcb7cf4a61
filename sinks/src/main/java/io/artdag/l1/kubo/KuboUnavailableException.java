package io.artdag.l1.kubo;

import org.apache.flink.annotation.Internal;

/**
 * Kubo could not be reached (connection refused or reset, connect timeout), did not answer within
 * the request timeout, or answered 502/503/504. Callers may retry with backoff; every call this
 * client makes is idempotent on the Kubo side.
 */
@Internal
public class KuboUnavailableException extends KuboException {
    private static final long serialVersionUID = 1L;

    public KuboUnavailableException(
            String endpoint, int httpStatus, String message, Throwable cause) {
        super(endpoint, httpStatus, null, message, cause);
    }

    @Override
    public boolean isUnavailable() {
        return true;
    }
}
