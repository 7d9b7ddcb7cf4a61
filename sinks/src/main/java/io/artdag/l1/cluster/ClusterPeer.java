package io.artdag.l1.cluster;

import org.apache.flink.annotation.Internal;

/**
 * A cluster peer as {@code GET /id} or {@code GET /peers} describes it.
 *
 * @param id the cluster peer id
 * @param peerName its configured name ({@code ""} when the peer could not be asked)
 * @param ipfsId the peer id of its IPFS daemon ({@code ""} when unknown)
 * @param error why the peer could not be asked, {@code ""} if it answered
 */
@Internal
public record ClusterPeer(String id, String peerName, String ipfsId, String error) {
    /** True when the peer answered. */
    public boolean reachable() {
        return error.isEmpty();
    }
}
