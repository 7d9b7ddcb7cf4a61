package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.cli.L1Command;
import io.artdag.l1.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.RedisClient;

/**
 * What the fault matrix needs around {@code l1 ingest}: the command run as a child JVM (so that it
 * can be SIGKILLed), the deploy/local scripts that break the services, and the whole final state of
 * a run — local store and, in l1 mode, Redis, PostgreSQL and Kubo — read independently of the code
 * under test.
 */
final class FaultHarness {
    static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    private FaultHarness() {}

    /**
     * The repository's sample artdag cache ({@code examples/artdag-cache}), copied to {@code to}.
     */
    static void copySampleCache(Path to) throws IOException {
        Path from = REPO.resolve("examples/artdag-cache");
        try (java.util.stream.Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    /**
     * local or l1, in l1 mode the namespace (Redis key prefix and PostgreSQL schema), and any
     * further arguments (a {@code --config} file, say).
     */
    record Mode(String name, String ns, List<String> extra) {
        Mode(String name, String ns) {
            this(name, ns, List.of());
        }

        boolean l1() {
            return name.equals("l1");
        }

        List<String> args() {
            if (!l1()) {
                return extra;
            }
            List<String> a = new ArrayList<>(extra);
            a.addAll(
                    List.of(
                            "--mode",
                            "l1",
                            "--kubo-api",
                            TestServices.get("L1_KUBO_API"),
                            "--redis-url",
                            TestServices.get("L1_REDIS_URL"),
                            "--redis-key-prefix",
                            ns + ":",
                            "--pg-url",
                            TestServices.get("L1_PG_URL"),
                            "--pg-user",
                            TestServices.get("L1_PG_USER"),
                            "--pg-schema",
                            ns));
            return a;
        }
    }

    static List<String> ingestArgs(Mode mode, Path store, Path input) {
        return ingestArgs(mode, store, input, 2);
    }

    /** The small-segment, fast-checkpoint {@code l1 ingest} arguments the fault tests use. */
    static List<String> ingestArgs(Mode mode, Path store, Path input, int parallelism) {
        List<String> a = new ArrayList<>();
        a.addAll(
                List.of(
                        "ingest",
                        "--quiet",
                        "--store",
                        store.toString(),
                        "--seal-bytes",
                        "2mb",
                        "--checkpoint-interval",
                        "300ms",
                        "--parallelism",
                        String.valueOf(parallelism)));
        a.addAll(mode.args());
        a.add(input.toString());
        return a;
    }

    /**
     * {@code l1 ingest} in a child JVM, paced ({@link PacedL1Command}) so that it is still running
     * when the test acts on it; its output goes to a log file in {@code logs}.
     */
    static Process startIngest(Mode mode, Path store, Path input, Path logs) throws IOException {
        return startPacedCli(logs, ingestArgs(mode, store, input));
    }

    /** {@link #startCli} with a pause after each sealed segment ({@link PacedL1Command}). */
    static Process startPacedCli(Path logs, List<String> args) throws IOException {
        return start(logs, PacedL1Command.class.getName(), args, null);
    }

    /**
     * As {@link #startPacedCli(Path, List)}, its writers held after a seal while {@code gate}
     * exists ({@link PacedL1Command#GATE_ENV}).
     */
    static Process startPacedCli(Path logs, List<String> args, Path gate) throws IOException {
        return start(logs, PacedL1Command.class.getName(), args, gate);
    }

    /**
     * The {@code l1} command in a child JVM (so that a test can SIGKILL it) with this JVM's class
     * path; its output goes to a new log file in {@code logs}.
     */
    static Process startCli(Path logs, List<String> args) throws IOException {
        return start(logs, L1Command.class.getName(), args, null);
    }

    private static Process start(Path logs, String mainClass, List<String> args, Path gate)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : System.getProperty("l1.test.jvmopens", "").split(" ")) {
            if (!o.isBlank()) {
                cmd.add(o);
            }
        }
        cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path")));
        cmd.add(mainClass);
        cmd.addAll(args);
        Files.createDirectories(logs);
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(logs.resolve("l1-" + System.nanoTime() + ".log").toFile());
        pb.environment().put("L1_PG_PASSWORD", TestServices.get("L1_PG_PASSWORD"));
        if (gate != null) {
            pb.environment().put(PacedL1Command.GATE_ENV, gate.toString());
        }
        return pb.start();
    }

    static int runIngest(Mode mode, Path store, Path input, Path logs) throws Exception {
        Process p = startCli(logs, ingestArgs(mode, store, input));
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            // Killed, so that it neither holds the store's lock for the next case nor outlives
            // the test; its log goes into the failure, since the directory is deleted after.
            p.destroyForcibly().waitFor();
            StringBuilder tail = new StringBuilder();
            try (var files = Files.list(logs)) {
                for (Path log : files.sorted().toList()) {
                    List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
                    tail.append("\n--- ").append(log.getFileName()).append(" (last 60 lines)\n");
                    lines.subList(Math.max(0, lines.size() - 60), lines.size())
                            .forEach(l -> tail.append(l).append('\n'));
                }
            }
            throw new AssertionError("ingest did not end within 600 s; killed." + tail);
        }
        return p.exitValue();
    }

    /** Waits until {@code cond} holds while {@code p} runs; fails if it ends first. */
    static void awaitWhileRunning(Process p, BooleanSupplier cond, String what, Path logs)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!cond.getAsBoolean()) {
            assertThat(p.isAlive())
                    .as("ingest still running before " + what + " (logs in " + logs + ")")
                    .isTrue();
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static void sigkill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL on Linux; the MiniCluster runs inside this JVM
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    /** Runs the {@code l1} command in this JVM; returns exit code and what it wrote to stderr. */
    record Cli(int exit, String err) {}

    static synchronized Cli cli(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int rc = L1Command.execute(args);
            return new Cli(rc, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    /** Exit code, standard output and standard error of an in-process {@code l1} command. */
    record Output(int exit, String out, String err) {}

    /**
     * Runs the {@code l1} command in this JVM with the mode's service options (not {@code --mode},
     * for the commands that have none), capturing both streams.
     */
    static synchronized Output cliOut(String[] args, Mode mode) {
        List<String> all = new ArrayList<>(List.of(args));
        List<String> service = new ArrayList<>(mode.args());
        int m = service.indexOf("--mode");
        if (m >= 0) {
            service.remove(m + 1);
            service.remove(m);
        }
        all.addAll(service);
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int rc = L1Command.execute(all.toArray(String[]::new));
            return new Output(
                    rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    /** Runs a deploy/local script; it must succeed. */
    static void script(String... cmd) throws Exception {
        List<String> c = new ArrayList<>();
        c.add("bash");
        c.add(REPO.resolve("deploy/local").resolve(cmd[0]).toString());
        c.addAll(List.of(cmd).subList(1, cmd.length));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", c) + ":\n" + out).isZero();
    }

    static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
    }

    /** Terminates every PostgreSQL backend of the artdag database but the asking one. */
    static void terminatePostgresBackends() throws Exception {
        try (Connection c = pg();
                Statement st = c.createStatement()) {
            st.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE"
                            + " datname = current_database() AND pid <> pg_backend_pid()");
        }
    }

    static Connection pg() throws Exception {
        return DriverManager.getConnection(
                TestServices.get("L1_PG_URL"),
                TestServices.get("L1_PG_USER"),
                TestServices.get("L1_PG_PASSWORD"));
    }

    /** Everything a run leaves behind, for comparison with a fault-free run. */
    record FinalState(
            StoreSnapshot store,
            Map<String, String> contentIndex,
            Map<String, String> ipfsIndex,
            TreeSet<String> cacheItems,
            TreeSet<String> storagePins,
            TreeSet<String> sightings,
            TreeSet<String> rejected) {}

    static FinalState state(Mode mode, Path store) throws Exception {
        StoreSnapshot snap = StoreSnapshot.of(store);
        if (!mode.l1()) {
            return new FinalState(snap, Map.of(), Map.of(), null, null, null, null);
        }
        FinalState services = servicesState(mode);
        return new FinalState(
                snap,
                services.contentIndex(),
                services.ipfsIndex(),
                services.cacheItems(),
                services.storagePins(),
                services.sightings(),
                services.rejected());
    }

    /**
     * The services' part of {@link #state}, for a run that keeps no store (the cluster job in l1
     * mode): Redis's indexes and PostgreSQL's rows.
     */
    static FinalState servicesState(Mode mode) throws Exception {
        Map<String, String> content;
        Map<String, String> ipfs;
        try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
            content = new TreeMap<>(redis.hgetAll(mode.ns() + ":content_index"));
            ipfs = new TreeMap<>(redis.hgetAll(mode.ns() + ":ipfs_index"));
        }
        return new FinalState(
                null,
                content,
                ipfs,
                rows(mode, "SELECT content_hash || ' ' || ipfs_cid FROM cache_items"),
                rows(
                        mode,
                        "SELECT content_hash || ' ' || ipfs_cid || ' ' || pin_type FROM storage_pins"),
                rows(mode, "SELECT content_hash || ' ' || path FROM sightings"),
                rows(mode, "SELECT path || ' :: ' || reason FROM rejected_inputs"));
    }

    /** Every root of every segment PostgreSQL records as published, repeats kept. */
    static List<String> publishedRoots(Mode mode) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = pg();
                Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + mode.ns());
            try (ResultSet rs = st.executeQuery("SELECT roots FROM segments")) {
                while (rs.next()) {
                    for (Object r : (Object[]) rs.getArray(1).getArray()) {
                        out.add((String) r);
                    }
                }
            }
        }
        return out;
    }

    /** The first column of every row of {@code sql} in the mode's schema, sorted. */
    static TreeSet<String> rows(Mode mode, String sql) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        try (Connection c = pg();
                Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + mode.ns());
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String kubo(String call) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                TestServices.get("L1_KUBO_API")
                                                        + "/api/v0/"
                                                        + call))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    /**
     * Whether Kubo pins {@code cid} recursively (asked over its RPC API, not through our client).
     */
    static boolean pinnedRecursively(String cid) throws Exception {
        String r = kubo("pin/ls?type=recursive&arg=" + cid);
        return r.startsWith("200 ") && r.contains(cid);
    }

    /** Unpins {@code cid} (a no-op when it is not pinned), so a case must pin it again. */
    static void unpin(String cid) throws Exception {
        kubo("pin/rm?arg=" + cid);
    }
}
