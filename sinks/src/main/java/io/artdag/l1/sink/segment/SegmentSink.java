package io.artdag.l1.sink.segment;

import io.artdag.l1.operators.IngestEvent;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
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

    private final String storeRoot;
    private final String profileId;
    private final long sealBytes;
    private final long sealAgeMillis;
    private final int headerReserveBytes;
    private final int commitMaxRetries;
    private final boolean retainLocal;
    private final FaultInjector faultInjector;
    private final SegmentPublisher.Factory publisher;

    SegmentSink(
            String storeRoot,
            String profileId,
            long sealBytes,
            long sealAgeMillis,
            int headerReserveBytes,
            int commitMaxRetries,
            boolean retainLocal,
            FaultInjector faultInjector,
            SegmentPublisher.Factory publisher) {
        this.storeRoot = storeRoot;
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
                this, context.getProcessingTimeService(), context.metricGroup(), recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<SegmentWriterState> getWriterStateSerializer() {
        return new SegmentWriterStateSerializer();
    }

    @Override
    public Committer<SegmentCommittable> createCommitter(CommitterInitContext context) {
        return new SegmentCommitter(this, context.metricGroup());
    }

    @Override
    public SimpleVersionedSerializer<SegmentCommittable> getCommittableSerializer() {
        return new SegmentCommittableSerializer();
    }

    String storeRoot() {
        return storeRoot;
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
