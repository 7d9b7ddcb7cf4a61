package io.artdag.l1.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreIndex;
import io.artdag.l1.store.StoreVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a store holds, read from its index, and the soundness checks of {@code l1 verify} (as jobs'
 * StoreSnapshot has them); expected hashes come from the JDK's SHA3-256, not the store's.
 */
public final class StoreAssertions {
    private StoreAssertions() {}

    /** SHA3-256 of {@code bytes} by the JDK, lowercase hex. */
    public static String sha3(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA3-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Every stored content: content hash → root CID. */
    public static TreeMap<String, String> contents(Path store) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        try (LocalStore s = LocalStore.openExisting(store)) {
            s.index().forEachContent(c -> out.put(c.contentHash(), c.rootCid()));
        }
        return out;
    }

    /** Every sighting as {@code "<content hash> <path>"}, sorted. */
    public static List<String> sightings(Path store) throws IOException {
        List<String> out = new ArrayList<>();
        try (LocalStore s = LocalStore.openExisting(store)) {
            s.index().sightings().forEach(x -> out.add(x.contentHash() + " " + x.path()));
        }
        return out.stream().sorted().toList();
    }

    /** Every rejection as {@code "<path> :: <reason>"}, sorted. */
    public static List<String> rejections(Path store) throws IOException {
        List<String> out = new ArrayList<>();
        try (LocalStore s = LocalStore.openExisting(store)) {
            s.index().rejections().forEach(x -> out.add(x.path() + " :: " + x.reason()));
        }
        return out.stream().sorted().toList();
    }

    /** Contents committed so far (0 while the index does not exist yet). */
    public static long committedContents(Path store) {
        Path db = LocalStore.indexFile(store);
        if (!Files.exists(db)) {
            return 0;
        }
        try (StoreIndex index = StoreIndex.openReadOnly(db)) {
            return index.stats().uniqueContents();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The store is sound: the verifier finds nothing, nothing is left in staging, and every
     * content's root is listed by exactly one segment (no content stored twice).
     */
    public static void assertSound(Path store) throws IOException {
        try (LocalStore s = LocalStore.openExisting(store)) {
            StoreVerifier.Report report = new StoreVerifier(s, m -> {}).verify();
            assertThat(report.problems()).as("verify problems of " + store).isEmpty();
            assertThat(report.consistent()).as("verify of " + store).isTrue();
            assertThat(s.stagingFiles()).as("staging of " + store).isEmpty();
            Map<String, Integer> rootListings = new HashMap<>();
            for (StoreIndex.SegmentRow row : s.index().segments()) {
                row.roots().forEach(r -> rootListings.merge(r, 1, Integer::sum));
            }
            s.index()
                    .forEachContent(
                            c ->
                                    assertThat(rootListings.getOrDefault(c.rootCid(), 0))
                                            .as("segments listing root of " + c.contentHash())
                                            .isEqualTo(1));
        }
    }
}
