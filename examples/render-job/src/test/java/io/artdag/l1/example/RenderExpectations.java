package io.artdag.l1.example;

import io.artdag.l1.connector.StoreAssertions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * What a run of the example job must leave, from the rule examples/render-job/README.md states
 * (written again here, not taken from RenderStep): step i renders the bytes of step i - 3 when i %
 * 5 == 4, else its own; step s's own bytes are new Random(s).nextBytes over 1,200,000 + s bytes
 * when s % 7 == 3, else 1,000 + 37 s. Hashes by the JDK's SHA3-256.
 */
final class RenderExpectations {
    private RenderExpectations() {}

    static byte[] bytesOfStep(long i) {
        long s = i % 5 == 4 ? i - 3 : i;
        byte[] b = new byte[(int) (s % 7 == 3 ? 1_200_000 + s : 1_000 + 37 * s)];
        new Random(s).nextBytes(b);
        return b;
    }

    /** content hash → the size of its bytes, one entry per distinct content of {@code n} steps. */
    static TreeMap<String, Integer> contents(long n) {
        TreeMap<String, Integer> out = new TreeMap<>();
        for (long i = 0; i < n; i++) {
            byte[] b = bytesOfStep(i);
            out.put(StoreAssertions.sha3(b), b.length);
        }
        return out;
    }

    /** One sighting per step: {@code "<content hash> <out>/step-<i>.bin"}, sorted. */
    static List<String> sightings(long n, Path out) {
        List<String> s = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            s.add(
                    StoreAssertions.sha3(bytesOfStep(i))
                            + " "
                            + out.toAbsolutePath().resolve("step-" + i + ".bin"));
        }
        return s.stream().sorted().toList();
    }
}
