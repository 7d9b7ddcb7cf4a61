package io.artdag.l1.cluster;

import org.apache.flink.annotation.Internal;

/**
 * An IPFS Cluster REST API call failed with an answer that retrying will not change (a 4xx: bad
 * CID, unknown pin, wrong credentials); see {@link IpfsClusterUnavailableException} for the
 * retryable kind.
 */
@Internal
public class IpfsClusterException extends PinBackendException {
    private static final long serialVersionUID = 1L;

    public IpfsClusterException(
            String backend, String request, int httpStatus, String detail, Throwable cause) {
        super("ipfs-cluster", backend, request, httpStatus, detail, cause);
    }
}
