package io.artdag.l1.sink.segment;

import java.io.Serializable;
import org.apache.flink.annotation.Internal;

/**
 * Hooks at the points where a crash matters, for failover tests. The default does nothing; a test
 * implementation throws to simulate a task failure there.
 */
@Internal
public interface FaultInjector extends Serializable {
    FaultInjector NONE = new FaultInjector() {};

    /** After a block is appended to the open segment, mid-file. */
    default void afterBlock(String writerId, long blocksWritten) throws Exception {}

    /** After a segment is sealed (fsynced in staging), before its checkpoint commits it. */
    default void afterSeal(String segment) throws Exception {}

    /** During a commit: after the local store has recorded it, before l1 mode publishes it. */
    default void duringCommit(SegmentCommittable committable) throws Exception {}
}
