package io.artdag.l1.bench;

import io.artdag.l1.hash.ContentHashes;
import io.artdag.l1.hash.Sha3Hasher;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SHA3-256 of a 1 MiB input per implementation. Score unit is bytes/µs, i.e. MB/s (10^6 B/s), the
 * unit {@code openssl speed} uses.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Sha3Bench {
    static final int SIZE = 1 << 20;

    @Param({"jdk", "bouncycastle", "openssl"})
    public String impl;

    byte[] heap;
    ByteBuffer direct;
    Sha3Hasher hasher;

    @Setup
    public void setup() {
        heap = new byte[SIZE];
        new Random(1).nextBytes(heap);
        direct = ByteBuffer.allocateDirect(SIZE).put(heap).flip();
        hasher = ContentHashes.newSha3_256(impl);
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public byte[] sha3_256_heap() {
        hasher.update(heap, 0, SIZE);
        return hasher.digest();
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public byte[] sha3_256_direct() {
        direct.clear();
        hasher.update(direct);
        return hasher.digest();
    }
}
