package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real multi-process Flink session cluster of {@code deploy/local/flink.sh}, driven from a
 * test: start (or reuse) it, submit the job jar with Flink's own client, kill and start
 * TaskManagers, and read the REST API. A cluster that cannot start fails the test.
 */
final class LocalFlinkCluster implements AutoCloseable {
    static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELED");
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

    private final Path repo;
    private final Path script;
    private final Path logDir;
    private final String rest;
    private final boolean startedHere;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private LocalFlinkCluster(Path repo, Path logDir, boolean startedHere) {
        this.repo = repo;
        this.script = repo.resolve("deploy/local/flink.sh");
        this.logDir = logDir;
        this.startedHere = startedHere;
        String port = System.getenv().getOrDefault("L1_FLINK_REST_PORT", "8081");
        this.rest = "http://127.0.0.1:" + port;
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("l1.repo.root", "..")).toAbsolutePath().normalize();
    }

    static Path jobJar() {
        Path jar =
                Path.of(System.getProperty("l1.job.jar", "target/l1-job.jar"))
                        .toAbsolutePath()
                        .normalize();
        assertThat(jar).as("the job jar (mvn package builds it)").isRegularFile();
        return jar;
    }

    /** Where the cluster tests' checkpoints go when the S3 server is there (it is in CI). */
    static final String CHECKPOINTS_IN_S3 = "s3://l1-flink-checkpoints/cluster-tests";

    private static LocalFlinkCluster shared;

    /**
     * One cluster for every cluster test of this JVM: started (or reused) on first use, stopped
     * when the JVM exits if it was started here.
     */
    static synchronized LocalFlinkCluster shared() throws Exception {
        if (shared == null) {
            Path logs = Files.createTempDirectory("l1-cluster-test-");
            shared = start(logs);
            LocalFlinkCluster c = shared;
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        try {
                                            c.close();
                                        } catch (Exception e) {
                                            e.printStackTrace();
                                        }
                                    }));
        }
        return shared;
    }

    /** Starts the cluster (installing Flink when missing), or reuses a running one. */
    static LocalFlinkCluster start(Path logDir) throws Exception {
        Files.createDirectories(logDir);
        Path repo = repoRoot();
        LocalFlinkCluster probe = new LocalFlinkCluster(repo, logDir, false);
        boolean running = probe.run(60, "status").exitCode == 0;
        long t0 = System.nanoTime();
        Result r = probe.run(300, "start");
        assertThat(r.exitCode)
                .as("deploy/local/flink.sh start failed (output in " + r.log + "):\n" + r.output)
                .isEqualTo(0);
        System.err.printf(
                "[cluster] %s in %d ms%n",
                running ? "reused running cluster" : "started cluster",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return new LocalFlinkCluster(repo, logDir, !running);
    }

    record Result(int exitCode, String output, Path log) {}

    Result run(int timeoutSeconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        Path log = logDir.resolve("flink.sh-" + args[0] + "-" + System.nanoTime() + ".log");
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .directory(repo.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        String s3 = System.getenv("L1_S3_ENDPOINT");
        if (s3 != null && !s3.isBlank() && System.getenv("L1_FLINK_CHECKPOINT_DIR") == null) {
            // Checkpoints where every machine reaches them and none shares a disk: the S3 server.
            pb.environment().put("L1_FLINK_CHECKPOINT_DIR", CHECKPOINTS_IN_S3);
        }
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(
                    "flink.sh " + String.join(" ", args) + " timed out; see " + log);
        }
        return new Result(p.exitValue(), Files.readString(log), log);
    }

    /** {@code flink run -d ARGS} through Flink's CliFrontend; returns the job id. */
    String submit(String... args) throws Exception {
        List<String> all = new ArrayList<>();
        all.add("submit");
        all.addAll(List.of(args));
        Result r = run(180, all.toArray(String[]::new));
        assertThat(r.exitCode).as("flink run (output in " + r.log + ")").isEqualTo(0);
        Matcher m = JOB_ID.matcher(r.output);
        assertThat(m.find()).as("job id in the output of flink run: " + r.output).isTrue();
        return m.group(1);
    }

    void killTaskManager(int n) throws Exception {
        Result r = run(60, "kill-taskmanager", Integer.toString(n));
        assertThat(r.exitCode).as("kill-taskmanager " + n + ": " + r.output).isEqualTo(0);
    }

    void startTaskManager() throws Exception {
        Result r = run(120, "start-taskmanager");
        assertThat(r.exitCode).as("start-taskmanager: " + r.output).isEqualTo(0);
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> resp =
                http.send(
                        HttpRequest.newBuilder(URI.create(rest + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(resp.statusCode()).as("GET " + path + ": " + resp.body()).isEqualTo(200);
        return json.readTree(resp.body());
    }

    String jobState(String jobId) throws Exception {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Waits until the job is in a terminal state and returns it. */
    String awaitTerminal(String jobId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = jobState(jobId);
        while (!TERMINAL.contains(state) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            state = jobState(jobId);
        }
        return state;
    }

    /** Waits until every vertex of the job is RUNNING. */
    void awaitRunning(String jobId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = get("/jobs/" + jobId);
            boolean all = job.path("state").asText().equals("RUNNING");
            for (JsonNode v : job.path("vertices")) {
                all &= v.path("status").asText().equals("RUNNING");
            }
            if (all) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + jobId + " not running within " + timeout);
    }

    /** Stop-with-savepoint through the REST API; returns the savepoint's location. */
    String stopWithSavepoint(String jobId, Path targetDirectory) throws Exception {
        String body =
                json.writeValueAsString(
                        java.util.Map.of(
                                "drain", false, "targetDirectory", targetDirectory.toString()));
        HttpResponse<String> resp =
                http.send(
                        HttpRequest.newBuilder(URI.create(rest + "/jobs/" + jobId + "/stop"))
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(resp.statusCode()).as("POST stop: " + resp.body()).isEqualTo(202);
        String trigger = json.readTree(resp.body()).path("request-id").asText();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            JsonNode st = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if (st.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode op = st.path("operation");
                assertThat(op.has("failure-cause")).as("stop-with-savepoint: " + st).isFalse();
                return op.path("location").asText();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("stop-with-savepoint of " + jobId + " did not complete");
    }

    /**
     * Scrapes every Prometheus endpoint of the cluster (the reporter's port range in conf/) and
     * returns each sample line.
     */
    List<String> scrapePrometheus() throws Exception {
        String range = System.getenv().getOrDefault("L1_FLINK_PROM_PORTS", "9250-9260");
        int from = Integer.parseInt(range.split("-")[0]);
        int to = Integer.parseInt(range.split("-")[1]);
        List<String> lines = new ArrayList<>();
        for (int port = from; port <= to; port++) {
            try {
                HttpResponse<String> resp =
                        http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (resp.statusCode() == 200) {
                    resp.body().lines().filter(l -> !l.startsWith("#")).forEach(lines::add);
                }
            } catch (IOException nothingThere) {
                // no reporter on this port
            }
        }
        return lines;
    }

    @Override
    public void close() throws Exception {
        if (startedHere) {
            run(120, "stop");
        }
    }
}
