package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/l1}'s class-data archive: used while it is newer than every jar of the distribution,
 * recorded again once any of them changed (the JVM silently ignores an archive whose class path
 * changed, so a rebuilt library jar alone used to turn class-data sharing off for good), and the
 * JVM's signals while it records. Runs the real script in a copy of the distribution's layout,
 * against a stand-in {@code java}.
 */
class BinL1ClassDataArchiveTest {
    /** A stand-in JVM that prints its arguments. */
    private static final String ECHO_JVM = "#!/bin/sh\necho \"$@\"\n";

    @TempDir Path home;

    /** An hour ago: the jars' time; the archive is made a minute after. */
    private final Instant t = Instant.now().minusSeconds(3600);

    @Test
    void archiveIsUsedWhileNewerThanEveryJarAndRecordedAgainWhenOneChanged() throws Exception {
        Path bin = layout(1, ECHO_JVM);
        Path libJar = lib().resolve("a-library-0.jar");
        Path jsa = archive();

        assertThat(run(bin))
                .contains("-XX:SharedArchiveFile=" + jsa)
                .doesNotContain("ArchiveClassesAtExit");

        Files.setLastModifiedTime(libJar, FileTime.from(t.plusSeconds(120))); // a rebuilt library
        assertThat(run(bin))
                .as("a library jar newer than the archive: record a new one")
                .contains("-XX:ArchiveClassesAtExit=" + jsa + ".")
                .doesNotContain("SharedArchiveFile");
    }

    /**
     * A distribution of many jars (the real one has about a hundred): finding the newest must not
     * fail the script. Before, {@code ls -t ... | head -1} under {@code pipefail} ended bin/l1 with
     * SIGPIPE (exit 141, nothing printed) in about half of the runs.
     */
    @Test
    void manyJarsNeverFailTheScript() throws Exception {
        Path bin = layout(300, ECHO_JVM);
        Path jsa = archive();
        for (int i = 0; i < 20; i++) {
            assertThat(run(bin)).contains("-XX:SharedArchiveFile=" + jsa);
        }
    }

    /**
     * While it records the archive, bin/l1 runs the JVM as its child instead of exec'ing it: a
     * SIGTERM to bin/l1 (a supervisor stopping a followed spool) must still reach the JVM, which
     * stops cleanly on it. Before, the script died and left the JVM running.
     */
    @Test
    void aTermWhileRecordingReachesTheJvm() throws Exception {
        Path started = home.resolve("started");
        Path termed = home.resolve("termed");
        Path bin =
                layout(
                        1,
                        "#!/bin/bash\n"
                                + "trap 'echo term > "
                                + termed
                                + "; exit 143' TERM\n"
                                + "echo up > "
                                + started
                                + "\n"
                                + "for i in $(seq 1 600); do sleep 0.1; done\n");
        Process l1 = start(bin).redirectOutput(home.resolve("out.txt").toFile()).start();
        for (int i = 0; i < 200 && !Files.exists(started); i++) {
            Thread.sleep(50);
        }
        assertThat(started).as("the stand-in JVM runs, recording").exists();
        l1.destroy(); // SIGTERM to bin/l1
        assertThat(l1.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 100 && !Files.exists(termed); i++) {
            Thread.sleep(50);
        }
        assertThat(termed).as("the JVM got the TERM").exists();
        assertThat(l1.exitValue()).isEqualTo(143);
    }

    /**
     * The script in {@code home/bin}, the jobs jar and {@code jars} library jars an hour old, and
     * {@code jvm} as {@code home/jdk/bin/java}; no archive.
     */
    private Path layout(int jars, String jvm) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.copy(Path.of("..", "bin", "l1"), bin.resolve("l1"));
        Path lib = Files.createDirectories(lib());
        Path jobsJar = home.resolve("jobs/target/l1-jobs-0.1.0-SNAPSHOT.jar");
        Files.writeString(jobsJar, "jar");
        Files.setLastModifiedTime(jobsJar, FileTime.from(t));
        for (int i = 0; i < jars; i++) {
            Path jar =
                    lib.resolve(
                            "a-library-" + i + (i > 0 ? "-with-a-long-name-1.2.3" : "") + ".jar");
            Files.writeString(jar, "jar");
            Files.setLastModifiedTime(jar, FileTime.from(t));
        }
        Path java = Files.createDirectories(home.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, jvm);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private Path lib() {
        return home.resolve("jobs/target/l1-dist/lib");
    }

    /** An archive a minute newer than the jars. */
    private Path archive() throws IOException {
        Path jsa = home.resolve("jobs/target/l1-dist/l1.jsa");
        Files.writeString(jsa, "archive");
        Files.setLastModifiedTime(jsa, FileTime.from(t.plusSeconds(60)));
        return jsa;
    }

    private ProcessBuilder start(Path bin) {
        ProcessBuilder pb =
                new ProcessBuilder(List.of("bash", bin.resolve("l1").toString(), "ingest", "x"));
        pb.environment().put("JAVA_HOME", home.resolve("jdk").toString());
        pb.environment().remove("L1_REBUILD");
        pb.environment().remove("L1_CDS");
        pb.environment().remove("L1_JAVA_OPTS");
        return pb;
    }

    private String run(Path bin) throws IOException, InterruptedException {
        Process p = start(bin).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
