package io.artdag.l1.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.flink.annotation.Internal;

/**
 * The store's index in SQLite: content hash to root CID, block multihash to segment and offset,
 * sightings and rejections. WAL mode lets the job, its lookups and the CLI read while one writer
 * commits; a commit touches only the rows it adds, never the whole index. Schema changes are
 * numbered migrations tracked in {@code PRAGMA user_version}.
 */
@Internal
public final class StoreIndex implements AutoCloseable {
    private final IndexConnection db;
    private final Path file;
    private final Connection conn;

    private final IndexCommits commits;
    private final IndexRepairs repairs;

    private StoreIndex(IndexConnection db) {
        this.db = db;
        this.commits = new IndexCommits(db);
        this.repairs = new IndexRepairs(db);
        this.file = db.file();
        this.conn = db.conn();
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
        commits.commit(segments, contents, sightings, rejections, toPublish);
    }

    private Optional<Long> segmentId(String name) throws SQLException {
        return db.segmentId(name);
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
        return query(
                "SELECT 1 FROM contents WHERE content_hash=?",
                ps -> ps.setString(1, contentHash),
                ResultSet::next);
    }

    public synchronized boolean hasSegment(String name) throws StoreException {
        try {
            return segmentId(name).isPresent();
        } catch (SQLException e) {
            throw new StoreException(file + ": " + e.getMessage(), e);
        }
    }

    public synchronized Optional<ContentRecord> content(String contentHash) throws StoreException {
        return query(
                CONTENT_SELECT + " WHERE c.content_hash=?",
                ps -> ps.setString(1, contentHash),
                rs -> rs.next() ? Optional.of(contentRow(rs)) : Optional.empty());
    }

    public synchronized Optional<ContentRecord> contentByRoot(String rootCid)
            throws StoreException {
        return query(
                CONTENT_SELECT + " WHERE c.root_cid=? LIMIT 1",
                ps -> ps.setString(1, rootCid),
                rs -> rs.next() ? Optional.of(contentRow(rs)) : Optional.empty());
    }

    public synchronized Optional<BlockRef> block(byte[] multihash) throws StoreException {
        return query(
                "SELECT s.name, b.section_offset FROM blocks b JOIN segments s ON s.id=b.segment_id"
                        + " WHERE b.multihash=?",
                ps -> ps.setBytes(1, multihash),
                rs ->
                        rs.next()
                                ? Optional.of(new BlockRef(rs.getString(1), rs.getLong(2)))
                                : Optional.empty());
    }

    private static final String CONTENT_SELECT =
            "SELECT c.content_hash, c.root_cid, c.size, c.profile, s.name, c.node_id, c.node_type,"
                    + " c.first_path, c.metadata FROM contents c JOIN segments s ON"
                    + " s.id=c.segment_id";

    private static ContentRecord contentRow(ResultSet rs) throws SQLException {
        return new ContentRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9));
    }

    /** Segments committed in l1 mode whose publication is unconfirmed, in commit order. */
    public synchronized List<String> unpublished() throws StoreException {
        return query(
                "SELECT s.name FROM unpublished u JOIN segments s ON s.id=u.segment_id"
                        + " ORDER BY s.id",
                ps -> {},
                rs -> {
                    List<String> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                    return out;
                });
    }

    /** The publisher has published these segments: they are no longer {@link #unpublished}. */
    public synchronized void markPublished(List<String> segments) throws StoreException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "DELETE FROM unpublished WHERE segment_id IN"
                                + " (SELECT id FROM segments WHERE name=?)")) {
            for (String name : segments) {
                ps.setString(1, name);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot record publication: " + e.getMessage(), e);
        }
    }

    /**
     * These published segments are kept in IPFS only: their local files are about to be deleted
     * (see {@code V3__remote_segments.sql}).
     */
    public synchronized void markRemote(List<String> segments) throws StoreException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT OR IGNORE INTO remote_segments(segment_id)"
                                + " SELECT id FROM segments WHERE name=?")) {
            for (String name : segments) {
                ps.setString(1, name);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException(
                    file + ": cannot record segments kept remotely: " + e.getMessage(), e);
        }
    }

    /** The segments kept in IPFS only ({@link #markRemote}), by name. */
    public synchronized java.util.Set<String> remoteSegments() throws StoreException {
        return query(
                "SELECT s.name FROM remote_segments r JOIN segments s ON s.id=r.segment_id",
                ps -> {},
                rs -> {
                    java.util.Set<String> out = new java.util.HashSet<>();
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                    return out;
                });
    }

    /** The contents whose root block is in {@code segment}. */
    public synchronized List<ContentRecord> contentsOf(String segment) throws StoreException {
        return query(
                CONTENT_SELECT + " WHERE s.name=? ORDER BY c.content_hash",
                ps -> ps.setString(1, segment),
                rs -> {
                    List<ContentRecord> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(contentRow(rs));
                    }
                    return out;
                });
    }

    /** Calls {@code each} for every content, ordered by content hash. */
    public synchronized void forEachContent(Consumer<ContentRecord> each) throws StoreException {
        query(
                CONTENT_SELECT + " ORDER BY c.content_hash",
                ps -> {},
                rs -> {
                    while (rs.next()) {
                        each.accept(contentRow(rs));
                    }
                    return null;
                });
    }

    /**
     * Calls {@code each} for every content, ordered by content hash, with its producers' node ids
     * (see {@link StoredContent}). Streams one SQL statement, in primary-key order: one snapshot of
     * the index (WAL mode: a writer's commits meanwhile are not seen), and nothing held in memory
     * but the current row.
     */
    public synchronized void forEachStoredContent(StoredContent.Visitor each) throws IOException {
        String sql =
                "SELECT c.content_hash, c.root_cid, c.size, c.created_at, (SELECT"
                        + " json_group_array(n) FROM (SELECT s.node_id AS n FROM sightings s"
                        + " WHERE s.content_hash=c.content_hash AND s.node_id IS NOT NULL UNION"
                        + " SELECT c.node_id WHERE c.node_id IS NOT NULL ORDER BY 1)) FROM"
                        + " contents c ORDER BY c.content_hash";
        try (PreparedStatement ps = conn.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<String> nodeIds = new ArrayList<>();
                JSON.readTree(rs.getString(5)).forEach(n -> nodeIds.add(n.asText()));
                each.visit(
                        new StoredContent(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getLong(3),
                                List.copyOf(nodeIds),
                                rs.getString(4)));
            }
        } catch (SQLException e) {
            throw new StoreException(file + ": index query failed: " + e.getMessage(), e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    public synchronized List<SegmentRow> segments() throws StoreException {
        return query(
                "SELECT name, file_size, block_count, roots FROM segments ORDER BY id",
                ps -> {},
                rs -> {
                    List<SegmentRow> out = new ArrayList<>();
                    while (rs.next()) {
                        String roots = rs.getString(4);
                        out.add(
                                new SegmentRow(
                                        rs.getString(1),
                                        rs.getLong(2),
                                        rs.getLong(3),
                                        roots.isEmpty() ? List.of() : List.of(roots.split(" "))));
                    }
                    return out;
                });
    }

    /** Index entries of one segment, ordered by offset. */
    public synchronized List<BlockEntry> blocksOf(String segment) throws StoreException {
        return query(
                "SELECT b.multihash, b.section_offset FROM blocks b JOIN segments s ON"
                        + " s.id=b.segment_id WHERE s.name=? ORDER BY b.section_offset",
                ps -> ps.setString(1, segment),
                rs -> {
                    List<BlockEntry> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new BlockEntry(rs.getBytes(1), rs.getLong(2)));
                    }
                    return out;
                });
    }

    public synchronized List<Sighting> sightings() throws StoreException {
        return query(
                "SELECT content_hash, path, node_id, node_type FROM sightings ORDER BY content_hash,"
                        + " path",
                ps -> {},
                rs -> {
                    List<Sighting> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(
                                new Sighting(
                                        rs.getString(1),
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getString(4)));
                    }
                    return out;
                });
    }

    public synchronized List<Rejection> rejections() throws StoreException {
        return query(
                "SELECT path, reason, node_id FROM rejections ORDER BY path, reason",
                ps -> {},
                rs -> {
                    List<Rejection> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new Rejection(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                    return out;
                });
    }

    public synchronized StoreStats stats() throws StoreException {
        // Duplicates are the sightings beyond the first of each stored content (and every sighting
        // of content stored elsewhere, in l1 mode); a content whose sightings were lost with a
        // rebuilt index has none to subtract.
        return query(
                "SELECT (SELECT count(*) FROM contents), (SELECT count(*) FROM sightings) -"
                        + " (SELECT count(DISTINCT s.content_hash) FROM sightings s WHERE EXISTS"
                        + " (SELECT 1 FROM contents c WHERE c.content_hash=s.content_hash)),"
                        + " (SELECT count(*) FROM rejections), (SELECT count(*) FROM segments),"
                        + " (SELECT coalesce(sum(file_size),0) FROM segments),"
                        + " (SELECT coalesce(sum(size),0) FROM contents),"
                        + " (SELECT count(*) FROM blocks)",
                ps -> {},
                rs -> {
                    rs.next();
                    return new StoreStats(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getLong(5),
                            rs.getLong(6),
                            rs.getLong(7));
                });
    }

    /**
     * SQLite's own check of the database file ({@code PRAGMA integrity_check}): the problems it
     * reports, empty when the file is sound.
     */
    public synchronized List<String> integrityProblems() throws StoreException {
        return query(
                "PRAGMA integrity_check",
                ps -> {},
                rs -> {
                    List<String> out = new ArrayList<>();
                    while (rs.next()) {
                        String line = rs.getString(1);
                        if (!"ok".equalsIgnoreCase(line)) {
                            out.add(line);
                        }
                    }
                    return out;
                });
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

    private <T> T query(String sql, IndexConnection.Binder binder, IndexConnection.Reader<T> reader)
            throws StoreException {
        return db.query(sql, binder, reader);
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws StoreException {
        db.close();
    }
}
