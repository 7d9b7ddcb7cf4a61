package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.Sighting;
import io.artdag.l1.store.StoreException;
import io.artdag.l1.store.StoreIndex;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A followed spool on the real session cluster: stop-with-savepoint through the REST API, outputs
 * arriving while the job is down, resubmission of a different job jar from the savepoint with
 * {@code flink run -s}, more outputs while it runs. Every node is stored and sighted exactly once.
 * While the resumed job runs, the TaskManagers' Prometheus endpoints (the reporter in conf/) are
 * scraped for the job's operator metrics.
 */
class SavepointUpgradeIT {

    @TempDir static Path tmp;
    static LocalFlinkCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalFlinkCluster.shared();
    }

    private static final List<String> OPERATOR_METRICS =
            List.of(
                    "filesIn",
                    "bytesIn",
                    "segmentsSealed",
                    "segmentsCommitted",
                    "duplicates",
                    "rejectedInputs",
                    "commitRetries",
                    "sealToCommitMillis");

    /** A spool node: output first, metadata.json last (the renderer's protocol). */
    private static void node(Path spool, String id, long seed, boolean ready) throws Exception {
        TestCorpus.write(spool.resolve(id + "/output.bin"), 200_000 + 7919 * seed, seed);
        if (ready) {
            ready(spool, id);
        }
    }

    private static void ready(Path spool, String id) throws Exception {
        Files.writeString(
                spool.resolve(id + "/metadata.json"),
                "{\"node_id\": \"" + id + "\", \"node_type\": \"SEGMENT\"}");
    }

    private static List<Sighting> sightings(Path store) throws Exception {
        if (!Files.exists(LocalStore.indexFile(store))) {
            return List.of();
        }
        try (StoreIndex index = StoreIndex.openReadOnly(LocalStore.indexFile(store))) {
            return index.sightings();
        } catch (StoreException beingCreated) {
            return List.of();
        }
    }

    private static void awaitSightings(Path store, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (sightings(store).size() < n) {
            assertThat(System.nanoTime()).as("waiting for %d sightings", n).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The job jar, rebuilt: a different file with the same classes and one more entry. */
    private static Path rebuiltJar(Path dir) throws Exception {
        Path jar = dir.resolve("l1-job-rebuilt.jar");
        Files.copy(LocalFlinkCluster.jobJar(), jar);
        try (FileSystem zip =
                        FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of());
                OutputStream out =
                        Files.newOutputStream(zip.getPath("META-INF/artdag-rebuild.txt"))) {
            out.write(("rebuilt " + System.nanoTime()).getBytes());
        }
        return jar;
    }

    private String submit(Path jar, Path store, Path spool, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(extra));
        args.addAll(
                List.of(
                        "-p",
                        "2",
                        "-Dexecution.checkpointing.interval=500ms",
                        jar.toString(),
                        "--store",
                        store.toString(),
                        "--input",
                        spool.toString(),
                        "--follow",
                        "--l1.follow.scan-interval",
                        "300ms",
                        "--l1.segment.seal-bytes",
                        "2mb"));
        String jobId = cluster.submit(args.toArray(String[]::new));
        cluster.awaitRunning(jobId, Duration.ofSeconds(60));
        return jobId;
    }

    @Test
    void stopWithSavepointResubmitRebuiltJarNothingTwiceNothingLost() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Path store = tmp.resolve("store");
        Path savepoints = Files.createDirectories(tmp.resolve("savepoints"));
        for (int i = 0; i < 5; i++) {
            node(spool, "a" + i, i, true);
        }
        node(spool, "pending", 99, false); // output written, metadata not yet: not ready

        String job1 = submit(LocalFlinkCluster.jobJar(), store, spool);
        awaitSightings(store, 5);
        String savepoint = cluster.stopWithSavepoint(job1, savepoints);
        assertThat(cluster.awaitTerminal(job1, Duration.ofSeconds(60))).isEqualTo("FINISHED");
        assertThat(sightings(store)).hasSize(5);

        // While the job is down: the pending node completes, new nodes arrive, one of them a
        // copy of an output stored before the stop (a duplicate: a sighting, no new content).
        ready(spool, "pending");
        for (int i = 0; i < 3; i++) {
            node(spool, "b" + i, 100 + i, true);
        }
        Files.createDirectories(spool.resolve("dup"));
        Files.copy(spool.resolve("a0/output.bin"), spool.resolve("dup/output.bin"));
        ready(spool, "dup");

        String job2 = submit(rebuiltJar(tmp), store, spool, "-s", savepoint);
        awaitSightings(store, 10);
        for (int i = 0; i < 3; i++) {
            node(spool, "c" + i, 200 + i, true);
        }
        awaitSightings(store, 13);
        Thread.sleep(2000); // a few scans and checkpoints: nothing more may appear

        assertOperatorMetrics(cluster.scrapePrometheus());

        cluster.stopWithSavepoint(job2, savepoints);
        assertThat(cluster.awaitTerminal(job2, Duration.ofSeconds(60))).isEqualTo("FINISHED");

        // Exactly one sighting per ready node, with its output's hash; one content per hash.
        TreeMap<String, String> expected = new TreeMap<>();
        JobTestSupport.sha3OfRegularFiles(spool)
                .forEach(
                        (path, hash) -> {
                            if (path.endsWith("/output.bin")) {
                                expected.put(Path.of(path).getParent().getFileName() + "", hash);
                            }
                        });
        assertThat(expected).hasSize(13);
        TreeMap<String, String> seen = new TreeMap<>();
        for (Sighting s : sightings(store)) {
            String node = Path.of(s.path()).getParent().getFileName().toString();
            assertThat(seen.put(node, s.contentHash())).as("sightings of " + node).isNull();
        }
        assertThat(seen).isEqualTo(expected);
        Set<String> contents = new HashSet<>();
        try (LocalStore s = LocalStore.openExisting(store)) {
            s.index().forEachContent(c -> assertThat(contents.add(c.contentHash())).isTrue());
        }
        assertThat(contents).isEqualTo(new HashSet<>(expected.values())).hasSize(12);
        StoreSnapshot.assertSound(store);
    }

    /**
     * The job's operator metrics, summed over subtasks and TaskManagers, on the Prometheus
     * endpoints while the resumed job runs (counters start again at a restore).
     */
    private static void assertOperatorMetrics(List<String> samples) {
        Map<String, Double> sums = new HashMap<>();
        for (String line : samples) {
            for (String m : OPERATOR_METRICS) {
                String prefix = "flink_taskmanager_job_task_operator_" + m + "{";
                if (line.startsWith(prefix) && line.contains("job_name=\"artdag_l1")) {
                    double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    sums.merge(m, v, Double::sum);
                }
            }
        }
        System.err.println("[cluster] operator metrics of the resumed job: " + sums);
        assertThat(sums.keySet()).as("metrics scraped").containsAll(OPERATOR_METRICS);
        // After the restore: 8 new ready nodes (pending, b0-b2, dup, c0-c2).
        assertThat(sums.get("filesIn")).isEqualTo(8.0);
        assertThat(sums.get("bytesIn")).isGreaterThan(8 * 200_000.0);
        assertThat(sums.get("duplicates")).isEqualTo(1.0);
        assertThat(sums.get("rejectedInputs")).isEqualTo(0.0);
        assertThat(sums.get("segmentsSealed")).isGreaterThanOrEqualTo(1.0);
        assertThat(sums.get("segmentsCommitted")).isGreaterThanOrEqualTo(1.0);
        assertThat(sums.get("commitRetries")).isEqualTo(0.0);
        assertThat(sums.get("sealToCommitMillis")).isBetween(0.0, 60_000.0);
    }
}
