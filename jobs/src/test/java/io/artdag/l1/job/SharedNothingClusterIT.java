package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artdag.l1.job.FaultHarness.FinalState;
import io.artdag.l1.job.FaultHarness.Mode;
import io.artdag.l1.testing.TestServices;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.core.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * One l1-mode job across TaskManagers that share nothing (docs/scaling.md): on the standalone
 * cluster of {@code deploy/local/flink.sh}, whose TaskManagers each have their own fresh local
 * directories and whose checkpoints are in the S3 server ({@link
 * LocalFlinkCluster#CHECKPOINTS_IN_S3}), a backfill of an {@code s3://} prefix loses a TaskManager
 * to SIGKILL mid-run; a replacement with empty disks joins. The final Kubo pins, Redis indexes and
 * PostgreSQL rows must equal those of an uninterrupted run over the same files on disk, every
 * content must be in exactly one published segment, and the bytes must read back through the
 * services into an empty store.
 */
class SharedNothingClusterIT {

    @TempDir static Path tmp;
    static LocalFlinkCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        for (String v : List.of("L1_S3_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
            String value = System.getenv(v);
            assertThat(value)
                    .as(v + " (start the S3 server: eval \"$(deploy/local/s3.sh start)\")")
                    .isNotBlank();
        }
        io.artdag.l1.job.ObjectStores.initialize();
        cluster = LocalFlinkCluster.shared();
    }

    @Test
    void aTaskManagerLostMidRunLeavesTheServicesAsAnUninterruptedRun() throws Exception {
        Path tree = TestCorpus.manySmall(TestCorpus.tree(tmp.resolve("tree"), 4), 1500);
        // What S3 can hold: no FIFO, no symbolic link.
        deleteTree(tree.resolve("bad"));

        Mode reference = new Mode("l1", "l1snref_" + Long.toHexString(System.nanoTime()));
        Path refLogs = Files.createDirectories(tmp.resolve("ref-logs"));
        assertThat(FaultHarness.runIngest(reference, tmp.resolve("ref-store"), tree, refLogs))
                .as("uninterrupted l1 run over the tree on disk")
                .isZero();
        FinalState expected = FaultHarness.state(reference, tmp.resolve("ref-store"));
        assertThat(expected.ipfsIndex()).hasSizeGreaterThan(1000);

        String bucket = "l1-shared-nothing-" + Long.toHexString(System.nanoTime());
        createBucket(bucket);
        String prefix = "s3://" + bucket + "/renders";
        upload(tree, prefix);

        Mode run = new Mode("l1", "l1sn_" + Long.toHexString(System.nanoTime()));
        Path password =
                Files.writeString(tmp.resolve("pg-password"), TestServices.get("L1_PG_PASSWORD"));
        long t0 = System.nanoTime();
        String jobId =
                cluster.submit(
                        "-p",
                        "2",
                        "-Dexecution.checkpointing.interval=500ms",
                        LocalFlinkCluster.jobJar().toString(),
                        "--input",
                        prefix,
                        "--l1.segment.seal-bytes",
                        "2mb",
                        "--l1.mode",
                        "l1",
                        "--l1.kubo.api",
                        TestServices.get("L1_KUBO_API"),
                        "--l1.redis.url",
                        TestServices.get("L1_REDIS_URL"),
                        "--l1.redis.key-prefix",
                        run.ns() + ":",
                        "--l1.postgres.url",
                        TestServices.get("L1_PG_URL"),
                        "--l1.postgres.user",
                        TestServices.get("L1_PG_USER"),
                        "--l1.postgres.password-file",
                        password.toString(),
                        "--l1.postgres.schema",
                        run.ns());

        // Kill once the first checkpoint's segments are published, while the job still runs.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (published(run) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long before = published(run);
        assertThat(before).as("contents published before the kill").isGreaterThanOrEqualTo(1);
        assertThat(before).as("the kill comes mid-run").isLessThan(expected.ipfsIndex().size());
        assertThat(cluster.jobState(jobId))
                .as("job still running at the kill")
                .isEqualTo("RUNNING");
        cluster.killTaskManager(1);
        System.err.printf(
                "[cluster] shared-nothing: killed taskmanager-1 at %d ms, %d contents published%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), before);
        cluster.startTaskManager();

        String state = cluster.awaitTerminal(jobId, Duration.ofMinutes(6));
        assertThat(state).as("final state of job " + jobId).isEqualTo("FINISHED");
        assertThat(failovers(jobId)).as("failovers of job " + jobId).isNotEmpty();
        String checkpoint =
                cluster.get("/jobs/" + jobId + "/checkpoints")
                        .path("latest")
                        .path("completed")
                        .path("external_path")
                        .asText();
        assertThat(checkpoint)
                .as("the job's checkpoints are in the S3 server")
                .startsWith(LocalFlinkCluster.CHECKPOINTS_IN_S3);

        // The services hold exactly what the uninterrupted run left there.
        FinalState got = FaultHarness.servicesState(run);
        assertThat(got.ipfsIndex()).isEqualTo(expected.ipfsIndex());
        assertThat(got.contentIndex().keySet()).isEqualTo(expected.contentIndex().keySet());
        assertThat(got.cacheItems()).isEqualTo(expected.cacheItems());
        assertThat(got.storagePins()).isEqualTo(expected.storagePins());
        assertThat(relative(got.sightings(), prefix + "/"))
                .isEqualTo(relative(expected.sightings(), tree + "/"));
        assertThat(got.rejected()).isEqualTo(expected.rejected()).isEmpty();
        for (String cid : new TreeSet<>(got.ipfsIndex().values())) {
            assertThat(FaultHarness.pinnedRecursively(cid)).as(cid + " pinned").isTrue();
        }
        // Stored once: every content's root is in exactly one published segment.
        List<String> roots = FaultHarness.publishedRoots(run);
        assertThat(new HashSet<>(roots)).hasSameSizeAs(roots);
        assertThat(new TreeSet<>(roots)).isEqualTo(new TreeSet<>(got.ipfsIndex().values()));

        // And the bytes come back through the services into a store that never saw them.
        for (String name : List.of("renders/r0/out-7.bin", "small/s1/f3.dat")) {
            Path file = tree.resolve(name);
            Path out = tmp.resolve("read-" + file.getFileName());
            FaultHarness.Output r =
                    FaultHarness.cliOut(
                            new String[] {
                                "get",
                                "--mode",
                                "l1",
                                "--store",
                                tmp.resolve("empty-store").toString(),
                                JobTestSupport.sha3(file),
                                "-o",
                                out.toString()
                            },
                            run);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(out).hasSameBinaryContentAs(file);
        }
    }

    private static long published(Mode mode) {
        try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
            return redis.hlen(mode.ns() + ":ipfs_index");
        }
    }

    /** Each "hash path" row with the input's root taken off the path. */
    private static Set<String> relative(Set<String> rows, String root) {
        Set<String> out = new TreeSet<>();
        for (String row : rows) {
            out.add(row.replace(" " + root, " "));
        }
        return out;
    }

    private static List<String> failovers(String jobId) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode e :
                cluster.get("/jobs/" + jobId + "/exceptions")
                        .path("exceptionHistory")
                        .path("entries")) {
            out.add(e.path("stacktrace").asText().lines().findFirst().orElse(""));
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Copies every file under {@code in} to {@code prefix} through Flink's FileSystem. */
    private static void upload(Path in, String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(in)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                org.apache.flink.core.fs.Path to =
                        new org.apache.flink.core.fs.Path(prefix + "/" + in.relativize(f));
                try (OutputStream out =
                        to.getFileSystem().create(to, FileSystem.WriteMode.OVERWRITE)) {
                    Files.copy(f, out);
                }
            }
        }
    }

    private static void createBucket(String bucket) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        System.getenv("L1_S3_ENDPOINT")
                                                                + "/"
                                                                + bucket))
                                        .PUT(HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("create bucket %s: %s", bucket, r.body()).isEqualTo(200);
    }
}
