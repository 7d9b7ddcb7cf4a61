package io.artdag.l1.cluster;

import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * A pin as IPFS Cluster recorded it in its shared state ({@code POST /pins/{cid}}).
 *
 * @param cid the pinned CID
 * @param name the pin's name ({@code ""} if none)
 * @param replicationMin the replication factors the cluster applied
 * @param replicationMax see {@code replicationMin}
 * @param allocations peer ids the pin is allocated to; empty when it is pinned everywhere
 */
@Internal
public record ClusterPin(
        String cid, String name, int replicationMin, int replicationMax, List<String> allocations) {
    public ClusterPin {
        allocations = List.copyOf(allocations);
    }
}
