package io.artdag.l1.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.connector.L1Store;
import io.artdag.l1.connector.StoreAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example job on a MiniCluster: its graph with a task failure injected once a checkpoint's
 * contents are committed ends exactly once — each distinct content stored once and listed by one
 * segment, one sighting per step, nothing rejected, verify clean; and its main runs as given.
 */
class RenderJobTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path tmp;

    static Configuration restarts() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return conf;
    }

    @Test
    void aFailureAfterACommittedCheckpointChangesNothing() throws Exception {
        long n = 60;
        Path out = tmp.resolve("out");
        Path store = tmp.resolve("store");
        FailOnceAfterACommit.reset();

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(restarts());
        env.setParallelism(2);
        env.enableCheckpointing(500);
        L1Store.builder()
                .setStorePath(store)
                .build()
                .sinkFrom(
                        RenderJob.render(env, out, n, 15)
                                .map(new FailOnceAfterACommit(store))
                                .uid("fail-once")
                                .name("FailOnce"));
        env.execute("render-job with a failure");

        var expected = RenderExpectations.contents(n);
        long committedAtFailure = FailOnceAfterACommit.COMMITTED_AT_FAILURE.get();
        assertThat(committedAtFailure)
                .as("contents committed when the failure was injected")
                .isBetween(1L, (long) expected.size() - 1);
        assertExactlyOnce(store, out, n);
    }

    @Test
    void mainRunsTheJobAsDocumented() throws Exception {
        Path out = tmp.resolve("out");
        Path store = tmp.resolve("store");
        RenderJob.main(
                new String[] {
                    "--store", store.toString(), "--out", out.toString(), "--count", "12"
                });
        assertExactlyOnce(store, out, 12);
    }

    /** The store after a run of {@code n} steps, against what the README's rule says. */
    static void assertExactlyOnce(Path store, Path out, long n) throws Exception {
        for (long i = 0; i < n; i++) {
            assertThat(Files.readAllBytes(out.resolve("step-" + i + ".bin")))
                    .as("step " + i + "'s file")
                    .isEqualTo(RenderExpectations.bytesOfStep(i));
        }
        var expected = RenderExpectations.contents(n);
        assertThat(expected.size()).as("distinct contents of %d steps", n).isLessThan((int) n);
        assertThat(StoreAssertions.contents(store).keySet())
                .containsExactlyElementsOf(expected.keySet());
        assertThat(StoreAssertions.sightings(store))
                .isEqualTo(RenderExpectations.sightings(n, out));
        assertThat(StoreAssertions.rejections(store)).isEmpty();
        StoreAssertions.assertSound(store);
    }
}
