package io.artdag.l1.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An I/O failure while the sink writes or commits a segment (a full disk, say) names the file it
 * was writing and what it was doing. Root ignores permissions, so the failures are provoked with a
 * file size limit (EFBIG on write, as ENOSPC would fail) and a directory replaced by a file.
 */
class SegmentWriteFailureTest {
    private static final int MIB = 1 << 20;

    @TempDir Path tmp;

    private Path input(long size) throws IOException {
        byte[] b = new byte[(int) size];
        new Random(size).nextBytes(b);
        Path f = tmp.resolve("in-" + size + ".bin");
        Files.write(f, b);
        return f;
    }

    /** Sets this JVM's file size limit (RLIMIT_FSIZE soft limit) with prlimit. */
    private static void fileSizeLimit(String soft) throws Exception {
        Process p =
                new ProcessBuilder(
                                "prlimit",
                                "--pid",
                                Long.toString(ProcessHandle.current().pid()),
                                "--fsize=" + soft + ":")
                        .inheritIO()
                        .start();
        if (p.waitFor() != 0) {
            throw new AssertionError("prlimit failed");
        }
    }

    @Test
    void aFailedSegmentWriteNamesTheInProgressFile() throws Exception {
        Path store = tmp.resolve("store");
        Path big = input(3 * MIB);
        try (RealSink sink = new RealSink(store, 2 * MIB)) {
            // The JVM ignores SIGXFSZ: a write past the limit fails with EFBIG, as a full disk
            // fails with ENOSPC.
            fileSizeLimit("500000");
            try {
                assertThatThrownBy(() -> sink.write(big))
                        .isInstanceOf(IOException.class)
                        .hasMessageStartingWith(
                                "writing " + store.toAbsolutePath().resolve("staging") + "/")
                        .hasMessageMatching("writing .*\\.car\\.inprogress: File too large");
            } finally {
                fileSizeLimit("unlimited");
            }
        }
    }

    @Test
    void aStagingDirectoryThatIsGoneNamesTheFileBeingCreated() throws Exception {
        Path store = tmp.resolve("store");
        Path small = input(1000);
        try (RealSink sink = new RealSink(store, 2 * MIB)) {
            Path staging = store.resolve("staging");
            Files.delete(staging);
            Files.writeString(staging, "not a directory");
            assertThatThrownBy(() -> sink.write(small))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("creating " + staging.toAbsolutePath() + "/")
                    .hasMessageEndingWith(".car.inprogress: Not a directory");
        }
    }

    @Test
    void aFailedCommitRenameNamesBothFiles() throws Exception {
        Path store = tmp.resolve("store");
        try (RealSink sink = new RealSink(store, 2 * MIB)) {
            sink.write(input(1000));
            sink.checkpoint(); // the committer has opened the store
            sink.write(input(2000));
            Path segments = store.resolve("segments");
            Files.move(segments, tmp.resolve("segments-elsewhere"));
            Files.writeString(segments, "not a directory");
            assertThatThrownBy(sink::checkpoint)
                    .isInstanceOf(StoreException.class)
                    .hasMessageMatching(
                            "renaming "
                                    + store.toAbsolutePath().resolve("staging")
                                    + "/[^ ]+\\.car to "
                                    + segments.toAbsolutePath()
                                    + "/[^ ]+\\.car: Not a directory");
        }
    }
}
