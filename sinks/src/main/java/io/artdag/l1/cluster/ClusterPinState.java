package io.artdag.l1.cluster;

import java.util.Locale;
import org.apache.flink.annotation.Internal;

/** One peer's tracker status of a pin in IPFS Cluster ({@code GET /pins/{cid}}'s peer_map). */
@Internal
public enum ClusterPinState {
    PINNED,
    PINNING,
    PIN_QUEUED,
    PIN_ERROR,
    UNPINNED,
    UNPINNING,
    UNPIN_QUEUED,
    UNPIN_ERROR,
    /** Pinned elsewhere: this peer is not one of the pin's allocations. */
    REMOTE,
    /** The peer could not be asked (down or unreachable). */
    CLUSTER_ERROR,
    SHARDED,
    UNEXPECTEDLY_UNPINNED,
    UNDEFINED,
    /** A status this client does not know. */
    OTHER;

    /** The state of a wire status such as {@code pin_queued}; {@link #OTHER} when unknown. */
    public static ClusterPinState of(String wire) {
        if (wire == null || wire.isBlank()) {
            return UNDEFINED;
        }
        try {
            return valueOf(wire.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return OTHER;
        }
    }

    /** True for {@code pin_error}, {@code unpin_error} and {@code cluster_error}. */
    public boolean isError() {
        return this == PIN_ERROR || this == UNPIN_ERROR || this == CLUSTER_ERROR;
    }
}
