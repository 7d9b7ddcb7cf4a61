package io.artdag.l1.postgres;

import io.artdag.l1.postgres.ProvenanceRows.CacheItem;
import io.artdag.l1.postgres.ProvenanceRows.Segment;
import io.artdag.l1.postgres.ProvenanceRows.StoragePin;
import io.artdag.l1.postgres.ProvenanceTestRows.ItemType;
import io.artdag.l1.postgres.ProvenanceTestRows.RunCacheEntry;
import io.artdag.l1.postgres.ProvenanceTestRows.StorageBackend;
import io.artdag.l1.store.Rejection;
import io.artdag.l1.store.Sighting;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes and reads of {@link ProvenanceStore}'s tables that only tests make, on the store's own
 * connections, transactions and errors: single-row upserts (idempotent, {@code ON CONFLICT DO
 * NOTHING}, returning the rows inserted), row lookups and row counts.
 */
public final class ProvenanceTestOps {
    private ProvenanceTestOps() {}

    /** The tables {@link #count} accepts. */
    public static final Set<String> TABLES =
            Set.of(
                    "cache_items",
                    "item_types",
                    "run_cache",
                    "storage_backends",
                    "storage_pins",
                    "segments",
                    "rejected_inputs",
                    "sightings");

    /** A connection to the store's schema (the caller closes it). */
    public static Connection connect(ProvenanceStore store) throws SQLException {
        return store.connect();
    }

    // ------------------------------------------------------------------ writes

    public static int upsertCacheItem(ProvenanceStore store, CacheItem item) {
        return store.tx("cache_items", c -> store.insertCacheItems(c, List.of(item)));
    }

    public static int upsertItemType(ProvenanceStore store, ItemType t) {
        return insertRow(
                store,
                "item_types",
                "INSERT INTO item_types (content_hash, actor_id, type, metadata) VALUES (?, ?, ?,"
                        + " ?::jsonb) ON CONFLICT DO NOTHING",
                t.contentHash(),
                t.actorId(),
                t.type(),
                t.metadataJson());
    }

    public static int upsertRunCache(ProvenanceStore store, RunCacheEntry r) {
        return insertRow(
                store,
                "run_cache",
                "INSERT INTO run_cache (run_id, output_hash, ipfs_cid, provenance_cid, recipe,"
                        + " inputs, actor_id) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT DO"
                        + " NOTHING",
                r.runId(),
                r.outputHash(),
                r.ipfsCid(),
                r.provenanceCid(),
                r.recipe(),
                r.inputsJson(),
                r.actorId());
    }

    public static int upsertStoragePin(ProvenanceStore store, StoragePin pin) {
        return store.tx("storage_pins", c -> store.insertStoragePins(c, List.of(pin)));
    }

    public static int upsertSegment(ProvenanceStore store, Segment s) {
        return store.tx("segments", c -> store.insertSegment(c, s));
    }

    public static int recordRejectedInput(ProvenanceStore store, Rejection r) {
        return store.recordRejectedInputs(List.of(r));
    }

    public static int recordSighting(ProvenanceStore store, Sighting s) {
        ProvenanceRows.requireText("contentHash", s.contentHash());
        ProvenanceRows.requireText("path", s.path());
        return insertRow(
                store,
                "sightings",
                "INSERT INTO sightings (content_hash, path, node_id, node_type) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING",
                s.contentHash(),
                s.path(),
                s.nodeId(),
                s.nodeType());
    }

    /** One row of {@code values} by {@code sql}, in its own transaction: rows inserted. */
    private static int insertRow(
            ProvenanceStore store, String table, String sql, String... values) {
        return store.tx(
                table,
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (int i = 0; i < values.length; i++) {
                            ps.setString(i + 1, values[i]);
                        }
                        ps.addBatch();
                        return ProvenanceStore.sum(ps.executeBatch());
                    }
                });
    }

    // ------------------------------------------------------------------ reads

    public static List<ItemType> itemTypes(ProvenanceStore store, String contentHash) {
        return store.query(
                "item_types",
                "SELECT content_hash, actor_id, type, metadata::text FROM item_types"
                        + " WHERE content_hash = ? ORDER BY actor_id, type",
                List.of(contentHash),
                rs ->
                        new ItemType(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4)));
    }

    public static Optional<RunCacheEntry> runCache(ProvenanceStore store, String runId) {
        return store
                .query(
                        "run_cache",
                        "SELECT run_id, output_hash, ipfs_cid, provenance_cid, recipe, inputs::text,"
                                + " actor_id FROM run_cache WHERE run_id = ?",
                        List.of(runId),
                        rs ->
                                new RunCacheEntry(
                                        rs.getString(1),
                                        rs.getString(2),
                                        rs.getString(3),
                                        rs.getString(4),
                                        rs.getString(5),
                                        rs.getString(6),
                                        rs.getString(7)))
                .stream()
                .findFirst();
    }

    public static List<StorageBackend> storageBackends(ProvenanceStore store) {
        return store.query(
                "storage_backends",
                "SELECT id, actor_id, provider_type, config::text, capacity_gb FROM"
                        + " storage_backends ORDER BY id",
                List.of(),
                rs ->
                        new StorageBackend(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                (Long) rs.getObject(5, Long.class)));
    }

    public static List<StoragePin> storagePins(ProvenanceStore store, String contentHash) {
        return store.query(
                "storage_pins",
                "SELECT content_hash, storage_id, ipfs_cid, pin_type FROM storage_pins"
                        + " WHERE content_hash = ? ORDER BY storage_id",
                List.of(contentHash),
                rs ->
                        new StoragePin(
                                rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
    }

    public static Optional<Segment> segment(ProvenanceStore store, String name) {
        return store
                .query(
                        "segments",
                        "SELECT name, roots, file_size, block_count, imported_at FROM segments WHERE"
                                + " name = ?",
                        List.of(name),
                        rs -> {
                            Array a = rs.getArray(2);
                            List<String> roots = Arrays.asList((String[]) a.getArray());
                            return new Segment(
                                    rs.getString(1),
                                    roots,
                                    rs.getLong(3),
                                    rs.getLong(4),
                                    ProvenanceStore.instant(rs, 5));
                        })
                .stream()
                .findFirst();
    }

    public static List<Rejection> rejectedInputs(ProvenanceStore store) {
        return store.query(
                "rejected_inputs",
                "SELECT path, reason, node_id FROM rejected_inputs ORDER BY path, reason",
                List.of(),
                rs -> new Rejection(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    public static List<Sighting> sightings(ProvenanceStore store, String contentHash) {
        return store.query(
                "sightings",
                "SELECT content_hash, path, node_id, node_type FROM sightings WHERE"
                        + " content_hash = ? ORDER BY path",
                List.of(contentHash),
                rs ->
                        new Sighting(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4)));
    }

    /** Row count of one of {@link #TABLES}. */
    public static long count(ProvenanceStore store, String table) {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("unknown table " + table + "; one of " + TABLES);
        }
        return store.query(
                        "count " + table,
                        "SELECT count(*) FROM " + table,
                        List.of(),
                        rs -> rs.getLong(1))
                .get(0);
    }
}
