package io.artdag.l1.job;

import io.artdag.l1.connector.internal.L1Graph;
import io.artdag.l1.operators.ContentLookup;
import io.artdag.l1.operators.FileRef;
import io.artdag.l1.operators.HashedFile;
import io.artdag.l1.operators.IngestEvent;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.source.CacheArtifactFormat;
import io.artdag.l1.source.InputLayout;
import io.artdag.l1.source.InputSources;
import io.artdag.l1.source.KafkaInputSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;

/**
 * The one job graph of both modes: the inputs' sources, then the store's operators ({@link
 * L1Graph}, shared with the connector): HashFiles, keyBy(content hash), Dedup, and the segment
 * sink, which also receives duplicates and rejected inputs. Every operator has a stable uid so
 * savepoints and checkpoints restore into a rebuilt job.
 */
@Internal
public final class L1Pipeline {
    private L1Pipeline() {}

    public static final String UID_HASH = L1Graph.UID_HASH;
    public static final String UID_DEDUP = L1Graph.UID_DEDUP;
    public static final String UID_SINK = L1Graph.UID_SINK;
    public static final String UID_SHARED_INDEX = L1Graph.UID_SHARED_INDEX;

    /**
     * Adds the pipeline to {@code env}; {@code options} holds the sources' options ({@link
     * IngestOptions#SCAN_INTERVAL}, {@code KafkaInputOptions}). {@code sharedIndex} (l1 mode, else
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
        Duration scanInterval = options.get(IngestOptions.SCAN_INTERVAL);
        for (IngestInput input : inputs) {
            String name = "Source " + input.layout().name().toLowerCase() + " " + input.name();
            DataStream<FileRef> s =
                    input.uri() != null
                            ? env.fromSource(
                                            InputSources.objects(input.uri(), input.layout()),
                                            WatermarkStrategy.noWatermarks(),
                                            name)
                                    .uid(input.sourceUid())
                            : input.layout() == InputLayout.KAFKA
                                    ? env.fromSource(
                                                    KafkaInputSource.create(input.topic(), options),
                                                    WatermarkStrategy.noWatermarks(),
                                                    name)
                                            .uid(input.sourceUid())
                                    : env.fromSource(
                                                    InputSources.create(
                                                            input.path(),
                                                            input.layout(),
                                                            scanInterval),
                                                    WatermarkStrategy.noWatermarks(),
                                                    name)
                                            .uid(input.sourceUid());
            refs = refs == null ? s : refs.union(s);
            if (input.layout() == InputLayout.CACHE && input.path() != null) {
                for (Map.Entry<CacheArtifactFormat.Kind, Source<FileRef, ?, ?>> artifacts :
                        InputSources.cacheArtifacts(input.path()).entrySet()) {
                    String dir = artifacts.getKey().directory;
                    refs =
                            refs.union(
                                    env.fromSource(
                                                    artifacts.getValue(),
                                                    WatermarkStrategy.noWatermarks(),
                                                    name + "/" + dir)
                                            .uid(input.sourceUid() + "-" + dir));
                }
            }
        }
        L1Graph.build(
                refs,
                lookup,
                sharedIndex,
                provenance == null ? 0 : provenance.claimWait().toMillis(),
                provenance,
                sink);
    }
}
