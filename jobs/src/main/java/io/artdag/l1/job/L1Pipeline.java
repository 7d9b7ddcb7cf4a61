package io.artdag.l1.job;

import io.artdag.l1.operators.ContentLookup;
import io.artdag.l1.operators.Dedup;
import io.artdag.l1.operators.FileRef;
import io.artdag.l1.operators.HashFiles;
import io.artdag.l1.operators.HashedFile;
import io.artdag.l1.operators.IngestEvent;
import io.artdag.l1.source.InputSources;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

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

    /** Adds the pipeline to {@code env}. */
    public static void build(
            StreamExecutionEnvironment env,
            List<IngestInput> inputs,
            Duration scanInterval,
            ContentLookup lookup,
            Sink<IngestEvent> sink) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs to ingest");
        }
        DataStream<FileRef> refs = null;
        for (IngestInput input : inputs) {
            DataStream<FileRef> s =
                    env.fromSource(
                                    InputSources.create(input.path(), input.layout(), scanInterval),
                                    WatermarkStrategy.noWatermarks(),
                                    "Source "
                                            + input.layout().name().toLowerCase()
                                            + " "
                                            + input.path())
                            .uid(input.sourceUid());
            refs = refs == null ? s : refs.union(s);
        }
        SingleOutputStreamOperator<HashedFile> hashed =
                refs.process(new HashFiles()).uid(UID_HASH).name("HashFiles");
        DataStream<IngestEvent> decided =
                hashed.keyBy(h -> h.contentHash)
                        .process(new Dedup(lookup))
                        .uid(UID_DEDUP)
                        .name("Dedup");
        decided.union(hashed.getSideOutput(HashFiles.REJECTED))
                .sinkTo(sink)
                .uid(UID_SINK)
                .name("SegmentSink");
    }
}
