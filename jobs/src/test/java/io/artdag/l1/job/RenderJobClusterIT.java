package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example job of examples/render-job — a user's own job ending in the connector's {@code
 * L1Store.sinkFrom} — submitted as {@code render-job.jar} with {@code flink run} to the standalone
 * cluster of {@code deploy/local/flink.sh}; a TaskManager is SIGKILLed once contents are committed
 * and replaced. The store ends exactly once: the distinct contents of the steps (hashed here by the
 * JDK), one sighting per step, nothing rejected, sound.
 */
class RenderJobClusterIT {

    @TempDir static Path tmp;
    static LocalFlinkCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalFlinkCluster.shared();
    }

    static Path renderJobJar() {
        Path jar =
                LocalFlinkCluster.repoRoot().resolve("examples/render-job/target/render-job.jar");
        assertThat(jar).as("the example job jar (mvn package builds it)").isRegularFile();
        return jar;
    }

    @Test
    void renderJobLosingATaskManagerStoresEachOutputExactlyOnce() throws Exception {
        int n = 60;
        Path store = tmp.resolve("store");
        Path out = tmp.resolve("out");
        long t0 = System.nanoTime();
        String jobId =
                cluster.submit(
                        "-p",
                        "2",
                        renderJobJar().toString(),
                        "--store",
                        store.toString(),
                        "--out",
                        out.toString(),
                        "--count",
                        Integer.toString(n),
                        "--rate",
                        "5");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (JobTestSupport.committedSegments(store) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(JobTestSupport.committedSegments(store))
                .as("segments committed before the kill")
                .isGreaterThanOrEqualTo(1);
        assertThat(cluster.jobState(jobId)).as("job running at the kill").isEqualTo("RUNNING");
        long storedAtKill = StoreSnapshot.of(store).contents().size();
        assertThat(storedAtKill).as("the kill comes mid-run").isLessThan(distinctContents(n));
        cluster.killTaskManager(1);
        System.err.printf(
                "[cluster] render job: killed taskmanager-1 at %d ms, %d contents stored%n",
                millis(t0), storedAtKill);
        cluster.startTaskManager();

        String state = cluster.awaitTerminal(jobId, Duration.ofMinutes(5));
        assertThat(state).as("final state of job " + jobId).isEqualTo("FINISHED");
        List<String> failovers = new ArrayList<>();
        for (JsonNode e :
                cluster.get("/jobs/" + jobId + "/exceptions")
                        .path("exceptionHistory")
                        .path("entries")) {
            failovers.add(e.path("stacktrace").asText().lines().findFirst().orElse(""));
        }
        assertThat(failovers).as("failovers of job " + jobId).isNotEmpty();

        TreeSet<String> contents = new TreeSet<>();
        List<String> sightings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] bytes = bytesOfStep(i);
            assertThat(Files.readAllBytes(out.resolve("step-" + i + ".bin"))).isEqualTo(bytes);
            contents.add(sha3(bytes));
            sightings.add(sha3(bytes) + " " + out.resolve("step-" + i + ".bin"));
        }
        StoreSnapshot got = StoreSnapshot.of(store);
        assertThat(got.contents().stream().map(c -> c.split(" ")[0]).toList())
                .containsExactlyElementsOf(contents);
        assertThat(got.sightings().stream().sorted().toList())
                .isEqualTo(sightings.stream().sorted().toList());
        assertThat(got.rejections()).isEmpty();
        StoreSnapshot.assertSound(store);
    }

    private static long distinctContents(int n) throws Exception {
        TreeSet<String> all = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            all.add(sha3(bytesOfStep(i)));
        }
        return all.size();
    }

    /** examples/render-job/README.md's rule, written again here. */
    private static byte[] bytesOfStep(long i) {
        long s = i % 5 == 4 ? i - 3 : i;
        byte[] b = new byte[(int) (s % 7 == 3 ? 1_200_000 + s : 1_000 + 37 * s)];
        new Random(s).nextBytes(b);
        return b;
    }

    private static String sha3(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA3-256").digest(bytes));
    }

    private static long millis(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
