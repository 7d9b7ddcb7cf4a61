package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artdag.l1.testing.TestServices;
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
 * final store equals that of an uninterrupted local-mode run. l1 mode, which keeps no shared store,
 * has its own: {@link SharedNothingClusterIT}.
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
        // Thousands of small files besides the big ones: the job is still busy for seconds after
        // its first commit, so the kill lands mid-run however fast the bytes go.
        Path tree = TestCorpus.manySmall(TestCorpus.tree(tmp.resolve("tree"), 10), 20_000);

        Path clean = tmp.resolve("clean");
        long t0 = System.nanoTime();
        assertThat(JobTestSupport.cliIngest(clean, tree)).isEqualTo(0);
        System.err.printf("[cluster] local run: %d ms%n", millisSince(t0));

        Path store = tmp.resolve("cluster-store");
        backfillLosingATaskManager(store, tree);

        assertThat(StoreSnapshot.of(store)).isEqualTo(StoreSnapshot.of(clean));
        StoreSnapshot.assertSound(clean);
        StoreSnapshot.assertSound(store);
    }

    /**
     * A Kafka input on the cluster: one output event per file of a tree, a TaskManager SIGKILLed
     * once segments are committed and replaced; the store ends with the contents and sightings of
     * an uninterrupted local run over the tree itself, and the same rejections (each also naming
     * its event's position).
     */
    @Test
    void sigkillTaskManagerWithAKafkaInput() throws Exception {
        Path tree = TestCorpus.tree(tmp.resolve("kafka-case/tree"), 4);
        Path clean = tmp.resolve("kafka-case/clean");
        assertThat(JobTestSupport.cliIngest(clean, tree)).isEqualTo(0);
        StoreSnapshot expected = StoreSnapshot.of(clean);

        String topic = "tmloss-" + Long.toHexString(System.nanoTime());
        String bootstrap = TestServices.get("L1_KAFKA_BOOTSTRAP");
        List<String> events = new ArrayList<>();
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(tree)) {
            for (Path f : s.filter(p -> !java.nio.file.Files.isDirectory(p)).sorted().toList()) {
                events.add(
                        "{\"node_id\":\"n" + events.size() + "\",\"uri\":\"" + f.toUri() + "\"}");
            }
        }
        java.util.Properties props = new java.util.Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer =
                new org.apache.kafka.clients.producer.KafkaProducer<>(
                        props,
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.StringSerializer())) {
            for (String e : events) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, e))
                        .get();
            }
        }

        Path store = tmp.resolve("kafka-case/cluster-store");
        long t0 = System.nanoTime();
        String jobId =
                cluster.submit(
                        submitArgs(
                                store,
                                "kafka://" + topic,
                                "--l1.kafka.bootstrap-servers",
                                bootstrap,
                                "--l1.kafka.group-id",
                                topic,
                                "--l1.kafka.allowed-roots",
                                tree.toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (JobTestSupport.committedSegments(store) < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(JobTestSupport.committedSegments(store))
                .as("segments committed before the kill")
                .isGreaterThanOrEqualTo(1);
        assertThat(StoreSnapshot.of(store).contents().size())
                .as("the kill comes mid-stream")
                .isLessThan(expected.contents().size());
        cluster.killTaskManager(1);
        System.err.printf("[cluster] kafka case: killed taskmanager-1 at %d ms%n", millisSince(t0));
        cluster.startTaskManager();

        // An unbounded input: wait until everything is there, then cancel.
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        StoreSnapshot got = StoreSnapshot.of(store);
        while ((got.sightings().size() < expected.sightings().size()
                        || got.rejections().size() < expected.rejections().size())
                && System.nanoTime() < deadline) {
            assertThat(cluster.jobState(jobId))
                    .as("job " + jobId)
                    .isIn("RUNNING", "RESTARTING", "CREATED", "INITIALIZING");
            Thread.sleep(200);
            got = StoreSnapshot.of(store);
        }
        assertThat(failovers(jobId)).as("failovers of job " + jobId).isNotEmpty();
        assertThat(cluster.run(120, "cli", "cancel", jobId).exitCode()).isEqualTo(0);
        cluster.awaitTerminal(jobId, Duration.ofMinutes(2));

        StoreSnapshot after = StoreSnapshot.of(store);
        assertThat(after.contents()).isEqualTo(expected.contents());
        assertThat(after.sightings()).isEqualTo(expected.sightings());
        assertThat(after.rejections())
                .allMatch(r -> r.matches(".* \\(kafka " + topic + "/0@\\d+\\)$"));
        assertThat(
                        after.rejections().stream()
                                .map(r -> r.replaceAll(" \\(kafka [^ ]+\\)$", ""))
                                .sorted()
                                .toList())
                .isEqualTo(expected.rejections().stream().sorted().toList());
        StoreSnapshot.assertSound(store);
    }

    /** Submits the backfill, SIGKILLs a TaskManager once segments are committed, waits. */
    private void backfillLosingATaskManager(Path store, Path tree, String... jobArgs)
            throws Exception {
        long t0 = System.nanoTime();
        String jobId = cluster.submit(submitArgs(store, tree.toString(), jobArgs));
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
    }

    /**
     * {@code flink run} arguments of the job jar over {@code input}: parallelism 2, 2 MB segments.
     */
    private static String[] submitArgs(Path store, String input, String... jobArgs) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "-p",
                                "2",
                                "-Dexecution.checkpointing.interval=500ms",
                                LocalFlinkCluster.jobJar().toString(),
                                "--store",
                                store.toString(),
                                "--input",
                                input,
                                "--l1.segment.seal-bytes",
                                "2mb"));
        args.addAll(List.of(jobArgs));
        return args.toArray(new String[0]);
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
