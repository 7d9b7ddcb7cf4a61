package io.artdag.l1.connector;

import io.artdag.l1.connector.internal.L1Graph;
import io.artdag.l1.operators.FileRef;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.sink.segment.SegmentSink;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.CheckpointConfig;

/**
 * The artdag L1 store as the end of another Flink job: {@link #sinkFrom} adds HashFiles, (l1 mode)
 * the shared-index lookup, keyBy(content hash), Dedup and the segment sink after a stream of {@link
 * RenderOutput}s (README "Using the store from your own Flink job"; docs/design.md "Data flow").
 *
 * <pre>{@code
 * env.enableCheckpointing(Duration.ofSeconds(2));
 * DataStream<RenderOutput> outputs = ...;
 * L1Store.builder().setStorePath(Path.of("/shared/l1")).build().sinkFrom(outputs);
 * env.execute();
 * }</pre>
 *
 * <p>Operator uids (keep them for savepoints): {@value #UID_OUTPUTS}, {@value L1Graph#UID_HASH},
 * {@value L1Graph#UID_SHARED_INDEX} (l1 mode), {@value L1Graph#UID_DEDUP}, {@value
 * L1Graph#UID_SINK}, and in l1 mode {@value L1Graph#UID_SIGHTINGS}, {@value
 * L1Graph#UID_ITEM_TYPES_FILTER}, {@value L1Graph#UID_ITEM_TYPES}, {@value
 * L1Graph#UID_REJECTED_INPUTS}.
 */
@PublicEvolving
public final class L1Store {
    /** Uid of the operator that turns render outputs into the store's file references. */
    public static final String UID_OUTPUTS = "l1-render-outputs";

    private final Path storePath;
    private final String mode;
    private final String runId;
    private final L1Settings l1;
    private final SegmentSink sink;
    private boolean added;

    L1Store(Path storePath, String mode, String runId, L1Settings l1, SegmentSink sink) {
        this.storePath = storePath;
        this.mode = mode;
        this.runId = runId;
        this.l1 = l1;
        this.sink = sink;
    }

    public static L1StoreBuilder builder() {
        return new L1StoreBuilder();
    }

    /** The store's directory (absolute). */
    public Path storePath() {
        return storePath;
    }

    /** {@code local} or {@code l1}. */
    public String mode() {
        return mode;
    }

    /** l1 mode: the run id that owns this job's claims and names its {@code run_cache} rows. */
    public Optional<String> runId() {
        return l1 == null ? Optional.empty() : Optional.of(runId);
    }

    /**
     * Ends {@code outputs} in the store, exactly once: each content is stored once, every output is
     * recorded as a sighting, and unusable outputs as rejected inputs. Call it once per job.
     *
     * @return the segment sink, e.g. to set its parallelism
     * @throws IllegalStateException if checkpointing is disabled or not exactly-once (the segment
     *     sink commits at completed checkpoints), or if this store was already added to a job
     */
    public DataStreamSink<?> sinkFrom(DataStream<RenderOutput> outputs) {
        CheckpointConfig checkpoints = outputs.getExecutionEnvironment().getCheckpointConfig();
        if (!checkpoints.isCheckpointingEnabled()) {
            throw new IllegalStateException(
                    "l1 store: checkpointing is disabled, and the store commits only at completed"
                            + " checkpoints (exactly once): enable it with"
                            + " env.enableCheckpointing(Duration.ofSeconds(2)) or the option "
                            + CheckpointingOptions.CHECKPOINTING_INTERVAL.key()
                            + " (flink run -D"
                            + CheckpointingOptions.CHECKPOINTING_INTERVAL.key()
                            + "=2s)");
        }
        if (checkpoints.getCheckpointingConsistencyMode() != CheckpointingMode.EXACTLY_ONCE) {
            throw new IllegalStateException(
                    "l1 store: checkpointing mode "
                            + checkpoints.getCheckpointingConsistencyMode()
                            + ": the store needs EXACTLY_ONCE ("
                            + CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE.key()
                            + ")");
        }
        if (added) {
            throw new IllegalStateException(
                    "l1 store: sinkFrom was already called; its operators have fixed uids, so"
                            + " build one L1Store per job and union the outputs first");
        }
        added = true;
        DataStream<FileRef> refs =
                outputs.map(new RenderOutputRefs()).uid(UID_OUTPUTS).name("RenderOutputs");
        return L1Graph.build(refs, storePath, l1, sink);
    }
}
