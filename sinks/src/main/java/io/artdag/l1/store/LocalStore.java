package io.artdag.l1.store;

import io.artdag.l1.car.CarV2Reader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;

/**
 * A local segment store on disk:
 *
 * <pre>
 * &lt;store&gt;/segments/&lt;name&gt;.car           committed CARv2 segments
 * &lt;store&gt;/staging/&lt;name&gt;.car.inprogress  a segment being written
 * &lt;store&gt;/staging/&lt;name&gt;.car             sealed and fsynced, waiting for its checkpoint to commit
 * &lt;store&gt;/index.db                       the index (SQLite)
 * &lt;store&gt;/checkpoints/                   Flink checkpoints of local runs
 * </pre>
 *
 * A segment becomes visible only when its file is in {@code segments/} (renamed atomically,
 * directory fsynced) and its row is in the index, in that order, so nothing names a CID whose
 * blocks are not durable.
 */
@Internal
public final class LocalStore implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalStore.class);
    public static final String CAR_SUFFIX = ".car";
    public static final String IN_PROGRESS_SUFFIX = ".car.inprogress";

    private final Path root;
    private final StoreIndex index;

    private LocalStore(Path root, StoreIndex index) {
        this.root = root;
        this.index = index;
    }

    /** The default store, {@code ~/.artdag/l1}. */
    public static Path defaultPath() {
        return Path.of(System.getProperty("user.home"), ".artdag", "l1");
    }

    /** Opens the store at {@code root}, creating its directories and index if needed. */
    public static LocalStore open(Path root) throws StoreException {
        Path abs = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(StoreLayout.segments(abs));
            Files.createDirectories(StoreLayout.staging(abs));
        } catch (IOException e) {
            throw new StoreException(abs + ": cannot create the store: " + e.getMessage(), e);
        }
        return new LocalStore(abs, StoreIndex.open(StoreLayout.index(abs)));
    }

    /** Opens an existing store for reading only. */
    public static LocalStore openExisting(Path root) throws StoreException {
        Path abs = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(StoreLayout.segments(abs))) {
            throw new StoreException(abs + ": not an l1 store (no segments/ directory)");
        }
        return new LocalStore(abs, StoreIndex.openReadOnly(StoreLayout.index(abs)));
    }

    public Path root() {
        return root;
    }

    public StoreIndex index() {
        return index;
    }

    public Path segmentsDir() {
        return StoreLayout.segments(root);
    }

    public Path stagingDir() {
        return StoreLayout.staging(root);
    }

    public Path checkpointsDir() {
        return StoreLayout.checkpoints(root);
    }

    public static Path indexFile(Path storeRoot) {
        return StoreLayout.index(storeRoot.toAbsolutePath().normalize());
    }

    public Path segmentFile(String name) {
        return segmentsDir().resolve(name + CAR_SUFFIX);
    }

    public static Path stagedFile(Path stagingDir, String name) {
        return stagingDir.resolve(name + CAR_SUFFIX);
    }

    public static Path inProgressFile(Path stagingDir, String name) {
        return stagingDir.resolve(name + IN_PROGRESS_SUFFIX);
    }

    /**
     * Commits one sealed segment: moves it from staging into {@code segments/} (atomic rename,
     * directory fsynced), then records it and its blocks in the index. Idempotent: a segment
     * already moved or already recorded is not touched again.
     */
    public void commitSegment(String name) throws StoreException {
        commit(List.of(name), List.of(), List.of(), List.of());
    }

    /**
     * Commits a checkpoint's sealed segments and what they make visible: moves each into {@code
     * segments/} (atomic rename, directories fsynced), then records the segments, their blocks, the
     * contents, sightings and rejections in one index transaction. A crash in between leaves
     * segment files the index does not name, which {@link #repair} removes and a restored commit
     * records; never a segment whose contents are unrecorded. Idempotent.
     */
    public void commit(
            List<String> segments,
            List<ContentRecord> contents,
            List<Sighting> sightings,
            List<Rejection> rejections)
            throws StoreException {
        commit(segments, contents, sightings, rejections, false);
    }

    /**
     * As {@link #commit(List, List, List, List)}; with {@code toPublish} (l1 mode) the segments are
     * also marked {@link StoreIndex#unpublished} in the same transaction, until the publisher
     * confirms them ({@link StoreIndex#markPublished}). A crash in between leaves them marked, and
     * they are published before the next run, even one that does not resume this one.
     */
    public void commit(
            List<String> segments,
            List<ContentRecord> contents,
            List<Sighting> sightings,
            List<Rejection> rejections,
            boolean toPublish)
            throws StoreException {
        commit(segments, contents, sightings, rejections, toPublish, List.of());
    }

    /**
     * As {@link #commit(List, List, List, List, boolean)}, where the segments described in {@code
     * heldElsewhere} (by name, size and roots; their blocks live in IPFS) may have no file here: a
     * committable restored on another machine than the one that sealed it. Such a segment is
     * recorded as kept in IPFS only, in the same transaction, and its contents are read from the
     * services. Idempotent.
     */
    public void commit(
            List<String> segments,
            List<ContentRecord> contents,
            List<Sighting> sightings,
            List<Rejection> rejections,
            boolean toPublish,
            List<StoreIndex.SegmentEntry> heldElsewhere)
            throws StoreException {
        Map<String, StoreIndex.SegmentEntry> elsewhereByName = new HashMap<>();
        heldElsewhere.forEach(h -> elsewhereByName.put(h.name(), h));
        List<StoreIndex.SegmentEntry> entries = new ArrayList<>();
        List<String> remote = new ArrayList<>();
        for (String name : segments) {
            StoreIndex.SegmentEntry elsewhere = elsewhereByName.get(name);
            if (elsewhere != null && !hasFile(name)) {
                LOG.info(
                        "Committing segment {} without its file (sealed on another machine):"
                                + " its blocks are in IPFS",
                        name);
                remote.add(name);
                if (!index.hasSegment(name)) {
                    entries.add(elsewhere);
                }
                continue;
            }
            StoreIndex.SegmentEntry e = place(name);
            if (e != null) {
                entries.add(e);
            }
        }
        index.commit(
                entries, contents, sightings, rejections, toPublish ? segments : List.of(), remote);
    }

    /** Whether the segment's file is here, sealed in staging or committed. */
    private boolean hasFile(String name) {
        return Files.exists(stagedFile(stagingDir(), name)) || Files.exists(segmentFile(name));
    }

    /** Moves a sealed segment into place; its index entry, or null when it is recorded already. */
    private StoreIndex.SegmentEntry place(String name) throws StoreException {
        Path target = segmentFile(name);
        Path staged = stagedFile(stagingDir(), name);
        try {
            if (Files.exists(staged)) {
                try {
                    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw failed("renaming " + staged + " to " + target, e);
                }
                fsyncDirectoryOrFail(segmentsDir());
                fsyncDirectoryOrFail(stagingDir());
            } else if (!Files.exists(target)) {
                if (index.hasSegment(name) && index.remoteSegments().contains(name)) {
                    return null; // recorded, published and kept in IPFS only: a replay
                }
                if (index.hasSegment(name)) {
                    throw new StoreException(
                            target + ": segment is in the index but its file is missing");
                }
                throw new StoreException(
                        name
                                + ": sealed segment is neither in "
                                + stagingDir()
                                + " nor in "
                                + segmentsDir()
                                + "; it was deleted before it could be committed");
            }
            if (index.hasSegment(name)) {
                return null;
            }
            List<StoreIndex.BlockEntry> blocks = new ArrayList<>();
            List<String> roots = new ArrayList<>();
            try (CarV2Reader car = CarV2Reader.open(target)) {
                car.roots().forEach(r -> roots.add(r.toString()));
                for (var e : car.readIndex()) {
                    blocks.add(new StoreIndex.BlockEntry(e.mh().toBytes(), e.offset()));
                }
            }
            return new StoreIndex.SegmentEntry(name, Files.size(target), roots, blocks);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw failed("committing segment " + target, e);
        }
    }

    private static void fsyncDirectoryOrFail(Path dir) throws StoreException {
        try {
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw failed("fsyncing directory " + dir, e);
        }
    }

    /**
     * A failure naming what was done to which file, complete on its own ("renaming a to b: No space
     * left on device"): the original is kept as suppressed, not as the cause, because the command
     * line shows the innermost message of a failure.
     */
    public static StoreException failed(String what, IOException e) {
        String reason;
        if (e instanceof java.nio.file.AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            reason = "no such file or directory";
        } else if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            reason = fse.getReason();
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        StoreException out = new StoreException(what + ": " + reason);
        out.addSuppressed(e);
        return out;
    }

    /** What {@link #repair} and {@link #sweep} removed. */
    public record RepairReport(int tornFiles, int orphanStaged, int orphanSegments) {
        public int total() {
            return tornFiles + orphanStaged + orphanSegments;
        }
    }

    /**
     * Repairs the store after an unclean stop, before a job starts: deletes torn in-progress
     * segments and temporary files. Unless {@code keepSealed} (a run resuming from a checkpoint,
     * whose restored committables still name them), also deletes sealed-but-uncommitted segments
     * and segment files the index does not know: their inputs are processed again.
     */
    public RepairReport repair(boolean keepSealed) throws StoreException {
        int torn = deleteMatching(stagingDir(), "*" + IN_PROGRESS_SUFFIX);
        torn += deleteMatching(stagingDir(), "*.tmp");
        torn += deleteMatching(segmentsDir(), "*.tmp");
        if (keepSealed) {
            return new RepairReport(torn, 0, 0);
        }
        RepairReport rest = sweep();
        return new RepairReport(torn, rest.orphanStaged(), rest.orphanSegments());
    }

    /**
     * Deletes everything no committed state refers to: staged segments and segment files missing
     * from the index. Run when no job is writing to the store (after a run ended).
     */
    public RepairReport sweep() throws StoreException {
        int torn = deleteMatching(stagingDir(), "*" + IN_PROGRESS_SUFFIX);
        int staged = deleteMatching(stagingDir(), "*" + CAR_SUFFIX);
        int segments = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(segmentsDir(), "*" + CAR_SUFFIX)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                name = name.substring(0, name.length() - CAR_SUFFIX.length());
                if (!index.hasSegment(name)) {
                    Files.deleteIfExists(p);
                    segments++;
                }
            }
        } catch (IOException e) {
            throw new StoreException(segmentsDir() + ": cannot sweep: " + e.getMessage(), e);
        }
        return new RepairReport(torn, staged, segments);
    }

    /** Files in staging now: sealed or in progress. */
    public List<Path> stagingFiles() throws StoreException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(stagingDir())) {
            ds.forEach(out::add);
        } catch (IOException e) {
            throw new StoreException(stagingDir() + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static int deleteMatching(Path dir, String glob) throws StoreException {
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            for (Path p : ds) {
                if (Files.deleteIfExists(p)) {
                    n++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new StoreException(dir + ": cannot clean up: " + e.getMessage(), e);
        }
        return n;
    }

    /** Makes a rename or a new file in {@code dir} durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Deletes the files of published segments, after recording that they are kept in IPFS only
     * ({@link StoreIndex#markRemote}): a crash in between leaves a file that repair deletes, never
     * an index row naming a file that should be there. Idempotent.
     */
    public void dropLocalCopies(List<String> segments) throws StoreException {
        index.markRemote(segments);
        for (String name : segments) {
            Path file = segmentFile(name);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw failed("deleting published segment " + file, e);
            }
        }
        fsyncDirectoryOrFail(segmentsDir());
    }

    /**
     * Whether every one of {@code segments} (at least one) is published and kept in IPFS only: a
     * replayed commit of them has nothing left to publish.
     */
    public boolean keptRemotely(List<String> segments) throws StoreException {
        if (segments.isEmpty() || !index.remoteSegments().containsAll(segments)) {
            return false;
        }
        // A segment committed without its file (held elsewhere) is remote before it is published.
        List<String> unpublished = index.unpublished();
        return segments.stream().noneMatch(unpublished::contains);
    }

    @Override
    public void close() throws StoreException {
        index.close();
    }
}
