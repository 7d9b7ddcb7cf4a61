package io.artdag.l1.cluster;

import io.artdag.l1.car.CarV1Writer;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.Multihash;
import io.artdag.l1.kubo.DagImportResult;
import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.kubo.KuboTestOps;
import io.artdag.l1.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the cluster integration tests share: fresh blocks in Kubo 0, bounded polling, the script.
 */
final class ClusterFixtures {
    private ClusterFixtures() {}

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A checked supplier, for polling. */
    interface Probe<T> {
        T get() throws Exception;
    }

    /** A checked predicate. */
    interface Check<T> {
        boolean test(T t) throws Exception;
    }

    /**
     * Imports one fresh raw block (random bytes) into the Kubo of L1_KUBO_API without pinning it
     * there, and returns its CID: only a pin (by the cluster) will keep it.
     */
    static String freshBlockInKubo0(Path dir, String label) throws Exception {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        byte[] data =
                ("artdag cluster test " + label + " " + HexFormat.of().formatHex(nonce))
                        .getBytes(StandardCharsets.UTF_8);
        Cid cid = Cid.v1(Cid.RAW, Multihash.sha256(data, 0, data.length));
        Path car = Files.createTempFile(dir, label, ".car");
        try (OutputStream out = Files.newOutputStream(car);
                CarV1Writer w = new CarV1Writer(out, List.of(cid))) {
            w.put(cid, data);
        }
        KuboClient kubo = KuboTestOps.create(TestServices.get("L1_KUBO_API"));
        DagImportResult r = kubo.dagImport(car, false);
        if (r.stats().isPresent() && r.stats().get().blockCount() != 1) {
            throw new AssertionError("dag/import of " + car + " reported " + r.stats());
        }
        return cid.toString();
    }

    /** Polls {@code probe} every 250 ms until {@code done} holds; fails after {@code limit}. */
    static <T> T await(String what, Duration limit, Probe<T> probe, Check<T> done)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = null;
        Exception lastError = null;
        while (true) {
            try {
                last = probe.get();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (PinBackendException e) {
                if (!e.retryable()) {
                    throw e;
                }
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError a =
                        new AssertionError(
                                what + ": not reached within " + limit + "; last seen: " + last);
                if (lastError != null) {
                    a.initCause(lastError);
                }
                throw a;
            }
            Thread.sleep(250);
        }
    }

    /**
     * Runs deploy/local/ipfs-cluster.sh with {@code args}; returns its stdout, fails on exit != 0.
     */
    static String script(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(TestServices.clusterScript().toString());
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("ipfs-cluster-sh", ".err");
        try {
            Process p =
                    new ProcessBuilder(cmd)
                            .redirectError(err.toFile())
                            .redirectInput(
                                    ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                            .start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in 180 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(
                        String.join(" ", cmd)
                                + " exited with "
                                + p.exitValue()
                                + ":\n"
                                + Files.readString(err));
            }
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
