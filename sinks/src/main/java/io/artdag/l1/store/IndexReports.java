package io.artdag.l1.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Whole-index reads: every sighting and rejection, the counts of {@link StoreStats} ({@code l1
 * stats}, an ingest's summary), and SQLite's own integrity check ({@code l1 verify} and repair).
 */
final class IndexReports {
    private final IndexConnection db;

    IndexReports(IndexConnection db) {
        this.db = db;
    }

    List<Sighting> sightings() throws StoreException {
        return db.list(
                "SELECT content_hash, path, node_id, node_type FROM sightings ORDER BY content_hash,"
                        + " path",
                ps -> {},
                rs ->
                        new Sighting(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4)));
    }

    List<Rejection> rejections() throws StoreException {
        return db.list(
                "SELECT path, reason, node_id FROM rejections ORDER BY path, reason",
                ps -> {},
                rs -> new Rejection(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    StoreStats stats() throws StoreException {
        // Duplicates are the sightings beyond the first of each stored content (and every sighting
        // of content stored elsewhere, in l1 mode); a content whose sightings were lost with a
        // rebuilt index has none to subtract.
        return db.query(
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

    List<String> integrityProblems() throws StoreException {
        return db.query(
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
}
