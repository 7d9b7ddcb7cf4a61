package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;

/**
 * Runs the {@code l1} command line in this JVM as a user would, and the reference tools the read
 * side is compared against (a missing tool fails the test, never skips it).
 */
final class Cli {
    private Cli() {}

    /** What one command did: exit code, standard output (bytes) and standard error. */
    record Result(int code, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }

        /** Standard output's non-empty lines. */
        List<String> lines() {
            return outText().lines().filter(l -> !l.isEmpty()).toList();
        }
    }

    static synchronized Result run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = L1Command.execute(args);
        } finally {
            System.out.flush();
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code l1 ingest --quiet} of {@code inputs} (after any options in {@code extra}). */
    static void ingest(Path store, List<String> extra, Path... inputs) {
        List<String> args =
                new ArrayList<>(List.of("ingest", "--quiet", "--store", store.toString()));
        args.addAll(extra);
        args.addAll(List.of("--parallelism", "2"));
        for (Path p : inputs) {
            args.add(p.toString());
        }
        Result r = run(args.toArray(String[]::new));
        assertThat(r.code()).as("ingest: %s", r.err()).isZero();
    }

    /**
     * A configuration file for l1 mode against the test services, its own Redis prefix and
     * PostgreSQL schema {@code ns}, the password in a file beside it, Kubo as the required pin
     * backend, then {@code extra} lines; written to {@code dir/l1.yaml}.
     */
    static Path l1Config(Path dir, String ns, String... extra) throws IOException {
        Path password = dir.resolve("pg-password");
        Files.writeString(password, TestServices.get("L1_PG_PASSWORD"));
        List<String> lines =
                new ArrayList<>(
                        List.of(
                                "l1.mode: l1",
                                "l1.kubo.api: " + TestServices.get("L1_KUBO_API"),
                                "l1.redis.url: " + TestServices.get("L1_REDIS_URL"),
                                "l1.redis.key-prefix: \"" + ns + ":\"",
                                "l1.postgres.url: " + TestServices.get("L1_PG_URL"),
                                "l1.postgres.user: " + TestServices.get("L1_PG_USER"),
                                "l1.postgres.password-file: " + password,
                                "l1.postgres.schema: " + ns,
                                "l1.pin.required: [kubo]"));
        lines.addAll(List.of(extra));
        lines.add("");
        return Files.writeString(dir.resolve("l1.yaml"), String.join("\n", lines));
    }

    /** {@code l1 get --config CONF --store STORE REF -o OUT}. */
    static Result get(Path conf, Path store, String ref, Path out) {
        return run(
                "get",
                "--config",
                conf.toString(),
                "--store",
                store.toString(),
                ref,
                "-o",
                out.toString());
    }

    /** The repository's sample artdag cache, copied to {@code dest} (the test owns its paths). */
    static Path exampleCache(Path dest) throws IOException {
        Path src = Path.of("..", "examples", "artdag-cache").toAbsolutePath().normalize();
        assertThat(src.resolve("index.json")).exists();
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path to = dest.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return dest;
    }

    /** SHA3-256 by the JDK (independent of the store's hashers). */
    static String sha3(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA3-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String sha3(Path file) throws IOException {
        return sha3(Files.readAllBytes(file));
    }

    /** npm ipfs-car 3.1.0, where deploy/local/install-tools.sh puts it (or $L1_IPFS_CAR). */
    static Path ipfsCar() {
        String home = System.getProperty("user.home");
        String dir = System.getenv("L1_TOOLS_DIR");
        Path tools =
                dir != null && !dir.isEmpty()
                        ? Path.of(dir)
                        : Path.of(home, ".cache", "artdag-l1", "tools");
        return locate("L1_IPFS_CAR", tools.resolve("ipfs-car/node_modules/.bin/ipfs-car"));
    }

    /** Debian's ipfs_cid: prints the classic (unixfs-v0-2015) root CID of a file. */
    static Path ipfsCid() {
        return locate("L1_IPFS_CID", Path.of("/usr/bin/ipfs_cid"));
    }

    private static Path locate(String env, Path fallback) {
        String v = System.getenv(env);
        Path p = v != null && !v.isEmpty() ? Path.of(v) : fallback;
        if (!Files.isExecutable(p)) {
            Assertions.fail(
                    p
                            + " not found (set "
                            + env
                            + "); run deploy/local/install-tools.sh and export what it prints");
        }
        return p;
    }

    /** Runs a reference tool, asserts exit status 0, returns its standard output. */
    static String tool(Path tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("l1-tool", ".out");
        Path err = Files.createTempFile("l1-tool", ".err");
        try {
            Process p =
                    new ProcessBuilder(cmd)
                            .redirectOutput(out.toFile())
                            .redirectError(err.toFile())
                            .start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                Assertions.fail("timed out: " + cmd);
            }
            String text = Files.readString(out);
            assertThat(p.exitValue())
                    .as("%s: stdout %s stderr %s", cmd, text, Files.readString(err))
                    .isZero();
            return text;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static List<String> toolLines(Path tool, String... args) throws Exception {
        return tool(tool, args).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
