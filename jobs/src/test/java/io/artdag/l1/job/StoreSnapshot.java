package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreIndex;
import io.artdag.l1.store.StoreVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a store holds, in a form two stores can be compared by: contents (hash, root CID, size,
 * profile), sightings (hash, path) and rejections (path, reason). Segment names and timestamps
 * differ between runs and are left out.
 */
record StoreSnapshot(List<String> contents, List<String> sightings, List<String> rejections) {

    static StoreSnapshot of(Path store) throws IOException {
        try (LocalStore s = LocalStore.openExisting(store)) {
            List<String> contents = new ArrayList<>();
            s.index()
                    .forEachContent(
                            c ->
                                    contents.add(
                                            c.contentHash()
                                                    + " "
                                                    + c.rootCid()
                                                    + " "
                                                    + c.size()
                                                    + " "
                                                    + c.profile()));
            List<String> sightings = new ArrayList<>();
            s.index().sightings().forEach(x -> sightings.add(x.contentHash() + " " + x.path()));
            List<String> rejections = new ArrayList<>();
            s.index().rejections().forEach(x -> rejections.add(x.path() + " :: " + x.reason()));
            return new StoreSnapshot(contents, sightings, rejections);
        }
    }

    /**
     * The store is sound: {@code verify} finds nothing, nothing is left in staging, and every
     * content's root is listed by exactly one segment (no content stored twice).
     */
    static void assertSound(Path store) throws IOException {
        try (LocalStore s = LocalStore.openExisting(store)) {
            StoreVerifier.Report report = new StoreVerifier(s, m -> {}).verify();
            assertThat(report.problems()).as("verify problems of " + store).isEmpty();
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
