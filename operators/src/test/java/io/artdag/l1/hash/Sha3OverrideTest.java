package io.artdag.l1.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The override is honoured, and an unavailable explicit choice fails instead of falling back. */
class Sha3OverrideTest {

    /** Entry point of the child JVM: prints the selected implementation or the error. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                Sha3Hasher h = ContentHashes.newSha3_256();
                h.update(new byte[0], 0, 0);
                System.out.print("OK " + ContentHashes.implementationName());
            } catch (RuntimeException e) {
                System.out.print("ERR " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    private static String run(String impl, boolean withoutBouncyCastle) throws Exception {
        return withoutBouncyCastle ? run(impl, "bcprov") : run(impl);
    }

    /** Runs the probe with the class path entries containing any of {@code without} left out. */
    private static String run(String impl, String... without) throws Exception {
        String cp =
                Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                        .filter(e -> Stream.of(without).noneMatch(e::contains))
                        .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(cp);
        if (impl != null) {
            cmd.add("-D" + Sha3Implementations.PROPERTY + "=" + impl);
        }
        cmd.add(Probe.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(Sha3Implementations.ENV);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test
    void explicitJdk() throws Exception {
        assertThat(run("jdk", false)).isEqualTo("OK jdk");
    }

    /**
     * The order docs/benchmarks.md ("What auto picks and why") documents: openssl first; then, on
     * JDK 17–24, BouncyCastle before the JDK's SHA3, on JDK 25 and later the JDK's before
     * BouncyCastle. OpenSSL is taken away by leaving JNA off the class path.
     */
    @Test
    void autoFollowsTheDocumentedOrder() throws Exception {
        String second = Runtime.version().feature() >= 25 ? "jdk" : "bouncycastle";
        assertThat(run(null, "/jna/")).isEqualTo("OK " + second);
        assertThat(run("auto", "/jna/")).isEqualTo("OK " + second);
        assertThat(run(null, "/jna/", "bcprov")).isEqualTo("OK jdk");
    }

    @Test
    void explicitButMissingImplementationFailsLoudly() throws Exception {
        String out = run("bouncycastle", true);
        assertThat(out)
                .startsWith("ERR IllegalStateException")
                .contains("\"bouncycastle\" was requested but is not available");
    }

    @Test
    void unknownOverrideFails() throws Exception {
        assertThat(run("sha3-turbo", false)).startsWith("ERR IllegalArgumentException");
    }
}
