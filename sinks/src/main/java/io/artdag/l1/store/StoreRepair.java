package io.artdag.l1.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
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
 * The caller holds the store's {@link StoreLock}. This class runs the steps in that order and keeps
 * what they did in a {@link RepairLog}; the index side is {@link IndexQuarantine}, the segment side
 * {@link SegmentRepair}, the content side {@link ContentRepair}, the last step {@link
 * SegmentGarbageCollector}.
 */
@Internal
public final class StoreRepair {
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
    private final RepairLog log;

    private StoreRepair(Path root, Consumer<String> progress) {
        this.root = root.toAbsolutePath().normalize();
        this.log = new RepairLog(progress);
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
        String indexProblem = IndexQuarantine.problem(db);
        Path movedTo = null;
        if (indexProblem != null) {
            movedTo = IndexQuarantine.moveAside(db);
        }
        boolean discarded = discardUnfinishedRun();
        try (LocalStore store = LocalStore.open(root)) {
            SegmentRepair segments = new SegmentRepair(store, log);
            segments.checkIndexedSegments();
            segments.adoptUnknownSegments();
            segments.reconcileKeptSegments();
            ContentRepair contents = new ContentRepair(store, log);
            contents.dropUnreadableContents();
            contents.recoverContents();
            new SegmentGarbageCollector(store, log).dropWhatNoContentNeeds();
            LocalStore.RepairReport cleaned = store.repair(false);
            if (indexProblem != null) {
                log.note(
                        "sightings and rejections were recorded only in the index and are lost;"
                                + " contents lost the path, node and metadata of their first"
                                + " output (ingesting the sources again records them)");
            }
            return log.report(indexProblem, movedTo, discarded, cleaned);
        }
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
            log.note(
                    "an unfinished run was discarded (checkpoints, run.json, staged segments): the"
                            + " next l1 ingest processes its inputs afresh; what it committed is"
                            + " kept");
        }
        return any;
    }
}
