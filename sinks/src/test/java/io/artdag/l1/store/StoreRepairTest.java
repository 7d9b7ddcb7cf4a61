package io.artdag.l1.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.car.BlockLocation;
import io.artdag.l1.car.CarV2Reader;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.UnixFsFileBuilder;
import io.artdag.l1.ipld.UnixFsProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StoreRepair} on stores written by the sink's real writer and committer: what it drops is
 * computed here independently, from the DAGs rebuilt from the source files and the blocks each
 * segment file holds.
 */
class StoreRepairTest {
    private static final int MIB = 1 << 20;

    @TempDir Path tmp;
    private Path store;
    private List<Path> files;

    @BeforeEach
    void build() throws Exception {
        store = tmp.resolve("store");
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        files = new ArrayList<>();
        int[] sizes = {0, 10, 1000, MIB - 1, MIB + 1, 5 * MIB + 3, 300_000, 2 * MIB};
        for (int i = 0; i < sizes.length; i++) {
            Path f = in.resolve("f" + i + ".bin");
            byte[] b = new byte[sizes[i]];
            new Random(i).nextBytes(b);
            Files.write(f, b);
            files.add(f);
        }
        // three checkpoints; the 5 MiB file spans segments of 2 MiB
        try (RealSink sink = new RealSink(store, 2 * MIB)) {
            sink.write(files.get(0), files.get(1), files.get(2));
            sink.checkpoint();
            sink.write(files.get(3), files.get(4), files.get(5));
            sink.checkpoint();
            sink.write(files.get(6), files.get(7));
            sink.checkpoint();
        }
    }

    /** content hash -> "root size profile", as the index has it. */
    private static TreeMap<String, String> contents(Path store) throws IOException {
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

    /** content hash -> "root size profile", computed from the source files alone. */
    private Map<String, String> expectedContents() throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Path f : files) {
            out.put(
                    RealSink.sha3(f),
                    dag(f).root + " " + Files.size(f) + " " + UnixFsProfile.V1_2025.id());
        }
        return out;
    }

    private record Dag(Cid root, Set<String> cids) {}

    /** The file's DAG rebuilt with the builder: its root and every block's CID. */
    private static Dag dag(Path f) throws IOException {
        Set<String> cids = new HashSet<>();
        UnixFsFileBuilder b =
                new UnixFsFileBuilder(
                        UnixFsProfile.V1_2025, (cid, data, off, len) -> cids.add(cid.toString()));
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                b.write(buf, 0, n);
            }
        }
        return new Dag(b.finish(), cids);
    }

    /** segment file name -> the CIDs of the blocks it holds, read from the CAR sections. */
    private Map<String, Set<String>> blocksBySegment() throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(store.resolve("segments"))) {
            for (Path p : ds) {
                Set<String> cids = new HashSet<>();
                try (CarV2Reader car = CarV2Reader.open(p)) {
                    Iterator<BlockLocation> it = car.sections();
                    while (it.hasNext()) {
                        cids.add(it.next().cid().toString());
                    }
                }
                out.put(p.getFileName().toString(), cids);
            }
        }
        return out;
    }

    /** The hashes of the files with a block that only {@code segment} holds. */
    private Set<String> contentsLosingABlockWith(String segment) throws IOException {
        Map<String, Set<String>> bySegment = blocksBySegment();
        Set<String> elsewhere = new HashSet<>();
        bySegment.forEach(
                (name, cids) -> {
                    if (!name.equals(segment)) {
                        elsewhere.addAll(cids);
                    }
                });
        Set<String> out = new TreeSet<>();
        for (Path f : files) {
            for (String cid : dag(f).cids) {
                if (!elsewhere.contains(cid)) {
                    out.add(RealSink.sha3(f));
                    break;
                }
            }
        }
        return out;
    }

    private StoreVerifier.Report verify() throws IOException {
        try (LocalStore s = LocalStore.openExisting(store)) {
            return new StoreVerifier(s, m -> {}).verify();
        }
    }

    private StoreRepair.Report repair() throws IOException {
        try (StoreLock lock = StoreLock.acquire(store, "test")) {
            return StoreRepair.repair(store, m -> {});
        }
    }

    /** The segment holding the middle of the 5 MiB file (a leaf, not its root block). */
    private String segmentWithTheMiddleOfTheBigFile() throws IOException {
        Dag big = dag(files.get(5));
        String rootHolder = null;
        Map<String, Set<String>> bySegment = blocksBySegment();
        for (var e : bySegment.entrySet()) {
            if (e.getValue().contains(big.root.toString())) {
                rootHolder = e.getKey();
            }
        }
        for (var e : bySegment.entrySet()) {
            if (!e.getKey().equals(rootHolder)
                    && e.getValue().stream().anyMatch(big.cids::contains)) {
                return e.getKey();
            }
        }
        throw new AssertionError("the 5 MiB file does not span segments: " + bySegment.keySet());
    }

    @Test
    void theStoreIsSoundToBeginWithAndRepairChangesNothing() throws Exception {
        assertThat(contents(store)).isEqualTo(expectedContents());
        assertThat(verify().problems()).isEmpty();
        StoreRepair.Report r = repair();
        assertThat(r.changedAnything()).as(r.toString()).isFalse();
        assertThat(contents(store)).isEqualTo(expectedContents());
    }

    @Test
    void aDeletedSegmentDropsExactlyTheContentsWithABlockInItAndReingestStoresThemAgain()
            throws Exception {
        String victim = segmentWithTheMiddleOfTheBigFile();
        Set<String> lost = contentsLosingABlockWith(victim);
        assertThat(lost).contains(RealSink.sha3(files.get(5)));
        Files.delete(store.resolve("segments").resolve(victim));
        assertThat(verify().problems()).isNotEmpty();

        StoreRepair.Report r = repair();

        Set<String> dropped = new TreeSet<>();
        r.droppedContents().forEach(d -> dropped.add(d.contentHash()));
        assertThat(dropped).isEqualTo(lost);
        assertThat(r.segmentProblems()).singleElement().asString().contains(victim, "missing");
        assertThat(verify().problems()).isEmpty();
        Map<String, String> expected = new TreeMap<>(expectedContents());
        lost.forEach(expected::remove);
        assertThat(contents(store)).isEqualTo(expected);

        // what the sources' next ingest does: the dropped contents are new again
        try (RealSink sink = new RealSink(store, 2 * MIB);
                LocalStore s = LocalStore.openExisting(store)) {
            for (Path f : files) {
                if (!s.index().hasContent(RealSink.sha3(f))) {
                    sink.write(f);
                }
            }
            sink.checkpoint();
        }
        assertThat(contents(store)).isEqualTo(expectedContents());
        assertThat(verify().problems()).isEmpty();
    }

    @Test
    void aCorruptSegmentIsMovedAsideAndItsContentsDropped() throws Exception {
        String victim = segmentWithTheMiddleOfTheBigFile();
        Set<String> lost = contentsLosingABlockWith(victim);
        Path file = store.resolve("segments").resolve(victim);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }

        StoreRepair.Report r = repair();

        Set<String> dropped = new TreeSet<>();
        r.droppedContents().forEach(d -> dropped.add(d.contentHash()));
        assertThat(dropped).isEqualTo(lost);
        assertThat(file).doesNotExist();
        assertThat(store.resolve("corrupt").resolve(victim)).exists();
        assertThat(verify().problems()).isEmpty();
    }

    @Test
    void aGarbledIndexIsMovedAsideAndRebuiltFromTheSegments() throws Exception {
        Path db = store.resolve("index.db");
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            byte[] garbage = new byte[4096];
            new Random(99).nextBytes(garbage);
            f.seek(0);
            f.write(garbage);
        }

        StoreRepair.Report r = repair();

        assertThat(r.indexRebuilt()).isTrue();
        assertThat(r.indexMovedTo()).exists();
        assertThat(r.indexMovedTo().getFileName().toString()).startsWith("index.db.corrupt-");
        assertThat(r.recoveredContents()).hasSize(files.size());
        assertThat(contents(store)).isEqualTo(expectedContents());
        assertThat(verify().problems()).isEmpty();
        try (LocalStore s = LocalStore.openExisting(store)) {
            assertThat(s.index().sightings()).isEmpty();
            StoreStats stats = s.index().stats();
            assertThat(stats.uniqueContents()).isEqualTo(files.size());
            assertThat(stats.duplicates()).isZero();
            assertThat(stats.segments()).isEqualTo(blocksBySegment().size());
        }
    }

    @Test
    void aTruncatedIndexIsRebuilt() throws Exception {
        Path db = store.resolve("index.db");
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.setLength(f.length() / 3);
        }
        StoreRepair.Report r = repair();
        assertThat(contents(store)).as(r.toString()).isEqualTo(expectedContents());
        assertThat(verify().problems()).isEmpty();
    }

    @Test
    void aMissingIndexIsRebuilt() throws Exception {
        Files.delete(store.resolve("index.db"));
        Files.deleteIfExists(store.resolve("index.db-wal"));
        Files.deleteIfExists(store.resolve("index.db-shm"));
        StoreRepair.Report r = repair();
        assertThat(r.indexProblem()).isEqualTo("missing");
        assertThat(contents(store)).isEqualTo(expectedContents());
        assertThat(verify().problems()).isEmpty();
    }

    @Test
    void aRebuildWithASegmentGoneRecoversOnlyTheCompleteContents() throws Exception {
        String victim = segmentWithTheMiddleOfTheBigFile();
        Set<String> lost = contentsLosingABlockWith(victim);
        Files.delete(store.resolve("segments").resolve(victim));
        Files.delete(store.resolve("index.db"));
        repair();
        Map<String, String> expected = new TreeMap<>(expectedContents());
        lost.forEach(expected::remove);
        assertThat(contents(store)).isEqualTo(expected);
        assertThat(verify().problems()).isEmpty();
    }

    @Test
    void repairNeedsTheLock() throws Exception {
        Map<String, String> before = new HashMap<>(contents(store));
        try (StoreLock held = StoreLock.acquire(store, "ingest")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> StoreLock.acquire(store, "verify --repair"))
                    .isInstanceOf(StoreException.class)
                    .hasMessage(
                            "store "
                                    + store.toAbsolutePath().normalize()
                                    + " is in use by pid "
                                    + ProcessHandle.current().pid()
                                    + " (ingest); wait for it to finish or stop it");
        }
        try (StoreLock again = StoreLock.acquire(store, "verify --repair")) {
            assertThat(again.file()).exists();
        }
        assertThat(contents(store)).isEqualTo(before);
    }
}
