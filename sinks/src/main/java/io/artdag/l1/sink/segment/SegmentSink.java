package io.artdag.l1.sink.segment;

import io.artdag.l1.operators.IngestEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Stores new content as CARv2 segments in a local store, exactly once: writers chunk files into
 * segments that seal at every checkpoint, and the committer makes them visible when the checkpoint
 * completes. Duplicates and rejected inputs ride along and are recorded in the same commit. Build
 * with {@link #builder()}.
 */
@PublicEvolving
public class SegmentSink
        implements Sink<IngestEvent>,
                SupportsCommitter<SegmentCommittable>,
                SupportsWriterState<IngestEvent, SegmentWriterState> {
    private static final long serialVersionUID = 1L;

    /** The store's directory; null with per-TaskManager staging. */
    private final String storeRoot;

    /** Per-TaskManager staging: the base directory, "" for the temporary directory; else null. */
    private final String stagingBase;

    private final String profileId;
    private final long sealBytes;
    private final long sealAgeMillis;
    private final int headerReserveBytes;
    private final int commitMaxRetries;
    private final boolean retainLocal;
    private final FaultInjector faultInjector;
    private final SegmentPublisher.Factory publisher;
    private final SegmentHandoff.Factory handoff;

    SegmentSink(
            String storeRoot,
            String stagingBase,
            String profileId,
            long sealBytes,
            long sealAgeMillis,
            int headerReserveBytes,
            int commitMaxRetries,
            boolean retainLocal,
            FaultInjector faultInjector,
            SegmentPublisher.Factory publisher,
            SegmentHandoff.Factory handoff) {
        this.storeRoot = storeRoot;
        this.stagingBase = stagingBase;
        this.handoff = handoff;
        this.profileId = profileId;
        this.sealBytes = sealBytes;
        this.sealAgeMillis = sealAgeMillis;
        this.headerReserveBytes = headerReserveBytes;
        this.commitMaxRetries = commitMaxRetries;
        this.retainLocal = retainLocal;
        this.faultInjector = faultInjector;
        this.publisher = publisher;
    }

    public static SegmentSinkBuilder builder() {
        return new SegmentSinkBuilder();
    }

    @Override
    public SegmentWriter createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public SegmentWriter restoreWriter(
            WriterInitContext context, Collection<SegmentWriterState> recoveredState)
            throws IOException {
        return new SegmentWriter(
                this,
                storeRoot(() -> context.getJobInfo().getJobId()),
                context.getProcessingTimeService(),
                context.metricGroup(),
                recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<SegmentWriterState> getWriterStateSerializer() {
        return new SegmentWriterStateSerializer();
    }

    @Override
    public Committer<SegmentCommittable> createCommitter(CommitterInitContext context) {
        return new SegmentCommitter(
                this, storeRoot(() -> context.getJobInfo().getJobId()), context.metricGroup());
    }

    @Override
    public SimpleVersionedSerializer<SegmentCommittable> getCommittableSerializer() {
        return new SegmentCommittableSerializer();
    }

    /**
     * The store this job's writers and committers use on this machine: the store path, or with
     * per-TaskManager staging {@code <staging base>/<job id>} (a failover of the job keeps its id,
     * so a subtask restored on the same TaskManager finds what it sealed there).
     */
    Path storeRoot(java.util.function.Supplier<JobID> jobId) {
        if (stagingBase == null) {
            return Path.of(storeRoot);
        }
        Path base =
                stagingBase.isEmpty()
                        ? Path.of(System.getProperty("java.io.tmpdir"), "artdag-l1-staging")
                        : Path.of(stagingBase);
        return base.resolve(jobId.get().toHexString());
    }

    /** Whether segments are staged on each TaskManager's own disk. */
    boolean perTaskManagerStaging() {
        return stagingBase != null;
    }

    /** What writers do with sealed segments before their checkpoint; null: nothing. */
    SegmentHandoff.Factory handoff() {
        return handoff;
    }

    String profileId() {
        return profileId;
    }

    long sealBytes() {
        return sealBytes;
    }

    long sealAgeMillis() {
        return sealAgeMillis;
    }

    int headerReserveBytes() {
        return headerReserveBytes;
    }

    int commitMaxRetries() {
        return commitMaxRetries;
    }

    /** Whether published segments keep their local file (always, without a publisher). */
    boolean retainLocal() {
        return retainLocal || publisher == null;
    }

    FaultInjector faultInjector() {
        return faultInjector;
    }

    /** Where committed segments are published (l1 mode); null in local mode. */
    SegmentPublisher.Factory publisher() {
        return publisher;
    }
}
