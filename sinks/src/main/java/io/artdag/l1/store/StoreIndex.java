package io.artdag.l1.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.annotation.Internal;

/**
 * The store's index in SQLite: content hash to root CID, block multihash to segment and offset,
 * sightings and rejections. WAL mode lets the job, its lookups and the CLI read while one writer
 * commits; a commit touches only the rows it adds, never the whole index. Schema changes are
 * numbered migrations tracked in {@code PRAGMA user_version}. This class is the one way in and
 * serializes every call; the work is done by package-private parts, one for each concern ({@link
 * IndexConnection}, {@link IndexSchema}, {@link IndexCommits}, {@link IndexContents}, {@link
 * IndexSegments}, {@link IndexPublication}, {@link IndexReports}, {@link IndexRepairs}).
 */
@Internal
public final class StoreIndex implements AutoCloseable {
    private final IndexConnection db;
    private final IndexCommits commits;
    private final IndexContents contentQueries;
    private final IndexSegments segmentQueries;
    private final IndexPublication publication;
    private final IndexReports reports;
    private final IndexRepairs repairs;

    private StoreIndex(IndexConnection db) {
        this.db = db;
        this.commits = new IndexCommits(db);
        this.contentQueries = new IndexContents(db);
        this.segmentQueries = new IndexSegments(db);
        this.publication = new IndexPublication(db);
        this.reports = new IndexReports(db);
        this.repairs = new IndexRepairs(db);
    }

    /** Opens (creating and migrating if needed) the index for reading and committing. */
    public static StoreIndex open(Path file) throws StoreException {
        IndexConnection db = IndexConnection.open(file, false);
        IndexSchema.migrate(db);
        return new StoreIndex(db);
    }

    /** Opens an existing index read-only, for lookups next to a running writer. */
    public static StoreIndex openReadOnly(Path file) throws StoreException {
        if (!java.nio.file.Files.exists(file)) {
            throw new StoreException(file + ": no store index here (nothing ingested yet?)");
        }
        return new StoreIndex(IndexConnection.open(file, true));
    }

    /** A committed segment's index entry for one block. */
    public record BlockEntry(byte[] multihash, long sectionOffset) {}

    /** Where a block is stored. */
    public record BlockRef(String segment, long sectionOffset) {}

    /** A committed segment's row. */
    public record SegmentRow(String name, long fileSize, long blockCount, List<String> roots) {}

    /** A segment file's index entries: what committing it records. */
    public record SegmentEntry(
            String name, long fileSize, List<String> roots, List<BlockEntry> blocks) {}

    /**
     * Records one committed segment and what it makes visible, in one transaction. Idempotent: rows
     * that exist are left as they are, so a replayed commit changes nothing.
     */
    public synchronized void commitSegment(
            String name, long fileSize, List<String> roots, List<BlockEntry> blocks)
            throws StoreException {
        commit(
                List.of(new SegmentEntry(name, fileSize, roots, blocks)),
                List.of(),
                List.of(),
                List.of());
    }

    /**
     * Records a checkpoint's segments, their blocks, and the contents, sightings and rejections
     * they make visible, in one transaction: a crash leaves either all of it or none, never a
     * segment whose contents are missing (which a fresh run would store again). Idempotent: rows
     * that exist are left as they are, the first record of a content hash wins.
     */
    public synchronized void commit(
            List<SegmentEntry> segments,
            List<ContentRecord> contents,
            List<Sighting> sightings,
            List<Rejection> rejections)
            throws StoreException {
        commit(segments, contents, sightings, rejections, List.of());
    }

    /**
     * As {@link #commit(List, List, List, List)}, and marks the segments named in {@code toPublish}
     * as {@link #unpublished} in the same transaction (l1 mode).
     */
    public synchronized void commit(
            List<SegmentEntry> segments,
            List<ContentRecord> contents,
            List<Sighting> sightings,
            List<Rejection> rejections,
            List<String> toPublish)
            throws StoreException {
        commit(segments, contents, sightings, rejections, toPublish, List.of());
    }

    /**
     * As {@link #commit(List, List, List, List, List)}, and records the segments named in {@code
     * remote} as kept in IPFS only ({@link #markRemote}) in the same transaction: segments
     * committed without a local file.
     */
    public synchronized void commit(
            List<SegmentEntry> segments,
            List<ContentRecord> contents,
            List<Sighting> sightings,
            List<Rejection> rejections,
            List<String> toPublish,
            List<String> remote)
            throws StoreException {
        commits.commit(segments, contents, sightings, rejections, toPublish, remote);
    }

    /**
     * Records contents (whose segments must be committed already), sightings and rejections in one
     * transaction. Idempotent: the first record of a content hash wins.
     */
    public synchronized void commitRecords(
            List<ContentRecord> contents, List<Sighting> sightings, List<Rejection> rejections)
            throws StoreException {
        commit(List.of(), contents, sightings, rejections);
    }

    public synchronized boolean hasContent(String contentHash) throws StoreException {
        return contentQueries.hasContent(contentHash);
    }

    public synchronized boolean hasSegment(String name) throws StoreException {
        return segmentQueries.hasSegment(name);
    }

    public synchronized Optional<ContentRecord> content(String contentHash) throws StoreException {
        return contentQueries.content(contentHash);
    }

    public synchronized Optional<ContentRecord> contentByRoot(String rootCid)
            throws StoreException {
        return contentQueries.contentByRoot(rootCid);
    }

    public synchronized Optional<BlockRef> block(byte[] multihash) throws StoreException {
        return segmentQueries.block(multihash);
    }

    /** Segments committed in l1 mode whose publication is unconfirmed, in commit order. */
    public synchronized List<String> unpublished() throws StoreException {
        return publication.unpublished();
    }

    /** The publisher has published these segments: they are no longer {@link #unpublished}. */
    public synchronized void markPublished(List<String> segments) throws StoreException {
        publication.markPublished(segments);
    }

    /**
     * These published segments are kept in IPFS only: their local files are about to be deleted
     * (see {@code V3__remote_segments.sql}).
     */
    public synchronized void markRemote(List<String> segments) throws StoreException {
        publication.markRemote(segments);
    }

    /** The segments kept in IPFS only ({@link #markRemote}), by name. */
    public synchronized Set<String> remoteSegments() throws StoreException {
        return publication.remoteSegments();
    }

    /** The contents whose root block is in {@code segment}. */
    public synchronized List<ContentRecord> contentsOf(String segment) throws StoreException {
        return contentQueries.contentsOf(segment);
    }

    /** Calls {@code each} for every content, ordered by content hash. */
    public synchronized void forEachContent(Consumer<ContentRecord> each) throws StoreException {
        contentQueries.forEachContent(each);
    }

    /**
     * Calls {@code each} for every content, ordered by content hash, with its producers' node ids
     * (see {@link StoredContent}). Streams one SQL statement, in primary-key order: one snapshot of
     * the index (WAL mode: a writer's commits meanwhile are not seen), and nothing held in memory
     * but the current row.
     */
    public synchronized void forEachStoredContent(StoredContent.Visitor each) throws IOException {
        contentQueries.forEachStoredContent(each);
    }

    public synchronized List<SegmentRow> segments() throws StoreException {
        return segmentQueries.segments();
    }

    /** Index entries of one segment, ordered by offset. */
    public synchronized List<BlockEntry> blocksOf(String segment) throws StoreException {
        return segmentQueries.blocksOf(segment);
    }

    public synchronized List<Sighting> sightings() throws StoreException {
        return reports.sightings();
    }

    public synchronized List<Rejection> rejections() throws StoreException {
        return reports.rejections();
    }

    public synchronized StoreStats stats() throws StoreException {
        return reports.stats();
    }

    /**
     * SQLite's own check of the database file ({@code PRAGMA integrity_check}): the problems it
     * reports, empty when the file is sound.
     */
    public synchronized List<String> integrityProblems() throws StoreException {
        return reports.integrityProblems();
    }

    /**
     * Starts a read snapshot: until {@link #endReadSnapshot}, every query of this index sees the
     * index as it was at the first one, whatever a writer commits meanwhile (WAL mode).
     */
    public synchronized void beginReadSnapshot() throws StoreException {
        db.beginReadSnapshot();
    }

    public synchronized void endReadSnapshot() {
        db.endReadSnapshot();
    }

    /**
     * Removes a segment from the index with everything that names it: its block entries and the
     * contents whose root block it holds. Returns the content hashes removed.
     */
    public synchronized List<String> dropSegment(String name) throws StoreException {
        return repairs.dropSegment(name);
    }

    /** Removes one content (its sightings stay: they record what was seen). */
    public synchronized boolean dropContent(String contentHash) throws StoreException {
        return repairs.dropContent(contentHash);
    }

    /**
     * Makes a committed segment's index entries agree with its file: the row takes the file's size
     * and header roots, entries the file does not have at that offset are removed, and the file's
     * blocks that no segment indexes yet are added. Returns {removed, added}.
     */
    public synchronized long[] reconcileSegment(
            String name, long fileSize, List<String> roots, List<BlockEntry> actual)
            throws StoreException {
        return repairs.reconcileSegment(name, fileSize, roots, actual);
    }

    public Path file() {
        return db.file();
    }

    @Override
    public synchronized void close() throws StoreException {
        db.close();
    }
}
