package io.artdag.l1.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the index records of l1 mode's publication: the segments whose publication is not yet
 * confirmed ({@code unpublished}), and the published ones kept in IPFS only ({@code
 * remote_segments}).
 */
final class IndexPublication {
    private final IndexConnection db;
    private final Connection conn;

    IndexPublication(IndexConnection db) {
        this.db = db;
        this.conn = db.conn();
    }

    List<String> unpublished() throws StoreException {
        return db.query(
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

    void markPublished(List<String> segments) throws StoreException {
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
            throw new StoreException(
                    db.file() + ": cannot record publication: " + e.getMessage(), e);
        }
    }

    void markRemote(List<String> segments) throws StoreException {
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
                    db.file() + ": cannot record segments kept remotely: " + e.getMessage(), e);
        }
    }

    Set<String> remoteSegments() throws StoreException {
        return db.query(
                "SELECT s.name FROM remote_segments r JOIN segments s ON s.id=r.segment_id",
                ps -> {},
                rs -> {
                    Set<String> out = new HashSet<>();
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                    return out;
                });
    }
}
