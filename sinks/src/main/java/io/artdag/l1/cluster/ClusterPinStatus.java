package io.artdag.l1.cluster;

import java.util.Map;
import org.apache.flink.annotation.Internal;

/**
 * The cluster-wide status of one CID ({@code GET /pins/{cid}}): every peer's tracker status. Peers
 * the cluster no longer counts (down for longer than its metrics live) are absent, so compare
 * {@link #pinnedCount()} with the replication you need, not with {@code peers().size()}.
 *
 * @param cid the CID
 * @param name the pin's name ({@code ""} when not pinned)
 * @param peers by cluster peer id
 */
@Internal
public record ClusterPinStatus(String cid, String name, Map<String, PeerPinStatus> peers) {
    public ClusterPinStatus {
        peers = Map.copyOf(peers);
    }

    /**
     * One peer's view.
     *
     * @param peerId the cluster peer id
     * @param peerName its configured name
     * @param state its tracker status
     * @param status the status as the cluster wrote it
     * @param error the peer's error, {@code ""} if none
     */
    public record PeerPinStatus(
            String peerId, String peerName, ClusterPinState state, String status, String error) {}

    /** How many peers report {@code pinned}. */
    public int pinnedCount() {
        return count(ClusterPinState.PINNED);
    }

    /** How many peers report {@code state}. */
    public int count(ClusterPinState state) {
        return (int) peers.values().stream().filter(p -> p.state() == state).count();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(cid).append(" {");
        peers.values().stream()
                .sorted(java.util.Comparator.comparing(PeerPinStatus::peerName))
                .forEach(
                        p -> {
                            sb.append(' ').append(p.peerName()).append('=').append(p.status());
                            if (!p.error().isEmpty()) {
                                sb.append(" (").append(p.error()).append(')');
                            }
                        });
        return sb.append(" }").toString();
    }
}
