package io.artdag.l1.job;

import io.artdag.l1.operators.ContentLookup;
import io.artdag.l1.operators.Dedup;
import io.artdag.l1.operators.FileRef;
import io.artdag.l1.operators.HashFiles;
import io.artdag.l1.operators.HashedFile;
import io.artdag.l1.operators.IngestEvent;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.sink.l1.ProvenanceSinks;
import io.artdag.l1.sink.l1.SharedIndexClaims;
import io.artdag.l1.source.InputLayout;
import io.artdag.l1.source.InputSources;
import io.artdag.l1.source.KafkaInputSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;

/**
 * The one job graph of both modes: file sources, HashFiles, keyBy(content hash), Dedup, and the
 * segment sink, which also receives duplicates and rejected inputs. Every operator has a stable uid
 * so savepoints and checkpoints restore into a rebuilt job.
 */
public final class L1Pipeline {
    private L1Pipeline() {}

    public static final String UID_HASH = "hash-files";
    public static final String UID_DEDUP = "dedup";
    public static final String UID_SINK = "segment-sink";
    public static final String UID_SHARED_INDEX = "shared-index-lookup";

    /** How often Dedup asks again about a content another live job has claimed (l1 mode). */
    static final long CLAIM_RECHECK_MS = 1000;

    /** Upper bound of one shared-index decision (reached only while Redis is unreachable). */
    static long SHARED_INDEX_TIMEOUT_MS = 15 * 60 * 1000L;

    /**
     * Adds the pipeline to {@code env}; {@code options} holds the sources' options ({@link
     * L1Options#SCAN_INTERVAL}, {@code KafkaInputOptions}). {@code sharedIndex} (l1 mode, else
     * null) asks the shared index and claims content before Dedup.
     */
    public static void build(
            StreamExecutionEnvironment env,
            List<IngestInput> inputs,
            Configuration options,
            ContentLookup lookup,
            AsyncFunction<HashedFile, HashedFile> sharedIndex,
            L1Settings provenance,
            Sink<IngestEvent> sink) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs to ingest");
        }
        DataStream<FileRef> refs = null;
        Duration scanInterval = options.get(L1Options.SCAN_INTERVAL);
        for (IngestInput input : inputs) {
            String name = "Source " + input.layout().name().toLowerCase() + " " + input.name();
            DataStream<FileRef> s =
                    input.layout() == InputLayout.KAFKA
                            ? env.fromSource(
                                            KafkaInputSource.create(input.topic(), options),
                                            WatermarkStrategy.noWatermarks(),
                                            name)
                                    .uid(input.sourceUid())
                            : env.fromSource(
                                            InputSources.create(
                                                    input.path(), input.layout(), scanInterval),
                                            WatermarkStrategy.noWatermarks(),
                                            name)
                                    .uid(input.sourceUid());
            refs = refs == null ? s : refs.union(s);
        }
        // A source split is a whole directory (or index): spread its files over the hashers.
        SingleOutputStreamOperator<HashedFile> hashed =
                refs.rebalance().process(new HashFiles()).uid(UID_HASH).name("HashFiles");
        DataStream<HashedFile> toDedup = hashed;
        if (sharedIndex != null) {
            toDedup =
                    AsyncDataStream.unorderedWait(
                                    hashed,
                                    sharedIndex,
                                    SHARED_INDEX_TIMEOUT_MS,
                                    TimeUnit.MILLISECONDS,
                                    64)
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
        decided.union(rejected).sinkTo(sink).uid(UID_SINK).name("SegmentSink");
        if (provenance != null) {
            // l1 mode: provenance rows through the JDBC connector (idempotent upserts).
            decided.sinkTo(ProvenanceSinks.sightings(provenance))
                    .uid("provenance-sightings")
                    .name("ProvenanceSightings");
            decided.filter(e -> e.nodeType != null && e.metadataJson != null)
                    .uid("provenance-item-types-filter")
                    .name("WithNodeType")
                    .sinkTo(ProvenanceSinks.itemTypes(provenance))
                    .uid("provenance-item-types")
                    .name("ProvenanceItemTypes");
            rejected.sinkTo(ProvenanceSinks.rejectedInputs(provenance))
                    .uid("provenance-rejected-inputs")
                    .name("ProvenanceRejectedInputs");
        }
    }
}
