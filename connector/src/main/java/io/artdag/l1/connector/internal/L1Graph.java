package io.artdag.l1.connector.internal;

import io.artdag.l1.operators.ContentLookup;
import io.artdag.l1.operators.Dedup;
import io.artdag.l1.operators.FileRef;
import io.artdag.l1.operators.HashFiles;
import io.artdag.l1.operators.HashedFile;
import io.artdag.l1.operators.IngestEvent;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.sink.l1.ProvenanceSinks;
import io.artdag.l1.sink.l1.SharedIndexClaims;
import io.artdag.l1.sink.l1.SharedIndexLookup;
import io.artdag.l1.store.LocalContentLookup;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;

/**
 * The store's part of a job graph, from file references on (docs/design.md "Data flow"): HashFiles,
 * in l1 mode the shared-index lookup, keyBy(content hash), Dedup and the segment sink, which also
 * receives duplicates and rejected inputs, plus l1 mode's provenance sinks. Every operator has a
 * stable uid so that savepoints and checkpoints restore into a rebuilt job.
 */
@Internal
public final class L1Graph {
    private L1Graph() {}

    public static final String UID_HASH = "hash-files";
    public static final String UID_SHARED_INDEX = "shared-index-lookup";
    public static final String UID_DEDUP = "dedup";
    public static final String UID_SINK = "segment-sink";
    public static final String UID_SIGHTINGS = "provenance-sightings";
    public static final String UID_ITEM_TYPES_FILTER = "provenance-item-types-filter";
    public static final String UID_ITEM_TYPES = "provenance-item-types";
    public static final String UID_REJECTED_INPUTS = "provenance-rejected-inputs";

    /** How often Dedup asks again about a content another live job has claimed (l1 mode). */
    public static final long CLAIM_RECHECK_MS = 1000;

    /** Concurrent shared-index requests per subtask (l1 mode). */
    public static final int SHARED_INDEX_THREADS = 16;

    /**
     * Adds the store's operators after {@code refs}, looking up earlier runs in the local store at
     * {@code store}; in l1 mode ({@code l1} not null) the shared index is asked first, each
     * decision bounded by {@code l1.claim.wait}.
     *
     * @return the segment sink
     */
    public static DataStreamSink<IngestEvent> build(
            DataStream<FileRef> refs, Path store, L1Settings l1, Sink<IngestEvent> sink) {
        return build(
                refs,
                new LocalContentLookup(store),
                l1 == null ? null : new SharedIndexLookup(l1, SHARED_INDEX_THREADS),
                l1 == null ? 0 : l1.claimWait().toMillis(),
                l1,
                sink);
    }

    /**
     * Files the shared-index lookup has in flight (checkpointed with the async operator): one full
     * batch of its lookups, so that one round trip answers up to that many (SharedIndexLookup).
     */
    static final int SHARED_INDEX_IN_FLIGHT = SharedIndexLookup.DEFAULT_MAX_BATCH;

    /**
     * Adds the store's operators after {@code refs}.
     *
     * @param lookup asks the local store whether an earlier run stored a content
     * @param sharedIndex (l1 mode, else null) asks the shared index and claims content before Dedup
     * @param sharedIndexTimeoutMs upper bound of one shared-index decision
     * @param provenance (l1 mode, else null) where Dedup re-checks claims and provenance rows go
     * @param sink the segment sink
     * @return the segment sink
     */
    public static DataStreamSink<IngestEvent> build(
            DataStream<FileRef> refs,
            ContentLookup lookup,
            AsyncFunction<HashedFile, HashedFile> sharedIndex,
            long sharedIndexTimeoutMs,
            L1Settings provenance,
            Sink<IngestEvent> sink) {
        // A source split may be a whole directory or index: spread its files over the hashers.
        SingleOutputStreamOperator<HashedFile> hashed =
                refs.rebalance().process(new HashFiles()).uid(UID_HASH).name("HashFiles");
        DataStream<HashedFile> toDedup = hashed;
        if (sharedIndex != null) {
            toDedup =
                    AsyncDataStream.unorderedWait(
                                    hashed,
                                    sharedIndex,
                                    sharedIndexTimeoutMs,
                                    TimeUnit.MILLISECONDS,
                                    SHARED_INDEX_IN_FLIGHT)
                            .uid(UID_SHARED_INDEX)
                            .name("SharedIndexLookup");
        }
        DataStream<IngestEvent> decided =
                toDedup.keyBy(h -> h.contentHash)
                        .process(
                                provenance == null
                                        ? new Dedup(lookup)
                                        : new Dedup(
                                                lookup,
                                                new SharedIndexClaims(provenance),
                                                CLAIM_RECHECK_MS))
                        .uid(UID_DEDUP)
                        .name("Dedup");
        DataStream<IngestEvent> rejected = hashed.getSideOutput(HashFiles.REJECTED);
        DataStreamSink<IngestEvent> segments =
                decided.union(rejected).sinkTo(sink).uid(UID_SINK).name("SegmentSink");
        if (provenance != null) {
            // l1 mode: provenance rows through the JDBC connector (idempotent upserts).
            decided.sinkTo(ProvenanceSinks.sightings(provenance))
                    .uid(UID_SIGHTINGS)
                    .name("ProvenanceSightings");
            decided.filter(e -> e.nodeType != null && e.metadataJson != null)
                    .uid(UID_ITEM_TYPES_FILTER)
                    .name("WithNodeType")
                    .sinkTo(ProvenanceSinks.itemTypes(provenance))
                    .uid(UID_ITEM_TYPES)
                    .name("ProvenanceItemTypes");
            rejected.sinkTo(ProvenanceSinks.rejectedInputs(provenance))
                    .uid(UID_REJECTED_INPUTS)
                    .name("ProvenanceRejectedInputs");
        }
        return segments;
    }
}
