package io.artdag.l1.store;

import io.artdag.l1.car.CarV2Reader;
import io.artdag.l1.hash.ContentHashes;
import io.artdag.l1.hash.Sha3Hasher;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.DagPb;
import io.artdag.l1.ipld.Multihash;
import io.artdag.l1.ipld.UnixFsProfile;
import io.artdag.l1.ipld.UnixFsReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.annotation.Internal;

/**
 * {@code l1 verify --repair}: brings a damaged store back to a consistent state, keeping everything
 * its segment files still prove.
 *
 * <ol>
 *   <li>An index that is missing, does not open or fails SQLite's integrity check is moved aside
 *       ({@code index.db.corrupt-<time>}, with its {@code -wal} and {@code -shm}) and rebuilt from
 *       the segments: segment rows, block entries from each CAR's index, and one content per header
 *       root whose DAG reads back completely, its SHA3-256 and size computed from the bytes.
 *       Sightings and rejections lived only in the index and are lost; contents lose the path, node
 *       and metadata of the output that first produced them.
 *   <li>Segments whose file is gone or fails its checks (moved to {@code corrupt/}) are dropped
 *       from the index with their block entries and the contents whose root they hold; every other
 *       content whose DAG no longer reads back (a block in a dropped segment that no surviving
 *       segment has) is dropped too. A later {@code l1 ingest} of their sources stores them again.
 *   <li>Segment files the index does not know are adopted the same way as in a rebuild; an
 *       unfinished run is discarded (its checkpoints, run marker and staged segments), so the next
 *       ingest processes its inputs afresh.
 *   <li>Nothing of a dropped content stays listed: a file's DAG may span consecutive segments, so a
 *       surviving segment can still hold a dropped content's root block (and list its root) or
 *       other blocks of it, and the next ingest, storing the whole DAG again in a new segment,
 *       would list the root twice. When anything was dropped (or a segment lists a root no content
 *       has), the blocks every remaining content's DAG needs are collected through the index, and
 *       each segment that holds other blocks or lists a root that is not its own contents' is
 *       rewritten without them ({@link SegmentRewriter}; the empty identity CID as root when none
 *       is left) and its index row and block entries updated to match. Blocks that a remaining
 *       content shares with a dropped one stay.
 * </ol>
 *
 * The caller holds the store's {@link StoreLock}.
 */
@Internal
public final class StoreRepair {
    static final String RECOVERED_PATH = "(recovered by l1 verify --repair)";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** A content removed from the index, and why. */
    public record Dropped(String contentHash, String reason) {}

    /** What a repair did. */
    public record Report(
            String indexProblem,
            Path indexMovedTo,
            List<String> segmentProblems,
            List<Dropped> droppedContents,
            List<String> adoptedSegments,
            List<String> recoveredContents,
            List<String> rewrittenSegments,
            long blocksRemoved,
            long blocksAdded,
            boolean discardedUnfinishedRun,
            LocalStore.RepairReport cleaned,
            List<String> notes) {
        public boolean indexRebuilt() {
            return indexProblem != null;
        }

        public boolean changedAnything() {
            return indexRebuilt()
                    || !segmentProblems.isEmpty()
                    || !droppedContents.isEmpty()
                    || !adoptedSegments.isEmpty()
                    || !rewrittenSegments.isEmpty()
                    || blocksRemoved > 0
                    || blocksAdded > 0
                    || discardedUnfinishedRun
                    || cleaned.total() > 0;
        }
    }

    private final Path root;
    private final Consumer<String> progress;

    private String indexProblem;
    private Path movedTo;
    private final List<String> segmentProblems = new ArrayList<>();
    private final List<Dropped> dropped = new ArrayList<>();
    private final List<String> adopted = new ArrayList<>();
    private final List<String> recovered = new ArrayList<>();
    private final List<String> rewritten = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long blocksRemoved;
    private long blocksAdded;

    private StoreRepair(Path root, Consumer<String> progress) {
        this.root = root.toAbsolutePath().normalize();
        this.progress = progress;
    }

    /** Repairs the store at {@code root}; the caller holds its {@link StoreLock}. */
    public static Report repair(Path root, Consumer<String> progress) throws IOException {
        return new StoreRepair(root, progress).run();
    }

    private Report run() throws IOException {
        if (!Files.isDirectory(StoreLayout.segments(root))) {
            throw new StoreException(root + ": not an l1 store (no segments/ directory)");
        }
        Path db = LocalStore.indexFile(root);
        indexProblem = indexProblem(db);
        if (indexProblem != null) {
            movedTo = moveAside(db);
        }
        boolean discarded = discardUnfinishedRun();
        try (LocalStore store = LocalStore.open(root)) {
            Map<String, Scan> kept = checkIndexedSegments(store);
            adoptUnknownSegments(store, kept.keySet());
            for (Map.Entry<String, Scan> e : kept.entrySet()) {
                Scan s = e.getValue();
                long[] ra = store.index().reconcileSegment(e.getKey(), s.size, s.roots, s.entries);
                blocksRemoved += ra[0];
                blocksAdded += ra[1];
            }
            dropUnreadableContents(store);
            recoverContents(store);
            dropWhatNoContentNeeds(store);
            LocalStore.RepairReport cleaned = store.repair(false);
            if (indexProblem != null) {
                notes.add(
                        "sightings and rejections were recorded only in the index and are lost;"
                                + " contents lost the path, node and metadata of their first"
                                + " output (ingesting the sources again records them)");
            }
            return new Report(
                    indexProblem,
                    movedTo,
                    List.copyOf(segmentProblems),
                    List.copyOf(dropped),
                    List.copyOf(adopted),
                    List.copyOf(recovered),
                    List.copyOf(rewritten),
                    blocksRemoved,
                    blocksAdded,
                    discarded,
                    cleaned,
                    List.copyOf(notes));
        }
    }

    /** Why the index cannot be used as it is, or null when it can. */
    private static String indexProblem(Path db) {
        if (!Files.exists(db)) {
            return "missing";
        }
        try (StoreIndex index = StoreIndex.open(db)) {
            List<String> problems = index.integrityProblems();
            if (!problems.isEmpty()) {
                return "fails SQLite's integrity check: " + problems.get(0);
            }
            index.stats(); // every table reads
            return null;
        } catch (StoreException e) {
            Throwable t = e;
            while (t.getCause() != null) {
                t = t.getCause();
            }
            String msg = t.getMessage() == null ? t.toString() : t.getMessage();
            int nl = msg.indexOf('\n');
            return "does not open: " + (nl < 0 ? msg : msg.substring(0, nl));
        }
    }

    /** Moves index.db and its WAL and shared-memory files aside under one new name. */
    private static Path moveAside(Path db) throws IOException {
        if (!Files.exists(db)) {
            // A WAL without its database must not be applied to the new one.
            for (String suffix : new String[] {"-wal", "-shm"}) {
                Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix));
            }
            return null;
        }
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        Path target = db.resolveSibling(db.getFileName() + ".corrupt-" + stamp);
        for (int i = 1; Files.exists(target); i++) {
            target = db.resolveSibling(db.getFileName() + ".corrupt-" + stamp + "-" + i);
        }
        // SQLite names the WAL and shm after the database file: moved together they stay a set.
        for (String suffix : new String[] {"-wal", "-shm"}) {
            Path side = db.resolveSibling(db.getFileName() + suffix);
            if (Files.exists(side)) {
                Files.move(side, target.resolveSibling(target.getFileName() + suffix));
            }
        }
        Files.move(db, target, StandardCopyOption.ATOMIC_MOVE);
        LocalStore.fsyncDirectory(db.getParent());
        return target;
    }

    /** Discards an unfinished run: its checkpoints name staged segments the sweep deletes. */
    private boolean discardUnfinishedRun() throws IOException {
        Path marker = StoreLayout.runMarker(root);
        Path checkpoints = StoreLayout.checkpoints(root);
        boolean any = Files.exists(marker) || Files.exists(checkpoints);
        Files.deleteIfExists(marker);
        if (Files.exists(checkpoints)) {
            try (Stream<Path> s = Files.walk(checkpoints)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        if (any) {
            notes.add(
                    "an unfinished run was discarded (checkpoints, run.json, staged segments): the"
                            + " next l1 ingest processes its inputs afresh; what it committed is"
                            + " kept");
        }
        return any;
    }

    /** Checks every indexed segment; drops those whose file is gone or bad. */
    private Map<String, Scan> checkIndexedSegments(LocalStore store) throws IOException {
        Map<String, Scan> kept = new LinkedHashMap<>();
        List<StoreIndex.SegmentRow> rows = store.index().segments();
        Set<String> remote = store.index().remoteSegments();
        int n = 0;
        for (StoreIndex.SegmentRow row : rows) {
            progress.accept("segment " + ++n + "/" + rows.size() + " " + row.name());
            Path file = store.segmentFile(row.name());
            if (remote.contains(row.name())) {
                // Published and kept in IPFS only; a file left by a crash before its deletion goes.
                if (Files.deleteIfExists(file)) {
                    notes.add(file + ": published and kept in IPFS only; local copy deleted");
                }
                continue;
            }
            if (!Files.exists(file)) {
                drop(store, row.name(), file + ": file missing");
                continue;
            }
            Scan s = scan(file);
            if (s.problem != null) {
                Path moved = quarantine(store, row.name());
                drop(store, row.name(), file + ": " + s.problem + " (moved to " + moved + ")");
                continue;
            }
            kept.put(row.name(), s);
        }
        return kept;
    }

    private void drop(LocalStore store, String segment, String why) throws StoreException {
        List<String> hashes = store.index().dropSegment(segment);
        segmentProblems.add(why + "; dropped from the index with " + hashes.size() + " contents");
        hashes.forEach(h -> dropped.add(new Dropped(h, "root block in segment " + segment)));
    }

    /** Segment files the index does not know (all of them after a rebuild): indexed if sound. */
    private void adoptUnknownSegments(LocalStore store, Set<String> known) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds =
                Files.newDirectoryStream(store.segmentsDir(), "*" + LocalStore.CAR_SUFFIX)) {
            ds.forEach(files::add);
        }
        // Oldest first, so that a block several segments hold is indexed where it came first.
        files.sort(
                Comparator.comparingLong(StoreRepair::mtime)
                        .thenComparing(p -> p.getFileName().toString()));
        for (Path file : files) {
            String f = file.getFileName().toString();
            String name = f.substring(0, f.length() - LocalStore.CAR_SUFFIX.length());
            if (known.contains(name) || store.index().hasSegment(name)) {
                continue;
            }
            Scan s = scan(file);
            if (s.problem != null) {
                Path moved = quarantine(store, name);
                segmentProblems.add(
                        file + ": " + s.problem + " (not indexed; moved to " + moved + ")");
                continue;
            }
            store.index().commitSegment(name, s.size, s.roots, s.entries);
            adopted.add(name);
        }
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Drops every content that does not read back to its hash through the (reconciled) index. */
    private void dropUnreadableContents(LocalStore store) throws IOException {
        List<ContentRecord> all = new ArrayList<>();
        store.index().forEachContent(all::add);
        Map<String, Set<String>> rootsBySegment = new HashMap<>();
        for (StoreIndex.SegmentRow r : store.index().segments()) {
            rootsBySegment.put(r.name(), new HashSet<>(r.roots()));
        }
        int n = 0;
        try (StoreReader reader = new StoreReader(store)) {
            for (ContentRecord c : all) {
                if (++n % 100 == 0) {
                    progress.accept("content " + n + "/" + all.size());
                }
                String why = null;
                Set<String> roots = rootsBySegment.get(c.segment());
                if (roots == null || !roots.contains(c.rootCid())) {
                    why = "root " + c.rootCid() + " is not listed by segment " + c.segment();
                } else {
                    try {
                        reader.readVerified(c, OutputStream.nullOutputStream());
                    } catch (NotKeptLocallyException e) {
                        // In IPFS only: nothing here to check.
                    } catch (IOException e) {
                        why = e.getMessage();
                    }
                }
                if (why != null) {
                    store.index().dropContent(c.contentHash());
                    dropped.add(new Dropped(c.contentHash(), why));
                }
            }
        }
    }

    /** One content per root of each adopted segment whose DAG reads back completely. */
    private void recoverContents(LocalStore store) throws IOException {
        if (adopted.isEmpty()) {
            return;
        }
        Set<String> adoptedSet = new HashSet<>(adopted);
        try (StoreReader reader = new StoreReader(store)) {
            for (StoreIndex.SegmentRow row : store.index().segments()) {
                if (!adoptedSet.contains(row.name())) {
                    continue;
                }
                for (String r : row.roots()) {
                    Cid cid = Cid.parse(r);
                    if (cid.equals(Cid.EMPTY_IDENTITY)
                            || store.index().contentByRoot(r).isPresent()) {
                        continue;
                    }
                    Sha3Hasher sha3 = ContentHashes.newSha3_256();
                    long size;
                    try {
                        size = UnixFsReader.readFile(cid, reader::block, hashing(sha3));
                    } catch (IOException e) {
                        notes.add(
                                "root "
                                        + r
                                        + " of segment "
                                        + row.name()
                                        + " does not read back ("
                                        + e.getMessage()
                                        + "); not recorded as a content");
                        continue;
                    }
                    String hash = ContentHashes.hex(sha3.digest());
                    if (store.index().hasContent(hash)) {
                        continue;
                    }
                    store.index()
                            .commitRecords(
                                    List.of(
                                            new ContentRecord(
                                                    hash,
                                                    r,
                                                    size,
                                                    profileOf(cid),
                                                    row.name(),
                                                    null,
                                                    null,
                                                    RECOVERED_PATH,
                                                    null)),
                                    List.of(),
                                    List.of());
                    recovered.add(hash);
                }
            }
        }
    }

    /**
     * Rewrites every segment that holds a block no remaining content's DAG needs or lists a root
     * that is not the root of a content recorded with it. Runs when this repair dropped a content
     * or some segment lists such a root (also what a repair that was interrupted after dropping
     * contents left behind); a store without either is not touched.
     */
    private void dropWhatNoContentNeeds(LocalStore store) throws IOException {
        List<ContentRecord> all = new ArrayList<>();
        store.index().forEachContent(all::add);
        Map<String, Set<String>> owned = new HashMap<>();
        for (ContentRecord c : all) {
            owned.computeIfAbsent(c.segment(), k -> new HashSet<>()).add(c.rootCid());
        }
        List<StoreIndex.SegmentRow> rows = store.index().segments();
        boolean strayRoot = false;
        for (StoreIndex.SegmentRow row : rows) {
            Set<String> own = owned.getOrDefault(row.name(), Set.of());
            for (String r : row.roots()) {
                strayRoot |= !r.equals(Cid.EMPTY_IDENTITY.toString()) && !own.contains(r);
            }
        }
        if (dropped.isEmpty() && !strayRoot) {
            return;
        }
        Set<ByteBuffer> live = liveBlocks(store, all);
        Set<String> remote = store.index().remoteSegments();
        int n = 0;
        for (StoreIndex.SegmentRow row : rows) {
            if (remote.contains(row.name())) {
                continue; // no local file to rewrite
            }
            progress.accept("collecting garbage " + ++n + "/" + rows.size() + " " + row.name());
            Path file = store.segmentFile(row.name());
            Set<String> own = owned.getOrDefault(row.name(), Set.of());
            Predicate<Multihash> keepBlock = mh -> live.contains(ByteBuffer.wrap(mh.toBytes()));
            Predicate<Cid> keepRoot = r -> own.contains(r.toString());
            if (SegmentRewriter.garbage(file, keepBlock, keepRoot).none()) {
                continue;
            }
            SegmentRewriter.Result r = SegmentRewriter.rewrite(file, keepBlock, keepRoot);
            store.index().reconcileSegment(row.name(), r.fileSize(), r.roots(), r.entries());
            String what =
                    "segment "
                            + row.name()
                            + " rewritten without "
                            + (r.rootsDropped().isEmpty()
                                    ? ""
                                    : plural(r.rootsDropped().size(), "root")
                                            + " "
                                            + String.join(" ", r.rootsDropped())
                                            + " and ")
                            + plural(r.blocksDropped(), "block")
                            + " that no remaining content has ("
                            + plural(r.blocksKept(), "block")
                            + " kept)";
            rewritten.add(what);
            notes.add(what);
        }
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /**
     * The multihashes of every block the contents' DAGs link to, walked from their roots through
     * the index (raw leaves are not read: the link names them).
     */
    private Set<ByteBuffer> liveBlocks(LocalStore store, List<ContentRecord> contents)
            throws IOException {
        Set<ByteBuffer> live = new HashSet<>();
        Deque<Cid> todo = new ArrayDeque<>();
        int n = 0;
        try (StoreReader reader = new StoreReader(store)) {
            for (ContentRecord c : contents) {
                if (++n % 100 == 0) {
                    progress.accept("walking content " + n + "/" + contents.size());
                }
                todo.push(Cid.parse(c.rootCid()));
                while (!todo.isEmpty()) {
                    Cid cid = todo.pop();
                    if (!live.add(ByteBuffer.wrap(cid.multihash().toBytes()))
                            || cid.codec() != Cid.DAG_PB) {
                        continue;
                    }
                    byte[] block;
                    try {
                        block = UnixFsReader.verifiedBlock(cid, reader::block);
                    } catch (NotKeptLocallyException e) {
                        // Published and not kept: its subtree was written before it, so it is
                        // in segments kept in IPFS only too.
                        continue;
                    }
                    List<DagPb.PbLink> links;
                    try {
                        links = DagPb.decode(block).links();
                    } catch (IllegalArgumentException e) {
                        throw new StoreException(
                                c.contentHash()
                                        + ": block "
                                        + cid
                                        + " does not decode: "
                                        + e.getMessage(),
                                e);
                    }
                    for (DagPb.PbLink l : links) {
                        todo.push(l.hash());
                    }
                }
            }
        }
        return live;
    }

    /** The profile a root CID was built with: CIDv0 only by the 2015 profile. */
    static String profileOf(Cid root) {
        return (root.version() == 0 ? UnixFsProfile.V0_2015 : UnixFsProfile.V1_2025).id();
    }

    private static OutputStream hashing(Sha3Hasher sha3) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                sha3.update(b, off, len);
            }
        };
    }

    private static Path quarantine(LocalStore store, String name) throws IOException {
        Path dir = store.root().resolve("corrupt");
        Files.createDirectories(dir);
        Path target = dir.resolve(name + LocalStore.CAR_SUFFIX);
        Files.move(store.segmentFile(name), target, StandardCopyOption.REPLACE_EXISTING);
        LocalStore.fsyncDirectory(store.segmentsDir());
        return target;
    }

    /** A segment file's header roots, embedded index, size, or what is wrong with it. */
    private record Scan(
            List<String> roots, List<StoreIndex.BlockEntry> entries, long size, String problem) {}

    /** The checks {@link StoreVerifier} makes of a segment, on the file alone. */
    static Scan scan(Path file) {
        try (CarV2Reader car = CarV2Reader.open(file)) {
            SegmentSections sections = new SegmentSections();
            SegmentSections.Bad first = sections.read(car, bad -> false);
            if (first != null) {
                return bad("block " + first.section().cid() + " " + first.problem().what);
            }
            List<StoreIndex.BlockEntry> entries = new ArrayList<>();
            for (var e : car.readIndex()) {
                if (!sections.holdsAt(e.mh().toBytes(), e.offset())) {
                    return bad("embedded index entry " + e.mh() + " does not match a section");
                }
                entries.add(new StoreIndex.BlockEntry(e.mh().toBytes(), e.offset()));
            }
            if (entries.size() != sections.blocks()) {
                return bad(
                        "embedded index has "
                                + entries.size()
                                + " entries for "
                                + sections.blocks()
                                + " blocks");
            }
            List<String> roots = new ArrayList<>();
            for (Cid r : car.roots()) {
                if (sections.lacksRoot(r)) {
                    return bad("root " + r + " has no block in the segment");
                }
                roots.add(r.toString());
            }
            return new Scan(roots, entries, Files.size(file), null);
        } catch (IOException | RuntimeException e) {
            return bad("unreadable: " + e.getMessage());
        }
    }

    private static Scan bad(String problem) {
        return new Scan(List.of(), List.of(), 0, problem);
    }
}
