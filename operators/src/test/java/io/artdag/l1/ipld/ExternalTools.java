package io.artdag.l1.ipld;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * Locates and runs the independent reference tools the tests compare against. Install them with
 * {@code deploy/local/install-tools.sh}; a missing tool fails the test (never skips).
 */
public final class ExternalTools {
    public static final String INSTALL_HINT =
            "run deploy/local/install-tools.sh and export the variables it prints";

    private ExternalTools() {}

    static Path toolsDir() {
        String d = System.getenv("L1_TOOLS_DIR");
        return d != null && !d.isEmpty()
                ? Path.of(d)
                : Path.of(System.getProperty("user.home"), ".cache", "artdag-l1", "tools");
    }

    /** npm ipfs-car (3.1.0): @ipld/unixfs with raw leaves, 1 MiB chunks, width 1024. */
    public static Path ipfsCar() {
        return locate(
                "L1_IPFS_CAR",
                toolsDir().resolve("ipfs-car/node_modules/.bin/ipfs-car"),
                "ipfs-car");
    }

    /**
     * Debian ipfs-cid: prints {"CIDv0": classic (unixfs-v0-2015) root, "CIDv1": same DAG as v1}.
     */
    public static Path ipfsCid() {
        return locate("L1_IPFS_CID", Path.of("/usr/bin/ipfs_cid"), "ipfs_cid");
    }

    private static Path locate(String env, Path fallback, String name) {
        String v = System.getenv(env);
        Path p = v != null && !v.isEmpty() ? Path.of(v) : fallback;
        if (!Files.isExecutable(p)) {
            Assertions.fail(name + " not found at " + p + " (set " + env + "); " + INSTALL_HINT);
        }
        return p;
    }

    /** Runs a command, asserts exit status 0, returns its stdout (stderr shown on failure). */
    public static String run(List<String> cmd, Path cwd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("l1-tool", ".out");
        Path err = Files.createTempFile("l1-tool", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            if (cwd != null) {
                pb.directory(cwd.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                Assertions.fail("timed out: " + cmd);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue())
                    .as(
                            "exit status of %s; stdout:%n%s%nstderr:%n%s",
                            cmd, text, Files.readString(err, StandardCharsets.UTF_8))
                    .isZero();
            return text;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Root CID of {@code file} as Kubo's classic profile computes it, via ipfs_cid. */
    public static String ipfsCidV0(Path file) throws Exception {
        String json = run(List.of(ipfsCid().toString(), file.toString()), null);
        return new ObjectMapper().readTree(json.trim()).get("CIDv0").asText();
    }

    /** Root CID from {@code ipfs-car pack FILE --no-wrap}, writing the CAR to {@code car}. */
    public static String ipfsCarPack(Path file, Path car) throws Exception {
        String out =
                run(
                        List.of(
                                ipfsCar().toString(),
                                "pack",
                                file.toString(),
                                "--no-wrap",
                                "-o",
                                car.toString()),
                        null);
        return lastLine(out);
    }

    public static List<String> lines(String out) {
        List<String> l = new ArrayList<>();
        for (String s : out.split("\\R")) {
            if (!s.isBlank()) {
                l.add(s.trim());
            }
        }
        return l;
    }

    static String lastLine(String out) {
        List<String> l = lines(out);
        return l.isEmpty() ? "" : l.get(l.size() - 1);
    }

    /**
     * Writes {@code size} deterministic pseudo-random bytes (xorshift64*, seeded) to {@code out}.
     */
    public static void writePseudoRandom(OutputStream out, long size, long seed)
            throws IOException {
        byte[] buf = new byte[1 << 16];
        long x = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            for (int i = 0; i < n; i += 8) {
                x ^= x >>> 12;
                x ^= x << 25;
                x ^= x >>> 27;
                long r = x * 0x2545F4914F6CDD1DL;
                for (int j = 0; j < 8 && i + j < n; j++) {
                    buf[i + j] = (byte) (r >>> (8 * j));
                }
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    public static Path pseudoRandomFile(Path dir, long size, long seed) throws IOException {
        Path f = dir.resolve("prand-" + size + "-" + seed + ".bin");
        try (OutputStream out =
                new java.io.BufferedOutputStream(Files.newOutputStream(f), 1 << 20)) {
            writePseudoRandom(out, size, seed);
        }
        return f;
    }
}
