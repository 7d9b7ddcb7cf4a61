package io.artdag.l1.cluster;

import org.apache.flink.annotation.Internal;

/**
 * An IPFS Cluster REST API call could not be completed for now: the backend could not be reached
 * (connection refused or reset, connect timeout), did not answer within the request timeout, or
 * answered 5xx. Callers may retry with backoff.
 */
@Internal
public class IpfsClusterUnavailableException extends IpfsClusterException
        implements PinBackendException.Unavailable {
    private static final long serialVersionUID = 1L;

    public IpfsClusterUnavailableException(
            String backend, String request, int httpStatus, String detail, Throwable cause) {
        super(backend, request, httpStatus, detail, cause);
    }
}
