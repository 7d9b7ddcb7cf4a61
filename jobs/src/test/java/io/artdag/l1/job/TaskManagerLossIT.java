package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artdag.l1.cli.L1Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real multi-process session cluster of {@code deploy/local/flink.sh} (one JobManager, two
 * TaskManagers with one slot each): submits a backfill with parallelism 2 through Flink's own
 * client, SIGKILLs a TaskManager once segments are committed, starts a replacement, and asserts the
 * final store equals that of an uninterrupted local-mode run.
 */
class TaskManagerLossIT {

    @TempDir static Path tmp;
    static LocalFlinkCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalFlinkCluster.shared();
    }

    @Test
    void sigkillTaskManagerMidRunEqualsAnUninterruptedLocalRun() throws Exception {
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 10);

        Path clean = tmp.resolve("clean");
        long t0 = System.nanoTime();
        assertThat(
                        L1Command.execute(
                                "ingest",
                                "--quiet",
                                "--store",
                                clean.toString(),
                                "--seal-bytes",
                                "2mb",
                                "--parallelism",
                                "2",
                                tree.toString()))
                .isEqualTo(0);
        System.err.printf("[cluster] local run: %d ms%n", millisSince(t0));

        Path store = tmp.resolve("cluster-store");
        t0 = System.nanoTime();
        String jobId =
                cluster.submit(
                        "-p",
                        "2",
                        "-Dexecution.checkpointing.interval=500ms",
                        LocalFlinkCluster.jobJar().toString(),
                        "--store",
                        store.toString(),
                        "--input",
                        tree.toString(),
                        "--l1.segment.seal-bytes",
                        "2mb");
        // Poll from submission on: kill as soon as the first checkpoint has committed segments.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (JobTestSupport.committedSegments(store) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long before = JobTestSupport.committedSegments(store);
        assertThat(before).as("segments committed before the kill").isGreaterThanOrEqualTo(1);
        assertThat(cluster.jobState(jobId))
                .as("job still running at the kill")
                .isEqualTo("RUNNING");
        cluster.killTaskManager(1);
        System.err.printf(
                "[cluster] killed taskmanager-1 at %d ms, %d segments committed%n",
                millisSince(t0), before);
        cluster.startTaskManager();

        String state = cluster.awaitTerminal(jobId, Duration.ofMinutes(5));
        System.err.printf("[cluster] job %s %s after %d ms%n", jobId, state, millisSince(t0));
        assertThat(state).as("final state of job " + jobId).isEqualTo("FINISHED");

        // The kill was noticed: the job failed over because a TaskManager was lost.
        List<String> failovers = failovers(jobId);
        assertThat(failovers)
                .as("failovers of job " + jobId)
                .isNotEmpty()
                .anyMatch(
                        e ->
                                e.contains("RemoteTransportException")
                                        || e.contains("TaskManager")
                                        || e.contains("unreachable"));

        assertThat(StoreSnapshot.of(store)).isEqualTo(StoreSnapshot.of(clean));
        StoreSnapshot.assertSound(clean);
        StoreSnapshot.assertSound(store);
    }

    /** The exception history of the job: one line (class and message) per failover. */
    private static List<String> failovers(String jobId) throws Exception {
        List<String> out = new ArrayList<>();
        JsonNode entries =
                cluster.get("/jobs/" + jobId + "/exceptions")
                        .path("exceptionHistory")
                        .path("entries");
        for (JsonNode e : entries) {
            out.add(e.path("stacktrace").asText().lines().findFirst().orElse(""));
        }
        return out;
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
