package io.artdag.l1.store;

import io.artdag.l1.store.StoreIndex.BlockEntry;
import io.artdag.l1.store.StoreIndex.BlockRef;
import io.artdag.l1.store.StoreIndex.SegmentRow;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The index's segment and block lookups: the committed segments' rows, a segment's block entries,
 * and where one block is stored.
 */
final class IndexSegments {
    private final IndexConnection db;

    IndexSegments(IndexConnection db) {
        this.db = db;
    }

    boolean hasSegment(String name) throws StoreException {
        try {
            return db.segmentId(name).isPresent();
        } catch (SQLException e) {
            throw new StoreException(db.file() + ": " + e.getMessage(), e);
        }
    }

    Optional<BlockRef> block(byte[] multihash) throws StoreException {
        return db.query(
                "SELECT s.name, b.section_offset FROM blocks b JOIN segments s ON s.id=b.segment_id"
                        + " WHERE b.multihash=?",
                ps -> ps.setBytes(1, multihash),
                rs ->
                        rs.next()
                                ? Optional.of(new BlockRef(rs.getString(1), rs.getLong(2)))
                                : Optional.empty());
    }

    List<SegmentRow> segments() throws StoreException {
        return db.list(
                "SELECT name, file_size, block_count, roots FROM segments ORDER BY id",
                ps -> {},
                rs -> {
                    String roots = rs.getString(4);
                    return new SegmentRow(
                            rs.getString(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            roots.isEmpty() ? List.of() : List.of(roots.split(" ")));
                });
    }

    List<BlockEntry> blocksOf(String segment) throws StoreException {
        return db.list(
                "SELECT b.multihash, b.section_offset FROM blocks b JOIN segments s ON"
                        + " s.id=b.segment_id WHERE s.name=? ORDER BY b.section_offset",
                ps -> ps.setString(1, segment),
                rs -> new BlockEntry(rs.getBytes(1), rs.getLong(2)));
    }
}
