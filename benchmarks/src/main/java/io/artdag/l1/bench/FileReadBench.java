package io.artdag.l1.bench;

import io.artdag.l1.hash.ContentHashes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reads a page-cached 256 MiB file through a FileChannel into a reused 1 MiB buffer (the ceiling
 * for hashing a file), and hashes the same file end to end with {@link ContentHashes#sha3Hex}.
 * Score unit: MB/s. The file is written in {@code java.io.tmpdir} (override with {@code
 * -Djava.io.tmpdir=...}; it must be on a filesystem with page cache, not tmpfs, to be
 * representative) and deleted afterwards.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FileReadBench {
    static final int FILE_SIZE = 256 << 20;
    static final int BUF = 1 << 20;

    @Param({"heap", "direct"})
    public String buffer;

    Path file;
    ByteBuffer buf;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        file = Files.createTempFile("artdag-bench-", ".bin");
        byte[] chunk = new byte[BUF];
        Random rnd = new Random(7);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int i = 0; i < FILE_SIZE / BUF; i++) {
                rnd.nextBytes(chunk);
                ch.write(ByteBuffer.wrap(chunk));
            }
        }
        buf = buffer.equals("direct") ? ByteBuffer.allocateDirect(BUF) : ByteBuffer.allocate(BUF);
        read(); // warm the page cache
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    @OperationsPerInvocation(FILE_SIZE)
    public long read() throws IOException {
        long total = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int n;
            while ((n = ch.read(buf)) >= 0) {
                total += n;
                buf.clear();
            }
        }
        if (total != FILE_SIZE) {
            throw new IllegalStateException("short read " + total);
        }
        return total;
    }

    /** End to end: open, read and SHA3-256 the whole file with the selected implementation. */
    @Benchmark
    @OperationsPerInvocation(FILE_SIZE)
    public String sha3Hex() throws IOException {
        return ContentHashes.sha3Hex(file);
    }
}
