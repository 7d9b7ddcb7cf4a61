package io.artdag.l1.sink.segment;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.metrics.MetricGroup;

/**
 * What a writer does with each segment it seals before the checkpoint that names it: hands it to a
 * place every machine of the job can reach, so that a committable restored on another machine
 * commits without the sealing machine's disk (l1 mode: an unpinned import into Kubo, see
 * docs/scaling.md). The commit is what makes a handed-off segment visible; a handed-off segment
 * whose checkpoint never completes stays invisible.
 */
@PublicEvolving
public interface SegmentHandoff extends AutoCloseable {

    /**
     * Hands off {@code file}, sealed and fsynced, whose description is {@code segment}. Returns
     * only once the segment is held elsewhere; throws when it cannot be (the task then fails and
     * restores: the segment's inputs are processed again).
     */
    void handOff(Path file, SealedSegment segment) throws IOException, InterruptedException;

    @Override
    default void close() throws Exception {}

    /** Creates the handoff of one writer; part of the sink, so it is serializable. */
    interface Factory extends Serializable {
        /**
         * @param metrics the writer's metric group, for the handoff's own metrics
         */
        SegmentHandoff create(MetricGroup metrics);
    }
}
