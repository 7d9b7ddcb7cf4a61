package io.artdag.l1.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.testing.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The migrations against a database prepared the way artdag has it: artdag's tables
 * (docs/design.md, "artdag compatibility"; columns as the seed lists them) with rows and no Flyway
 * history. artdag's rows stay, the L1 store's own tables are added, and a second run changes
 * nothing.
 */
class ArtdagExistingDatabaseITCase {
    private static final String HASH = "1f".repeat(32);

    @Test
    void existingArtdagTablesAreKeptAndTheStoresTablesAdded() throws Exception {
        String schema = "artdag_db_" + UUID.randomUUID().toString().replace("-", "");
        ProvenanceStore store =
                new ProvenanceStore(
                        ProvenanceStoreOptions.builder()
                                .jdbcUrl(TestServices.get("L1_PG_URL"))
                                .user(TestServices.get("L1_PG_USER"))
                                .password(TestServices.get("L1_PG_PASSWORD"))
                                .schema(schema)
                                .build());
        try (Connection c = store.connect();
                Statement s = c.createStatement()) {
            try {
                s.execute("CREATE SCHEMA " + schema);
                s.execute("SET search_path TO " + schema);
                // artdag's own tables, created by artdag, not by this project
                s.execute(
                        "CREATE TABLE cache_items (content_hash TEXT PRIMARY KEY, ipfs_cid TEXT"
                                + " NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())");
                s.execute(
                        "CREATE TABLE storage_backends (id BIGSERIAL PRIMARY KEY, actor_id TEXT"
                                + " NOT NULL, provider_type TEXT NOT NULL, config JSONB NOT NULL"
                                + " DEFAULT '{}'::jsonb, capacity_gb BIGINT)");
                s.execute(
                        "CREATE TABLE storage_pins (content_hash TEXT NOT NULL, storage_id"
                                + " BIGINT NOT NULL REFERENCES storage_backends (id), ipfs_cid"
                                + " TEXT NOT NULL, pin_type TEXT NOT NULL)");
                // Seed 000 lists columns, not keys: these two have none.
                s.execute(
                        "CREATE TABLE item_types (content_hash TEXT NOT NULL, actor_id TEXT NOT"
                                + " NULL, type TEXT NOT NULL, metadata JSONB)");
                s.execute(
                        "CREATE TABLE run_cache (run_id TEXT NOT NULL, output_hash TEXT NOT NULL,"
                                + " ipfs_cid TEXT, provenance_cid TEXT, recipe TEXT, inputs JSONB,"
                                + " actor_id TEXT)");
                s.execute(
                        "INSERT INTO cache_items (content_hash, ipfs_cid, created_at) VALUES ('"
                                + HASH
                                + "', 'bafkqaaa', '2024-01-02T03:04:05Z')");
                s.execute(
                        "INSERT INTO storage_backends (actor_id, provider_type) VALUES"
                                + " ('artdag', 'local')");
                s.execute(
                        "INSERT INTO storage_pins VALUES ('"
                                + HASH
                                + "', (SELECT id FROM storage_backends), 'bafkqaaa',"
                                + " 'recursive')");

                assertThat(store.migrate()).isEqualTo(3); // baseline at 1, then V2, V3 and V4
                assertThat(store.migrate()).isZero();

                assertThat(
                                count(
                                        s,
                                        "SELECT count(*) FROM cache_items WHERE content_hash = '"
                                                + HASH
                                                + "' AND ipfs_cid = 'bafkqaaa' AND created_at ="
                                                + " '2024-01-02T03:04:05Z'"))
                        .isEqualTo(1);
                assertThat(count(s, "SELECT count(*) FROM cache_items")).isEqualTo(1);
                assertThat(count(s, "SELECT count(*) FROM storage_pins")).isEqualTo(1);
                assertThat(count(s, "SELECT count(*) FROM storage_backends")).isEqualTo(1);
                // The store's idempotent writes, replayed, write each row once on artdag's tables.
                for (int replay = 0; replay < 2; replay++) {
                    long backend = store.ensureStorageBackend("artdag-l1", "kubo", "{}", null);
                    ProvenanceTestOps.upsertStoragePin(
                            store,
                            new ProvenanceRows.StoragePin(HASH, backend, "bafkqaaa", "recursive"));
                    new PinRecords(store)
                            .record(
                                    java.util.List.of(
                                            new PinRecords.Pin(
                                                    HASH, backend, "bafkqaaa", "pinned", null)));
                    ProvenanceTestOps.upsertItemType(
                            store,
                            new ProvenanceTestRows.ItemType(HASH, "artdag-l1", "media", null));
                    ProvenanceTestOps.upsertRunCache(
                            store,
                            new ProvenanceTestRows.RunCacheEntry(
                                    "2e".repeat(32), HASH, "bafkqaaa", null, "r", null, "a"));
                }
                // Keys were added only where artdag's table had none (cache_items has its own).
                assertThat(
                                count(
                                        s,
                                        "SELECT count(*) FROM pg_indexes WHERE schemaname = '"
                                                + schema
                                                + "' AND indexname LIKE 'l1\\_%\\_key'"))
                        .isEqualTo(4);
                assertThat(count(s, "SELECT count(*) FROM storage_backends")).isEqualTo(2);
                assertThat(count(s, "SELECT count(*) FROM storage_pins")).isEqualTo(2);
                assertThat(count(s, "SELECT count(*) FROM item_types")).isEqualTo(1);
                assertThat(count(s, "SELECT count(*) FROM run_cache")).isEqualTo(1);
                for (String t : new String[] {"segments", "rejected_inputs", "sightings"}) {
                    assertThat(
                                    count(
                                            s,
                                            "SELECT count(*) FROM information_schema.tables"
                                                    + " WHERE table_schema = '"
                                                    + schema
                                                    + "' AND table_name = '"
                                                    + t
                                                    + "'"))
                            .as(t)
                            .isEqualTo(1);
                }
            } finally {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
