package io.artdag.l1.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.segment.SegmentSinkOptions;
import io.artdag.l1.store.StoreLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link L1StoreBuilder#build()} names the option that is wrong, prepares the store only once the
 * settings (and in l1 mode the services) are good, and {@link L1Store#sinkFrom} refuses a job
 * without exactly-once checkpoints.
 */
class L1StoreBuilderTest {

    @TempDir Path tmp;

    @Test
    void aMissingStorePathNamesItsOption() {
        assertThatThrownBy(() -> L1Store.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("l1 store: no store path (set l1.store.path or call setStorePath)");
    }

    @Test
    void theStorePathMayComeFromTheConfigurationAndTheStoreIsPrepared() {
        Configuration c = new Configuration();
        c.set(SegmentSinkOptions.STORE_PATH, tmp.resolve("s").toString());
        L1Store store = L1Store.builder().setConfig(c).build();
        assertThat(store.storePath()).isEqualTo(tmp.resolve("s").toAbsolutePath());
        assertThat(store.mode()).isEqualTo("local");
        assertThat(store.runId()).isEmpty();
        assertThat(tmp.resolve("s/index.db")).isRegularFile();
        assertThat(tmp.resolve("s/segments")).isDirectory();
    }

    @Test
    void aBadModeNamesItsOptionWhetherSetOrConfigured() {
        assertThatThrownBy(() -> L1Store.builder().setStorePath(tmp).setMode("cloud").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("l1 store: l1.mode 'cloud': expected local or l1");
        Configuration c = new Configuration();
        c.setString("l1.mode", "L1");
        assertThatThrownBy(() -> L1Store.builder().setStorePath(tmp).setConfig(c).build())
                .hasMessage("l1 store: l1.mode 'L1': expected local or l1");
    }

    @Test
    void badSegmentOptionsNameTheirKey() {
        assertThatThrownBy(
                        () ->
                                L1Store.builder()
                                        .setStorePath(tmp)
                                        .set(SegmentSinkOptions.SEAL_BYTES, MemorySize.parse("1mb"))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("l1.segment.seal-bytes");
        assertThatThrownBy(
                        () ->
                                L1Store.builder()
                                        .setStorePath(tmp)
                                        .set(SegmentSinkOptions.PROFILE, "unixfs-v2")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("l1 store: l1.unixfs.profile: ")
                .hasMessageContaining("unixfs-v2");
    }

    @Test
    void l1ModeWithoutAServiceAddressNamesTheOption() {
        Path store = tmp.resolve("never-prepared");
        assertThatThrownBy(
                        () ->
                                L1Store.builder()
                                        .setStorePath(store)
                                        .setMode("l1")
                                        .set(L1Options.KUBO_API, " ")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("l1 store: l1 mode needs l1.kubo.api");
        assertThat(store).doesNotExist();
    }

    @Test
    void l1ModeWithUnreachableServicesSaysWhichAndTouchesNothing() {
        Path store = tmp.resolve("never-prepared");
        assertThatThrownBy(
                        () ->
                                L1Store.builder()
                                        .setStorePath(store)
                                        .setMode("l1")
                                        .set(L1Options.REDIS_URL, "redis://127.0.0.1:1/5")
                                        .set(L1Options.KUBO_API, "http://127.0.0.1:1")
                                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "l1 store: l1 mode cannot reach Redis at 127.0.0.1:1/5 (l1.redis.url): ");
        assertThat(store).doesNotExist();
    }

    @Test
    void aStoreInUseByAnotherWriterIsRefused() throws Exception {
        try (StoreLock held = StoreLock.acquire(tmp, "ingest")) {
            assertThatThrownBy(() -> L1Store.builder().setStorePath(tmp).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by pid " + ProcessHandle.current().pid());
        }
        // released: the same store builds now
        assertThat(L1Store.builder().setStorePath(tmp).build().storePath()).isEqualTo(tmp);
    }

    @Test
    void sinkFromWithoutCheckpointingSaysHowToEnableIt() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        L1Store store = L1Store.builder().setStorePath(tmp).build();
        assertThatThrownBy(() -> store.sinkFrom(outputs(env)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("checkpointing is disabled")
                .hasMessageContaining("env.enableCheckpointing(")
                .hasMessageContaining("execution.checkpointing.interval");
        env.enableCheckpointing(Duration.ofSeconds(1).toMillis());
        env.getCheckpointConfig().setCheckpointingConsistencyMode(CheckpointingMode.AT_LEAST_ONCE);
        assertThatThrownBy(() -> store.sinkFrom(outputs(env)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("EXACTLY_ONCE");
    }

    @Test
    void theGraphHasStableUidsAndIsAddedOnce() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(1000);
        L1Store store = L1Store.builder().setStorePath(tmp).build();
        store.sinkFrom(outputs(env));
        Set<String> uids =
                env.getStreamGraph(false).getStreamNodes().stream()
                        .map(StreamNode::getTransformationUID)
                        .filter(u -> u != null)
                        .collect(Collectors.toSet());
        assertThat(uids)
                .contains("l1-render-outputs", "hash-files", "dedup", "segment-sink")
                .doesNotContain("shared-index-lookup", "provenance-sightings");
        assertThatThrownBy(() -> store.sinkFrom(outputs(env)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already called");
        assertThat(Files.exists(tmp.resolve("index.db"))).isTrue();
    }

    private static DataStream<RenderOutput> outputs(StreamExecutionEnvironment env) {
        return env.fromData(List.of(RenderOutput.of(Path.of("/tmp/x"), "x")));
    }
}
