package io.artdag.l1.store;

import io.artdag.l1.store.StoreIndex.BlockEntry;
import io.artdag.l1.store.StoreIndex.SegmentEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The index's one write path for ingests, {@link StoreIndex#commit}: segment rows with their block
 * entries, the l1-mode publication marks, and the contents, sightings and rejections they make
 * visible, all in one transaction. Every insert is {@code INSERT OR IGNORE}, so a replayed commit
 * changes nothing.
 */
final class IndexCommits {
    private final IndexConnection db;
    private final Connection conn;

    IndexCommits(IndexConnection db) {
        this.db = db;
        this.conn = db.conn();
    }

    void commit(
            List<SegmentEntry> segments,
            List<ContentRecord> contents,
            List<Sighting> sightings,
            List<Rejection> rejections,
            List<String> toPublish,
            List<String> remote)
            throws StoreException {
        String what =
                "record "
                        + (segments.isEmpty()
                                ? "contents"
                                : "segment "
                                        + segments.stream()
                                                .map(SegmentEntry::name)
                                                .collect(Collectors.joining(", ")));
        db.inTransaction(
                what,
                () -> {
                    for (SegmentEntry e : segments) {
                        insertSegment(e);
                    }
                    if (!toPublish.isEmpty()) {
                        db.batchByName(
                                "INSERT OR IGNORE INTO unpublished(segment_id)"
                                        + " SELECT id FROM segments WHERE name=?",
                                toPublish);
                    }
                    if (!remote.isEmpty()) {
                        db.batchByName(
                                "INSERT OR IGNORE INTO remote_segments(segment_id)"
                                        + " SELECT id FROM segments WHERE name=?",
                                remote);
                    }
                    insertRecords(contents, sightings, rejections);
                    return null;
                });
    }

    private void insertSegment(SegmentEntry e) throws SQLException {
        long id = upsertSegment(e.name(), e.fileSize(), e.roots(), e.blocks().size());
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT OR IGNORE INTO blocks(multihash, segment_id, section_offset)"
                                + " VALUES (?,?,?)")) {
            for (BlockEntry b : e.blocks()) {
                ps.setBytes(1, b.multihash());
                ps.setLong(2, id);
                ps.setLong(3, b.sectionOffset());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private long upsertSegment(String name, long fileSize, List<String> roots, int blockCount)
            throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT OR IGNORE INTO segments(name, file_size, block_count, roots,"
                                + " committed_at) VALUES (?,?,?,?,?)")) {
            ps.setString(1, name);
            ps.setLong(2, fileSize);
            ps.setLong(3, blockCount);
            ps.setString(4, String.join(" ", roots));
            ps.setString(5, Instant.now().toString());
            ps.executeUpdate();
        }
        return db.segmentId(name).orElseThrow();
    }

    private void insertRecords(
            List<ContentRecord> contents, List<Sighting> sightings, List<Rejection> rejections)
            throws SQLException {
        String now = Instant.now().toString();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT OR IGNORE INTO contents(content_hash, root_cid, size, profile,"
                                + " segment_id, node_id, node_type, first_path, metadata,"
                                + " created_at) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            for (ContentRecord c : contents) {
                long seg =
                        db.segmentId(c.segment())
                                .orElseThrow(
                                        () ->
                                                new SQLException(
                                                        "segment "
                                                                + c.segment()
                                                                + " of content "
                                                                + c.contentHash()
                                                                + " is not committed"));
                ps.setString(1, c.contentHash());
                ps.setString(2, c.rootCid());
                ps.setLong(3, c.size());
                ps.setString(4, c.profile());
                ps.setLong(5, seg);
                ps.setString(6, c.nodeId());
                ps.setString(7, c.nodeType());
                ps.setString(8, c.firstPath());
                ps.setString(9, c.metadata());
                ps.setString(10, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT OR IGNORE INTO sightings(content_hash, path, node_id,"
                                + " node_type, recorded_at) VALUES (?,?,?,?,?)")) {
            for (Sighting s : sightings) {
                ps.setString(1, s.contentHash());
                ps.setString(2, s.path());
                ps.setString(3, s.nodeId());
                ps.setString(4, s.nodeType());
                ps.setString(5, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT OR IGNORE INTO rejections(path, reason, node_id, recorded_at)"
                                + " VALUES (?,?,?,?)")) {
            for (Rejection r : rejections) {
                ps.setString(1, r.path());
                ps.setString(2, r.reason());
                ps.setString(3, r.nodeId());
                ps.setString(4, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
