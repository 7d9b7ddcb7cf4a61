package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.store.LocalStore;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code l1 verify --repair} end to end: a store that lost a segment, or whose index is garbled, is
 * repaired, and ingesting the same sources again makes it equal to a clean ingest of them.
 */
class StoreRepairTest {

    @TempDir Path tmp;

    /** content hash -> "root size profile" of a store. */
    private static TreeMap<String, String> contents(Path store) throws Exception {
        TreeMap<String, String> out = new TreeMap<>();
        try (LocalStore s = LocalStore.openExisting(store)) {
            s.index()
                    .forEachContent(
                            c ->
                                    out.put(
                                            c.contentHash(),
                                            c.rootCid() + " " + c.size() + " " + c.profile()));
        }
        return out;
    }

    private static List<Path> segmentFiles(Path store) throws Exception {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds =
                Files.newDirectoryStream(store.resolve("segments"), "*.car")) {
            ds.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    /** Content hashes whose root CID a segment file's header lists, read with the CAR reader. */
    private static Set<String> contentsRootedIn(Path store, Path segment) throws Exception {
        Set<String> roots = new TreeSet<>();
        try (io.artdag.l1.car.CarV2Reader car = io.artdag.l1.car.CarV2Reader.open(segment)) {
            car.roots().forEach(r -> roots.add(r.toString()));
        }
        Set<String> out = new TreeSet<>();
        contents(store)
                .forEach(
                        (h, v) -> {
                            if (roots.contains(v.split(" ")[0])) {
                                out.add(h);
                            }
                        });
        return out;
    }

    @Test
    void aDeletedSegmentIsDroppedAndReingestRestoresTheStore() throws Exception {
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 1);
        Path clean = tmp.resolve("clean");
        Path store = tmp.resolve("store");
        assertThat(JobTestSupport.cliIngest(clean, tree)).isEqualTo(0);
        assertThat(JobTestSupport.cliIngest(store, tree)).isEqualTo(0);
        assertThat(contents(store)).isEqualTo(contents(clean));

        // the segment listing the most roots: its contents must be dropped
        Path victim = null;
        Set<String> rooted = Set.of();
        for (Path seg : segmentFiles(store)) {
            Set<String> r = contentsRootedIn(store, seg);
            if (r.size() > rooted.size()) {
                victim = seg;
                rooted = r;
            }
        }
        assertThat(rooted).isNotEmpty();
        Files.delete(victim);

        String[] verify = StoreLockTest.cli("verify", "--store", store.toString());
        assertThat(verify[0]).isEqualTo("1");
        assertThat(verify[1]).contains(victim + ": in the index but the file is missing");

        String[] repair = StoreLockTest.cli("verify", "--repair", "--store", store.toString());
        assertThat(repair[0]).as(repair[1] + repair[2]).isEqualTo("0");
        for (String h : rooted) {
            assertThat(repair[1]).contains("DROPPED " + h);
        }
        assertThat(repair[1]).contains("consistent: ");
        // Also dropped may be a content whose DAG spans into the victim from the segment before
        // (only a file larger than one 2 MiB segment can): which ones depends on how the run cut
        // its segments, so the drops beyond the rooted ones are taken from the report and checked.
        Set<String> dropped = new TreeSet<>();
        for (String line : repair[1].split("\n")) {
            if (line.startsWith("DROPPED ")) {
                dropped.add(line.substring("DROPPED ".length(), "DROPPED ".length() + 64));
            }
        }
        assertThat(dropped).containsAll(rooted);
        for (String h : dropped) {
            if (!rooted.contains(h)) {
                long size = Long.parseLong(contents(clean).get(h).split(" ")[1]);
                assertThat(size)
                        .as("size of " + h + ", dropped with the victim")
                        .isGreaterThan(2L << 20);
            }
        }
        Map<String, String> left = new TreeMap<>(contents(clean));
        dropped.forEach(left::remove);
        assertThat(contents(store)).containsAllEntriesOf(left);
        assertThat(contents(store).keySet()).doesNotContainAnyElementsOf(dropped);

        assertThat(JobTestSupport.cliIngest(store, tree)).isEqualTo(0);
        assertThat(contents(store)).isEqualTo(contents(clean));
        assertThat(StoreSnapshot.of(store)).isEqualTo(StoreSnapshot.of(clean));
        assertThat(StoreLockTest.cli("verify", "--store", store.toString())[0]).isEqualTo("0");
    }

    @Test
    void aGarbledIndexIsRebuiltFromTheSegments() throws Exception {
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 1);
        Path cache = TestCorpus.cache(tmp.resolve("cache"), tree.resolve("renders/r0/out-6.bin"));
        Path clean = tmp.resolve("clean");
        assertThat(JobTestSupport.cliIngest(clean, tree)).isEqualTo(0);
        assertThat(JobTestSupport.cliIngest(clean, cache)).isEqualTo(0);
        Map<String, String> expected = contents(clean);

        Path db = LocalStore.indexFile(clean);
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            byte[] garbage = new byte[4096];
            new Random(7).nextBytes(garbage);
            f.seek(0);
            f.write(garbage);
        }
        String[] stats = StoreLockTest.cli("stats", "--store", clean.toString());
        assertThat(stats[0]).isEqualTo("1");
        String[] verify = StoreLockTest.cli("verify", "--store", clean.toString());
        assertThat(verify[0]).isEqualTo("1");
        assertThat(verify[1]).contains("l1 verify --repair");

        String[] repair = StoreLockTest.cli("verify", "--repair", "--store", clean.toString());
        assertThat(repair[0]).as(repair[1] + repair[2]).isEqualTo("0");
        assertThat(repair[1])
                .contains("REPAIR index.db ", "moved to index.db.corrupt-")
                .contains("sightings and rejections")
                .contains("consistent: ");
        assertThat(contents(clean)).isEqualTo(expected);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(clean, "index.db.corrupt-*")) {
            assertThat(ds.iterator().hasNext()).isTrue();
        }
        assertThat(StoreLockTest.cli("stats", "--store", clean.toString())[0]).isEqualTo("0");
        assertThat(StoreLockTest.cli("verify", "--store", clean.toString())[0]).isEqualTo("0");
    }
}
