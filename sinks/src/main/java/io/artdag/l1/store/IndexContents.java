package io.artdag.l1.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The index's content lookups: by content hash, by root CID, by segment, and every content in
 * content-hash order, as {@link ContentRecord}s or as {@code l1 ls}'s {@link StoredContent} lines.
 */
final class IndexContents {
    private static final String CONTENT_SELECT =
            "SELECT c.content_hash, c.root_cid, c.size, c.profile, s.name, c.node_id, c.node_type,"
                    + " c.first_path, c.metadata FROM contents c JOIN segments s ON"
                    + " s.id=c.segment_id";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final IndexConnection db;
    private final Connection conn;

    IndexContents(IndexConnection db) {
        this.db = db;
        this.conn = db.conn();
    }

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

    boolean hasContent(String contentHash) throws StoreException {
        return db.query(
                "SELECT 1 FROM contents WHERE content_hash=?",
                ps -> ps.setString(1, contentHash),
                ResultSet::next);
    }

    Optional<ContentRecord> content(String contentHash) throws StoreException {
        return db.query(
                CONTENT_SELECT + " WHERE c.content_hash=?",
                ps -> ps.setString(1, contentHash),
                rs -> rs.next() ? Optional.of(contentRow(rs)) : Optional.empty());
    }

    Optional<ContentRecord> contentByRoot(String rootCid) throws StoreException {
        return db.query(
                CONTENT_SELECT + " WHERE c.root_cid=? LIMIT 1",
                ps -> ps.setString(1, rootCid),
                rs -> rs.next() ? Optional.of(contentRow(rs)) : Optional.empty());
    }

    List<ContentRecord> contentsOf(String segment) throws StoreException {
        return db.list(
                CONTENT_SELECT + " WHERE s.name=? ORDER BY c.content_hash",
                ps -> ps.setString(1, segment),
                IndexContents::contentRow);
    }

    void forEachContent(Consumer<ContentRecord> each) throws StoreException {
        db.query(
                CONTENT_SELECT + " ORDER BY c.content_hash",
                ps -> {},
                rs -> {
                    while (rs.next()) {
                        each.accept(contentRow(rs));
                    }
                    return null;
                });
    }

    void forEachStoredContent(StoredContent.Visitor each) throws IOException {
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
            throw new StoreException(db.file() + ": index query failed: " + e.getMessage(), e);
        }
    }
}
