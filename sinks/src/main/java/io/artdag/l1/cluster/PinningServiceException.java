package io.artdag.l1.cluster;

import org.apache.flink.annotation.Internal;

/**
 * An IPFS Pinning Service API call failed with an answer that retrying will not change (a 4xx: bad
 * CID, unknown pin, wrong credentials); see {@link PinningServiceUnavailableException} for the
 * retryable kind.
 */
@Internal
public class PinningServiceException extends PinBackendException {
    private static final long serialVersionUID = 1L;

    public PinningServiceException(
            String backend, String request, int httpStatus, String detail, Throwable cause) {
        super("pinning service", backend, request, httpStatus, detail, cause);
    }
}
