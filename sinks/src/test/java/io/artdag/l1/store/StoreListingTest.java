package io.artdag.l1.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.car.CarV2Writer;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.UnixFsFileBuilder;
import io.artdag.l1.ipld.UnixFsProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreIndex#forEachStoredContent}: one row per content, its producers, its time. */
class StoreListingTest {
    @TempDir Path tmp;

    private static Cid stage(LocalStore store, String segment, String text) throws IOException {
        CarV2Writer car = new CarV2Writer(LocalStore.stagedFile(store.stagingDir(), segment), 4096);
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        UnixFsFileBuilder b = new UnixFsFileBuilder(UnixFsProfile.V1_2025, car::put);
        b.write(data, 0, data.length);
        Cid root = b.finish();
        car.addRoot(root);
        car.seal(true);
        return root;
    }

    private static ContentRecord content(String hash, Cid root, String nodeId) {
        return new ContentRecord(
                hash, root.toString(), 5, "unixfs-v1-2025", "w-0", nodeId, null, "/in/x", null);
    }

    @Test
    void listsEachContentOnceWithItsDistinctSortedNodeIds() throws IOException {
        String a = "aa".repeat(32);
        String b = "bb".repeat(32);
        String c = "cc".repeat(32);
        String elsewhere = "dd".repeat(32); // sighted, stored by another job: not listed
        List<StoredContent> listed = new ArrayList<>();
        Instant before = Instant.now();
        try (LocalStore store = LocalStore.open(tmp.resolve("s"))) {
            Cid root = stage(store, "w-0", "hello");
            store.commitSegment("w-0");
            store.index()
                    .commitRecords(
                            // inserted out of order; c's first producer is also a sighting's
                            List.of(
                                    content(c, root, "n2"),
                                    content(a, root, null),
                                    content(b, root, "z9")),
                            List.of(
                                    new Sighting(c, "/in/1", "n2", "T"),
                                    new Sighting(c, "/in/2", "n1", "T"),
                                    new Sighting(c, "/in/3", "n2", "T"),
                                    new Sighting(c, "/in/4", null, null),
                                    new Sighting(b, "/in/5", "a,b", "T"),
                                    new Sighting(a, "/in/6", null, null),
                                    new Sighting(elsewhere, "/in/7", "n3", "T")),
                            List.of());
            store.index().forEachStoredContent(listed::add);
        }
        assertThat(listed)
                .extracting(StoredContent::contentHash, StoredContent::nodeIds)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(a, List.of()),
                        org.assertj.core.groups.Tuple.tuple(b, List.of("a,b", "z9")),
                        org.assertj.core.groups.Tuple.tuple(c, List.of("n1", "n2")));
        assertThat(listed).allSatisfy(s -> assertThat(s.size()).isEqualTo(5));
        assertThat(listed)
                .allSatisfy(
                        s ->
                                assertThat(Instant.parse(s.storedAt()))
                                        .isBetween(before, Instant.now()));
    }

    @Test
    void anEmptyStoreListsNothing() throws IOException {
        List<StoredContent> listed = new ArrayList<>();
        try (LocalStore store = LocalStore.open(tmp.resolve("s"))) {
            store.index().forEachStoredContent(listed::add);
        }
        assertThat(listed).isEmpty();
    }
}
