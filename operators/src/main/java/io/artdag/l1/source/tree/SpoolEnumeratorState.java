package io.artdag.l1.source.tree;

import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;

/**
 * What a followed spool's enumerator checkpoints: the ctime threshold below which every ready node
 * has been offered, the nodes offered at or after it (keyed by their {@code metadata.json}, with
 * their directory's ctime), and the offered nodes no reader has taken yet. Bounded by the nodes
 * that became ready within a scan's slack and by those not yet read, not by every node ever seen.
 *
 * @param threshold the ctime (epoch millis) from which the next scan looks again
 * @param recent the nodes offered whose ctime is at or after {@code threshold}
 * @param unassigned the offered {@code metadata.json} paths no reader has taken yet, in order
 */
@Internal
public record SpoolEnumeratorState(
        long threshold, Map<String, Long> recent, List<String> unassigned) {
    public SpoolEnumeratorState {
        recent = Map.copyOf(recent);
        unassigned = List.copyOf(unassigned);
    }

    /** A spool nothing has been read from. */
    public static SpoolEnumeratorState initial() {
        return new SpoolEnumeratorState(Long.MIN_VALUE, Map.of(), List.of());
    }
}
