package io.artdag.l1.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic test inputs: a plain tree with files around the chunk boundaries, duplicates under
 * other names, and bad inputs (a FIFO, a dangling link); and an artdag cache directory that
 * overlaps it.
 */
final class TestCorpus {
    static final int MIB = 1 << 20;

    private TestCorpus() {}

    /** Writes {@code size} pseudo-random bytes from {@code seed}. */
    static void write(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom r = new SplittableRandom(seed);
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                for (int i = 0; i < buf.length; i += 8) {
                    long v = r.nextLong();
                    for (int k = 0; k < 8; k++) {
                        buf[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    /**
     * A tree of about {@code scale} × 20 MB: unique files of assorted sizes, copies of some of
     * them, and two inputs that must be rejected.
     */
    static Path tree(Path root, int scale) throws IOException {
        long[] sizes = {0, 1, 1000, MIB - 1, MIB, MIB + 1, 3 * MIB + 12345, 5 * MIB};
        int n = 0;
        for (int s = 0; s < scale; s++) {
            for (long size : sizes) {
                write(root.resolve("renders/r" + s + "/out-" + n + ".bin"), size, 1000 + n);
                n++;
            }
            for (int k = 0; k < 12; k++) {
                write(
                        root.resolve("small/s" + s + "/f" + k + ".dat"),
                        200 + 37 * k,
                        5000 + s * 100 + k);
            }
        }
        // duplicates under other names
        Files.createDirectories(root.resolve("copies"));
        Files.copy(root.resolve("renders/r0/out-6.bin"), root.resolve("copies/again-6.bin"));
        Files.copy(root.resolve("renders/r0/out-2.bin"), root.resolve("copies/again-2.bin"));
        Files.copy(root.resolve("small/s0/f3.dat"), root.resolve("copies/f3-copy.dat"));
        // bad inputs
        Path fifo = root.resolve("bad/pipe");
        Files.createDirectories(fifo.getParent());
        try {
            new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.createSymbolicLink(root.resolve("bad/dangling"), root.resolve("bad/nowhere"));
        return root;
    }

    /**
     * Adds {@code count} distinct small files (100–1,100 bytes) under {@code root/many/}, 100 per
     * directory: per-file work that keeps a job busy for seconds whatever its byte rate.
     */
    static Path manySmall(Path root, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            write(
                    root.resolve("many/d" + (i / 100) + "/m" + i + ".dat"),
                    100 + (i * 7919L) % 1000,
                    70_000 + i);
        }
        return root;
    }

    /** An artdag cache: index.json + node directories, one entry with a wrong content_hash. */
    static Path cache(Path root, Path sharedFile) throws IOException {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            String node = "node" + i;
            Path out = root.resolve(node + "/output.bin");
            if (i == 0) {
                Files.createDirectories(out.getParent());
                Files.copy(sharedFile, out);
            } else {
                write(out, 1000L * i * i + (i == 5 ? 2L * MIB : 0), 9000 + i);
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("node_id", node);
            e.put("output_path", "/elsewhere/cache/" + node + "/output.bin");
            e.put("created_at", "2026-11-01T00:00:00Z");
            e.put("size_bytes", Files.size(out));
            e.put("node_type", "SEGMENT");
            if (i == 3) {
                e.put("content_hash", "0".repeat(64));
            }
            e.put("execution_time", 1.5);
            entries.put(node, e);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("entries", entries);
        index.put("stats", Map.of("total_entries", entries.size()));
        new ObjectMapper().writeValue(root.resolve("index.json").toFile(), index);
        return root;
    }
}
