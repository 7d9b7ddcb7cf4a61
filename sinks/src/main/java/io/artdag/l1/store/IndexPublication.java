package io.artdag.l1.store;

import java.sql.SQLException;
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

    IndexPublication(IndexConnection db) {
        this.db = db;
    }

    List<String> unpublished() throws StoreException {
        return db.list(
                "SELECT s.name FROM unpublished u JOIN segments s ON s.id=u.segment_id"
                        + " ORDER BY s.id",
                ps -> {},
                rs -> rs.getString(1));
    }

    void markPublished(List<String> segments) throws StoreException {
        record(
                "publication",
                "DELETE FROM unpublished WHERE segment_id IN"
                        + " (SELECT id FROM segments WHERE name=?)",
                segments);
    }

    void markRemote(List<String> segments) throws StoreException {
        record(
                "segments kept remotely",
                "INSERT OR IGNORE INTO remote_segments(segment_id)"
                        + " SELECT id FROM segments WHERE name=?",
                segments);
    }

    private void record(String what, String sql, List<String> segments) throws StoreException {
        try {
            db.batchByName(sql, segments);
        } catch (SQLException e) {
            throw new StoreException(
                    db.file() + ": cannot record " + what + ": " + e.getMessage(), e);
        }
    }

    Set<String> remoteSegments() throws StoreException {
        return new HashSet<>(
                db.list(
                        "SELECT s.name FROM remote_segments r JOIN segments s ON"
                                + " s.id=r.segment_id",
                        ps -> {},
                        rs -> rs.getString(1)));
    }
}
