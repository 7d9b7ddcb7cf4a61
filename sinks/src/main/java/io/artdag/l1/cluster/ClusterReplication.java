package io.artdag.l1.cluster;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The replication factors of an IPFS Cluster pin: {@link #EVERYWHERE} ({@code -1}/{@code -1}) or
 * {@code 1 <= min <= max}; see {@link PinOptions} for what the cluster does with them.
 *
 * @param min fewest peers the pin must be allocated to
 * @param max most peers the pin is allocated to
 */
@Internal
public record ClusterReplication(int min, int max) implements java.io.Serializable {
    /** Every cluster peer, the default of IPFS Cluster and of {@link PinOptions}. */
    public static final ClusterReplication EVERYWHERE = new ClusterReplication(-1, -1);

    /**
     * @throws IllegalArgumentException unless both are -1 or {@code 1 <= min <= max}, the
     *     combinations IPFS Cluster accepts (0 would mean its configured default)
     */
    public ClusterReplication {
        boolean everywhere = min == -1 && max == -1;
        if (!everywhere && !(min >= 1 && min <= max)) {
            throw new IllegalArgumentException(
                    "replication min/max must both be -1 (every peer) or satisfy 1 <= min <= max,"
                            + " got "
                            + min
                            + "/"
                            + max);
        }
    }

    /** From {@link PinOptions#CLUSTER_REPLICATION_MIN} and {@code _MAX}; names them on error. */
    public static ClusterReplication fromConfig(ReadableConfig config) {
        int min = config.get(PinOptions.CLUSTER_REPLICATION_MIN);
        int max = config.get(PinOptions.CLUSTER_REPLICATION_MAX);
        try {
            return new ClusterReplication(min, max);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    PinOptions.CLUSTER_REPLICATION_MIN.key()
                            + "/"
                            + PinOptions.CLUSTER_REPLICATION_MAX.key()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** True for {@code -1}/{@code -1}. */
    public boolean everywhere() {
        return min == -1;
    }
}
