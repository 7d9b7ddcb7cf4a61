package io.artdag.l1.bench;

import java.security.MessageDigest;
import java.security.Provider;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** SHA-256 (every IPFS block's multihash) of a 1 MiB input. Score unit: MB/s. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Sha256Bench {
    static final int SIZE = 1 << 20;

    /** jdk = SUN provider (HotSpot intrinsic); accp = Amazon Corretto Crypto Provider (AWS-LC). */
    @Param({"jdk", "accp", "bouncycastle"})
    public String impl;

    byte[] heap;
    MessageDigest md;
    SHA256Digest bc;
    byte[] out = new byte[32];

    @Setup
    public void setup() throws Exception {
        heap = new byte[SIZE];
        new Random(1).nextBytes(heap);
        switch (impl) {
            case "jdk" -> md = MessageDigest.getInstance("SHA-256", "SUN");
            case "accp" -> {
                Class<?> c =
                        Class.forName(
                                "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
                Provider p = (Provider) c.getField("INSTANCE").get(null);
                c.getMethod("assertHealthy").invoke(p);
                md = MessageDigest.getInstance("SHA-256", p);
            }
            case "bouncycastle" -> bc = new SHA256Digest();
            default -> throw new IllegalArgumentException(impl);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public byte[] sha256() {
        if (bc != null) {
            bc.update(heap, 0, SIZE);
            bc.doFinal(out, 0);
            return out;
        }
        md.update(heap, 0, SIZE);
        return md.digest();
    }
}
