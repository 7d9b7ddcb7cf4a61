package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.job.FaultHarness.FinalState;
import io.artdag.l1.job.FaultHarness.Mode;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.sink.segment.FaultInjector;
import io.artdag.l1.sink.segment.SegmentCommittable;
import io.artdag.l1.sink.segment.SegmentSinkOptions;
import io.artdag.l1.testing.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster job's l1 mode (per-TaskManager staging, {@link L1Job#buildL1Mode}) on a MiniCluster
 * whose only TaskManager loses its whole staging disk at chosen commits: after the checkpoint that
 * names them completed and before they were published, every segment file and the local index are
 * deleted, then the task fails. The restored commits find none of their files, as on a replacement
 * machine, and must publish from what they handed to Kubo at seal time: the services end exactly as
 * after a fault-free run, and every content is in exactly one published segment.
 */
class StagedFailoverITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = JobTestSupport.miniCluster();

    static final AtomicInteger COMMITS = new AtomicInteger();
    static final AtomicInteger DISKS_LOST = new AtomicInteger();
    static final AtomicInteger FILES_LOST = new AtomicInteger();

    /**
     * At the 1st and 4th commit (either subtask's, replays counted): deletes everything under the
     * staging directory, then fails. The committable being committed is in the completed
     * checkpoint, so the restore commits it again, without its files.
     */
    static final class LoseTheDisk implements FaultInjector {
        private static final long serialVersionUID = 1L;
        private final String stagingDir;

        LoseTheDisk(Path stagingDir) {
            this.stagingDir = stagingDir.toString();
        }

        @Override
        public void duringCommit(SegmentCommittable committable) throws IOException {
            int n = COMMITS.incrementAndGet();
            if (n != 1 && n != 4) {
                return;
            }
            try (Stream<Path> s = Files.walk(Path.of(stagingDir))) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(Path.of(stagingDir))) {
                        Files.deleteIfExists(p);
                        FILES_LOST.incrementAndGet();
                    }
                }
            }
            DISKS_LOST.incrementAndGet();
            throw new RuntimeException(
                    "injected: the TaskManager's disk is gone during commit "
                            + n
                            + " of "
                            + committable.segments());
        }
    }

    @TempDir Path tmp;

    @Test
    void losingTheStagingDiskAtCommitsChangesNothingInTheServices() throws Exception {
        Path tree = TestCorpus.manySmall(TestCorpus.tree(tmp.resolve("tree"), 3), 2000);

        Mode clean = new Mode("l1", "l1stgref_" + Long.toHexString(System.nanoTime()));
        run(clean, tree, tmp.resolve("staging-clean"), FaultInjector.NONE);
        Mode faulty = new Mode("l1", "l1stg_" + Long.toHexString(System.nanoTime()));
        Path staging = Files.createDirectories(tmp.resolve("staging-faulty"));
        run(faulty, tree, staging, new LoseTheDisk(staging));

        assertThat(DISKS_LOST.get()).as("disks lost").isGreaterThanOrEqualTo(1);
        System.err.printf(
                "[staged failover] %d disks lost, %d files with them, %d commits%n",
                DISKS_LOST.get(), FILES_LOST.get(), COMMITS.get());
        assertThat(FILES_LOST.get()).as("files lost with them").isPositive();
        FinalState expected = FaultHarness.servicesState(clean);
        FinalState got = FaultHarness.servicesState(faulty);
        assertThat(expected.ipfsIndex()).hasSizeGreaterThan(20);
        assertThat(got.ipfsIndex()).isEqualTo(expected.ipfsIndex());
        assertThat(got.contentIndex()).isEqualTo(expected.contentIndex());
        assertThat(got.cacheItems()).isEqualTo(expected.cacheItems());
        assertThat(got.storagePins()).isEqualTo(expected.storagePins());
        assertThat(got.sightings()).isEqualTo(expected.sightings());
        assertThat(got.rejected()).isEqualTo(expected.rejected());
        for (String cid : new TreeSet<>(got.ipfsIndex().values())) {
            assertThat(FaultHarness.pinnedRecursively(cid)).as(cid + " pinned").isTrue();
        }
        List<String> roots = FaultHarness.publishedRoots(faulty);
        assertThat(new HashSet<>(roots)).as("each root in one segment").hasSameSizeAs(roots);
        assertThat(new TreeSet<>(roots)).isEqualTo(new TreeSet<>(got.ipfsIndex().values()));
    }

    /** The cluster job's l1-mode graph over {@code tree}, on the MiniCluster. */
    private static void run(Mode mode, Path tree, Path staging, FaultInjector faults)
            throws Exception {
        Configuration options = JobTestSupport.fastOptions();
        options.setString("l1.mode", "l1");
        options.setString("l1.kubo.api", TestServices.get("L1_KUBO_API"));
        options.setString("l1.redis.url", TestServices.get("L1_REDIS_URL"));
        options.setString("l1.redis.key-prefix", mode.ns() + ":");
        options.setString("l1.postgres.url", TestServices.get("L1_PG_URL"));
        options.setString("l1.postgres.user", TestServices.get("L1_PG_USER"));
        options.setString("l1.postgres.password", TestServices.get("L1_PG_PASSWORD"));
        options.setString("l1.postgres.schema", mode.ns());
        options.setString("l1.run-id", mode.ns());
        options.set(SegmentSinkOptions.STAGING_DIR, staging.toAbsolutePath().toString());
        L1Settings l1 = L1ModeServices.settings(options);

        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        L1Job.buildL1Mode(env, List.of(IngestInput.of(tree, false)), options, null, l1, faults);
        env.execute("staged failover " + mode.ns());
    }
}
