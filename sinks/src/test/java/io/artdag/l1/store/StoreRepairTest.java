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

    /**
     * root CID -> how many segment rows list it, and how many CAR headers (placeholder left out).
     */
    private Map<String, int[]> rootListings() throws IOException {
        Map<String, int[]> out = new TreeMap<>();
        try (LocalStore s = LocalStore.openExisting(store)) {
            for (StoreIndex.SegmentRow row : s.index().segments()) {
                for (String r : row.roots()) {
                    out.computeIfAbsent(r, k -> new int[2])[0]++;
                }
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(store.resolve("segments"))) {
            for (Path p : ds) {
                try (CarV2Reader car = CarV2Reader.open(p)) {
                    for (Cid r : car.roots()) {
                        out.computeIfAbsent(r.toString(), k -> new int[2])[1]++;
                    }
                }
            }
        }
        out.remove(Cid.EMPTY_IDENTITY.toString());
        return out;
    }

    /**
     * What a re-ingest must be able to rely on: every stored content's root is listed by exactly
     * one segment row and one CAR header, nothing else is listed, and every block a segment holds
     * belongs to the DAG of a stored content.
     */
    private void assertNothingOfDroppedContentsStays() throws IOException {
        Map<String, String> stored = contents(store);
        Set<String> liveRoots = new TreeSet<>();
        Set<String> liveBlocks = new HashSet<>();
        for (Path f : files) {
            if (stored.containsKey(RealSink.sha3(f))) {
                Dag d = dag(f);
                liveRoots.add(d.root.toString());
                liveBlocks.addAll(d.cids);
            }
        }
        Map<String, int[]> listed = rootListings();
        assertThat(listed.keySet()).isEqualTo(liveRoots);
        listed.forEach(
                (root, n) ->
                        assertThat(n)
                                .as("segment rows and CAR headers listing root " + root)
                                .containsExactly(1, 1));
        blocksBySegment()
                .forEach(
                        (segment, cids) ->
                                assertThat(liveBlocks)
                                        .as("blocks of " + segment + " no stored content has")
                                        .containsAll(cids));
    }

    @Test
    void theStoreIsSoundToBeginWithAndRepairChangesNothing() throws Exception {
        assertThat(contents(store)).isEqualTo(expectedContents());
        assertThat(verify().problems()).isEmpty();
        assertNothingOfDroppedContentsStays();
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
        assertNothingOfDroppedContentsStays();

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
    void aDroppedContentsRootBlockAndOwnBlocksLeaveTheSegmentsThatSurviveAndReingestListsItOnce()
            throws Exception {
        // A store of its own: the big file's leaves c0, c1, c2 land in segments A, B, C (each
        // 1 MiB chunk fills a 2 MiB segment but for the next one); C also takes its tail chunk c3
        // and root block, and lists its root. The twin, written next, begins with c2 (a block C
        // already holds, so it is stored once and shared) and is complete in C too.
        store = tmp.resolve("store2");
        Path in = tmp.resolve("in2");
        Files.createDirectories(in);
        byte[] big = new byte[3 * MIB + 100];
        new Random(42).nextBytes(big);
        byte[] twin = new byte[MIB + 50];
        System.arraycopy(big, 2 * MIB, twin, 0, MIB);
        for (int i = MIB; i < twin.length; i++) {
            twin[i] = (byte) i;
        }
        Path small = in.resolve("small.bin");
        Files.write(small, new byte[] {1, 2, 3});
        Path bigFile = in.resolve("big.bin");
        Files.write(bigFile, big);
        Path twinFile = in.resolve("twin.bin");
        Files.write(twinFile, twin);
        files = List.of(small, bigFile, twinFile);
        try (RealSink sink = new RealSink(store, 2 * MIB)) {
            sink.write(small);
            sink.checkpoint();
            sink.write(bigFile, twinFile);
            sink.checkpoint();
        }
        assertThat(contents(store)).isEqualTo(expectedContents());
        assertNothingOfDroppedContentsStays();

        Dag bigDag = dag(bigFile);
        Dag twinDag = dag(twinFile);
        Map<String, Set<String>> before = blocksBySegment();
        String rootHolder = null;
        for (var e : before.entrySet()) {
            if (e.getValue().contains(bigDag.root.toString())) {
                rootHolder = e.getKey();
            }
        }
        assertThat(rootHolder).isNotNull();
        String holder =
                rootHolder.substring(0, rootHolder.length() - LocalStore.CAR_SUFFIX.length());
        assertThat(before.get(rootHolder)).contains(twinDag.root.toString());
        Set<String> shared = new HashSet<>(bigDag.cids);
        shared.retainAll(twinDag.cids);
        assertThat(shared).hasSize(1);
        assertThat(before.get(rootHolder)).containsAll(shared);
        // the segment with the big file's first chunk, and nothing of the twin's
        String victim = null;
        for (var e : before.entrySet()) {
            if (!e.getKey().equals(rootHolder)
                    && e.getValue().stream().anyMatch(bigDag.cids::contains)
                    && e.getValue().stream().noneMatch(twinDag.cids::contains)) {
                victim = e.getKey();
                break;
            }
        }
        assertThat(victim).as("big file spans segments: " + before).isNotNull();
        Files.delete(store.resolve("segments").resolve(victim));

        StoreRepair.Report r = repair();

        String bigHash = RealSink.sha3(bigFile);
        assertThat(r.droppedContents())
                .extracting(StoreRepair.Dropped::contentHash)
                .containsExactly(bigHash);
        assertThat(r.rewrittenSegments()).as(r.toString()).anyMatch(s -> s.contains(holder));
        assertThat(rootListings()).doesNotContainKey(bigDag.root.toString());
        Map<String, Set<String>> after = blocksBySegment();
        assertThat(after.get(rootHolder))
                .as("the shared chunk stays with the twin")
                .containsAll(shared)
                .doesNotContain(bigDag.root.toString());
        assertNothingOfDroppedContentsStays();
        assertThat(verify().problems()).isEmpty();
        assertThat(contents(store))
                .isEqualTo(
                        new TreeMap<>(
                                Map.of(
                                        RealSink.sha3(small),
                                        expectedContents().get(RealSink.sha3(small)),
                                        RealSink.sha3(twinFile),
                                        expectedContents().get(RealSink.sha3(twinFile)))));
        StoreRepair.Report again = repair();
        assertThat(again.changedAnything()).as(again.toString()).isFalse();

        // the sources' next ingest: the big file is new again, and stored once
        try (RealSink sink = new RealSink(store, 2 * MIB)) {
            sink.write(bigFile);
            sink.checkpoint();
        }
        assertThat(contents(store)).isEqualTo(expectedContents());
        assertThat(rootListings().get(bigDag.root.toString())).containsExactly(1, 1);
        assertNothingOfDroppedContentsStays();
        assertThat(verify().problems()).isEmpty();
    }

    @Test
    void aRepairInterruptedAfterDroppingAContentIsFinishedByTheNextOne() throws Exception {
        // what a repair killed after dropping the big file's content, before rewriting the
        // segments that still hold its blocks and list its root, leaves behind
        String bigHash = RealSink.sha3(files.get(5));
        try (LocalStore s = LocalStore.open(store)) {
            assertThat(s.index().dropContent(bigHash)).isTrue();
        }
        assertThat(rootListings()).containsKey(dag(files.get(5)).root.toString());

        StoreRepair.Report r = repair();

        assertThat(r.droppedContents()).isEmpty();
        assertThat(r.rewrittenSegments()).as(r.toString()).isNotEmpty();
        assertThat(r.notes()).containsAll(r.rewrittenSegments());
        assertNothingOfDroppedContentsStays();
        assertThat(verify().problems()).isEmpty();
        try (RealSink sink = new RealSink(store, 2 * MIB)) {
            sink.write(files.get(5));
            sink.checkpoint();
        }
        assertThat(contents(store)).isEqualTo(expectedContents());
        assertNothingOfDroppedContentsStays();
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
        assertNothingOfDroppedContentsStays();
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
        assertNothingOfDroppedContentsStays();
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
