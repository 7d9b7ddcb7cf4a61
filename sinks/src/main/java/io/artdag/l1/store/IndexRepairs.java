package io.artdag.l1.store;

import io.artdag.l1.store.StoreIndex.BlockEntry;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The index edits {@link StoreRepair} makes, each in its own transaction: dropping a segment with
 * everything that names it, dropping one content, and bringing a segment's row and block entries in
 * line with its file.
 */
final class IndexRepairs {
    private final IndexConnection db;
    private final Connection conn;

    IndexRepairs(IndexConnection db) {
        this.db = db;
        this.conn = db.conn();
    }

    List<String> dropSegment(String name) throws StoreException {
        return db.inTransaction("drop segment " + name, () -> drop(name));
    }

    private List<String> drop(String name) throws SQLException {
        Optional<Long> id = db.segmentId(name);
        if (id.isEmpty()) {
            return List.of();
        }
        List<String> dropped = new ArrayList<>();
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT content_hash FROM contents WHERE segment_id=? ORDER BY"
                                + " content_hash")) {
            ps.setLong(1, id.get());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dropped.add(rs.getString(1));
                }
            }
        }
        for (String sql :
                new String[] {
                    "DELETE FROM contents WHERE segment_id=?",
                    "DELETE FROM blocks WHERE segment_id=?",
                    "DELETE FROM segments WHERE id=?"
                }) {
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                ps.setLong(1, id.get());
                ps.executeUpdate();
            }
        }
        return dropped;
    }

    boolean dropContent(String contentHash) throws StoreException {
        try (PreparedStatement ps =
                conn.prepareStatement("DELETE FROM contents WHERE content_hash=?")) {
            ps.setString(1, contentHash);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException(
                    db.file() + ": cannot drop content " + contentHash + ": " + e.getMessage(), e);
        }
    }

    long[] reconcileSegment(String name, long fileSize, List<String> roots, List<BlockEntry> actual)
            throws StoreException {
        return db.inTransaction(
                "reconcile segment " + name, () -> reconcile(name, fileSize, roots, actual));
    }

    private long[] reconcile(
            String name, long fileSize, List<String> roots, List<BlockEntry> actual)
            throws SQLException {
        long id = db.segmentId(name).orElseThrow(() -> new SQLException(name + " not indexed"));
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "UPDATE segments SET file_size=?, block_count=?, roots=? WHERE id=?")) {
            ps.setLong(1, fileSize);
            ps.setLong(2, actual.size());
            ps.setString(3, String.join(" ", roots));
            ps.setLong(4, id);
            ps.executeUpdate();
        }
        Map<ByteBuffer, Long> at = new HashMap<>();
        actual.forEach(b -> at.put(ByteBuffer.wrap(b.multihash()), b.sectionOffset()));
        long removed = 0;
        try (PreparedStatement sel =
                        conn.prepareStatement(
                                "SELECT multihash, section_offset FROM blocks WHERE"
                                        + " segment_id=?");
                PreparedStatement del =
                        conn.prepareStatement("DELETE FROM blocks WHERE multihash=?")) {
            sel.setLong(1, id);
            List<byte[]> wrong = new ArrayList<>();
            try (ResultSet rs = sel.executeQuery()) {
                while (rs.next()) {
                    Long offset = at.get(ByteBuffer.wrap(rs.getBytes(1)));
                    if (offset == null || offset != rs.getLong(2)) {
                        wrong.add(rs.getBytes(1));
                    }
                }
            }
            for (byte[] mh : wrong) {
                del.setBytes(1, mh);
                removed += del.executeUpdate();
            }
        }
        long added = 0;
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "INSERT OR IGNORE INTO blocks(multihash, segment_id, section_offset)"
                                + " VALUES (?,?,?)")) {
            for (BlockEntry b : actual) {
                ps.setBytes(1, b.multihash());
                ps.setLong(2, id);
                ps.setLong(3, b.sectionOffset());
                added += ps.executeUpdate();
            }
        }
        return new long[] {removed, added};
    }
}
