package io.artdag.l1.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import io.artdag.l1.postgres.ProvenanceRows.CacheItem;
import io.artdag.l1.postgres.ProvenanceRows.Segment;
import io.artdag.l1.postgres.ProvenanceRows.StoragePin;
import io.artdag.l1.postgres.ProvenanceTestRows.ItemType;
import io.artdag.l1.postgres.ProvenanceTestRows.RunCacheEntry;
import io.artdag.l1.store.Rejection;
import io.artdag.l1.store.Sighting;
import io.artdag.l1.testing.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Integration test against a real PostgreSQL, found through {@code L1_PG_URL}, {@code L1_PG_USER}
 * and {@code L1_PG_PASSWORD}. Start one with {@code eval "$(deploy/local/services.sh start)"}.
 * Without the variables the test fails; it is never skipped. Each test migrates a fresh schema and
 * drops it afterwards.
 */
class ProvenanceStoreITCase {
    private static final String H1 = "a1".repeat(32);
    private static final String H2 = "b2".repeat(32);

    private ProvenanceStore store;

    static ProvenanceStoreOptions.Builder options() {
        String url = TestServices.get("L1_PG_URL");
        String user = TestServices.get("L1_PG_USER");
        if (url == null || url.isBlank() || user == null || user.isBlank()) {
            fail(
                    "L1_PG_URL / L1_PG_USER are not set: start PostgreSQL with"
                            + " `eval \"$(deploy/local/services.sh start)\"` (or ./bin/test) and"
                            + " run the tests again");
        }
        return ProvenanceStoreOptions.builder()
                .jdbcUrl(url)
                .user(user)
                .password(TestServices.get("L1_PG_PASSWORD"));
    }

    @BeforeEach
    void open() {
        String schema = "prov_test_" + UUID.randomUUID().toString().replace("-", "");
        store = new ProvenanceStore(options().schema(schema).build());
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (store != null) {
            try (Connection c = store.connect();
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + store.options().schema() + " CASCADE");
            }
        }
    }

    @Test
    void optionsAreValidatedWithClearMessages() {
        assertThatThrownBy(() -> ProvenanceStoreOptions.builder().build())
                .hasMessageContaining("jdbcUrl is required")
                .hasMessageContaining("L1_PG_URL");
        assertThatThrownBy(
                        () ->
                                ProvenanceStoreOptions.builder()
                                        .jdbcUrl("jdbc:mysql://x/y")
                                        .user("u")
                                        .build())
                .hasMessageContaining("jdbc:postgresql://");
        assertThatThrownBy(
                        () ->
                                ProvenanceStoreOptions.builder()
                                        .jdbcUrl("jdbc:postgresql://x/y")
                                        .build())
                .hasMessageContaining("user is required");
        assertThatThrownBy(
                        () ->
                                ProvenanceStoreOptions.builder()
                                        .jdbcUrl("jdbc:postgresql://x/y")
                                        .user("u")
                                        .schema("x; drop table y")
                                        .build())
                .hasMessageContaining("schema must be a lowercase identifier");
        assertThatThrownBy(
                        () ->
                                ProvenanceStoreOptions.builder()
                                        .jdbcUrl("jdbc:postgresql://x/y")
                                        .user("u")
                                        .connectTimeout(Duration.ofMillis(10))
                                        .build())
                .hasMessageContaining("connectTimeout");
        ProvenanceStoreOptions o =
                ProvenanceStoreOptions.builder()
                        .jdbcUrl("jdbc:postgresql://x/y")
                        .user("u")
                        .password("secret")
                        .build();
        assertThat(o.schema()).isEqualTo("public");
        assertThat(o.toString()).doesNotContain("secret");
    }

    @Test
    void migrationsApplyOnAnEmptySchemaAndReapplyAsNoOps() throws Exception {
        assertThat(store.migrate()).isEqualTo(4);
        assertThat(tables())
                .containsExactlyInAnyOrder(
                        "cache_items",
                        "item_types",
                        "run_cache",
                        "storage_backends",
                        "storage_pins",
                        "segments",
                        "rejected_inputs",
                        "sightings",
                        "flyway_schema_history");
        assertThat(store.migrate()).isZero();
        assertThat(new ProvenanceStore(store.options()).migrate()).isZero();
        for (String t : ProvenanceTestOps.TABLES) {
            assertThat(ProvenanceTestOps.count(store, t)).as(t).isZero();
        }
    }

    @Test
    void cacheItemsFirstCidWins() {
        store.migrate();
        assertThat(ProvenanceTestOps.upsertCacheItem(store, new CacheItem(H1, "bafyA")))
                .isEqualTo(1);
        assertThat(ProvenanceTestOps.upsertCacheItem(store, new CacheItem(H1, "bafyA"))).isZero();
        assertThat(ProvenanceTestOps.upsertCacheItem(store, new CacheItem(H1, "bafyOther")))
                .isZero();
        assertThat(ProvenanceTestOps.count(store, "cache_items")).isEqualTo(1);
        CacheItem got = store.cacheItem(H1).orElseThrow();
        assertThat(got.ipfsCid()).isEqualTo("bafyA");
        assertThat(got.createdAt()).isNotNull();
        assertThat(store.cacheItem(H2)).isEmpty();
        // a content hash must be lowercase SHA3-256 hex
        assertThatThrownBy(
                        () ->
                                ProvenanceTestOps.upsertCacheItem(
                                        store, new CacheItem("XYZ", "bafyA")))
                .isInstanceOf(ProvenanceStoreException.class)
                .isNotInstanceOf(ProvenanceUnavailableException.class)
                .hasMessageContaining("cache_items_hash_hex");
    }

    @Test
    void everyUpsertTwiceLeavesOneRow() {
        store.migrate();
        for (int round = 0; round < 2; round++) {
            int expectInserted = round == 0 ? 1 : 0;
            assertThat(
                            ProvenanceTestOps.upsertItemType(
                                    store,
                                    new ItemType(H1, "actor-1", "media", "{\"ext\": \".mkv\"}")))
                    .isEqualTo(expectInserted);
            assertThat(
                            ProvenanceTestOps.upsertRunCache(
                                    store,
                                    new RunCacheEntry(
                                            "run-1",
                                            H1,
                                            "bafyA",
                                            null,
                                            "recipe-x",
                                            "[\"" + H2 + "\"]",
                                            "actor-1")))
                    .isEqualTo(expectInserted);
            long backend = store.ensureStorageBackend("actor-1", "local-kubo", "{\"api\":1}", 10L);
            assertThat(
                            ProvenanceTestOps.upsertStoragePin(
                                    store, new StoragePin(H1, backend, "bafyA", "recursive")))
                    .isEqualTo(expectInserted);
            assertThat(
                            ProvenanceTestOps.upsertSegment(
                                    store, new Segment("seg-0001.car", List.of("bafyA"), 100, 3)))
                    .isEqualTo(expectInserted);
            assertThat(
                            ProvenanceTestOps.recordRejectedInput(
                                    store, new Rejection("/in/x", "unreadable", "n1")))
                    .isEqualTo(expectInserted);
            assertThat(
                            ProvenanceTestOps.recordSighting(
                                    store, new Sighting(H1, "/in/a.mkv", "n1", "SEGMENT")))
                    .isEqualTo(expectInserted);
            assertThat(ProvenanceTestOps.upsertCacheItem(store, new CacheItem(H1, "bafyA")))
                    .isEqualTo(expectInserted);
        }
        for (String t : ProvenanceTestOps.TABLES) {
            assertThat(ProvenanceTestOps.count(store, t)).as(t).isEqualTo(1);
        }
        assertThat(ProvenanceTestOps.itemTypes(store, H1))
                .singleElement()
                .satisfies(
                        t -> {
                            assertThat(t.type()).isEqualTo("media");
                            assertThat(t.metadataJson()).contains("\".mkv\"");
                        });
        RunCacheEntry rc = ProvenanceTestOps.runCache(store, "run-1").orElseThrow();
        assertThat(rc.outputHash()).isEqualTo(H1);
        assertThat(rc.inputsJson()).contains(H2);
        assertThat(rc.provenanceCid()).isNull();
        assertThat(ProvenanceTestOps.storageBackends(store))
                .singleElement()
                .satisfies(b -> assertThat(b.capacityGb()).isEqualTo(10L));
        Segment seg = ProvenanceTestOps.segment(store, "seg-0001.car").orElseThrow();
        assertThat(seg.roots()).containsExactly("bafyA");
        assertThat(seg.fileSize()).isEqualTo(100);
        assertThat(seg.blockCount()).isEqualTo(3);
        assertThat(seg.importedAt()).isNotNull();
        assertThat(ProvenanceTestOps.rejectedInputs(store))
                .containsExactly(new Rejection("/in/x", "unreadable", "n1"));
        assertThat(ProvenanceTestOps.sightings(store, H1))
                .containsExactly(new Sighting(H1, "/in/a.mkv", "n1", "SEGMENT"));
        // distinct keys are distinct rows
        assertThat(
                        ProvenanceTestOps.recordSighting(
                                store, new Sighting(H1, "/in/dup.mkv", "n2", "SEGMENT")))
                .isEqualTo(1);
        assertThat(
                        ProvenanceTestOps.upsertItemType(
                                store, new ItemType(H1, "actor-2", "media", null)))
                .isEqualTo(1);
        assertThat(store.ensureStorageBackend("actor-1", "pinata", "{}", null))
                .isNotEqualTo(
                        store.ensureStorageBackend("actor-1", "local-kubo", "{\"api\":1}", 5L));
        assertThat(ProvenanceTestOps.count(store, "storage_backends")).isEqualTo(2);
    }

    @Test
    void segmentCommitIsOneIdempotentTransaction() {
        store.migrate();
        long backend = store.ensureStorageBackend("l1", "kubo", "{}", null);
        List<CacheItem> contents = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            contents.add(new CacheItem(String.format("%064x", i), "bafy" + i));
        }
        Segment seg = new Segment("seg-0002.car", List.of("bafy0", "bafy49"), 4096, 52);
        assertThat(store.recordSegmentCommit(seg, contents, backend, "recursive"))
                .isEqualTo(1 + 50 + 50);
        assertThat(store.recordSegmentCommit(seg, contents, backend, "recursive")).isZero();
        assertThat(ProvenanceTestOps.count(store, "segments")).isEqualTo(1);
        assertThat(ProvenanceTestOps.count(store, "cache_items")).isEqualTo(50);
        assertThat(ProvenanceTestOps.count(store, "storage_pins")).isEqualTo(50);
        assertThat(ProvenanceTestOps.storagePins(store, String.format("%064x", 7)))
                .containsExactly(
                        new StoragePin(String.format("%064x", 7), backend, "bafy7", "recursive"));

        // a failing commit leaves nothing behind: bad hash in the batch rolls back the segment
        Segment bad = new Segment("seg-0003.car", List.of("bafyZ"), 1, 1);
        assertThatThrownBy(
                        () ->
                                store.recordSegmentCommit(
                                        bad,
                                        List.of(new CacheItem("not-hex", "bafyZ")),
                                        backend,
                                        "recursive"))
                .isInstanceOf(ProvenanceStoreException.class);
        assertThat(ProvenanceTestOps.segment(store, "seg-0003.car")).isEmpty();
    }

    @Test
    void unreachableServerIsUnavailable() {
        ProvenanceStore down =
                new ProvenanceStore(
                        ProvenanceStoreOptions.builder()
                                .jdbcUrl("jdbc:postgresql://127.0.0.1:1/artdag")
                                .user("artdag")
                                .connectTimeout(Duration.ofSeconds(1))
                                .build());
        assertThatThrownBy(() -> ProvenanceTestOps.count(down, "segments"))
                .isInstanceOf(ProvenanceUnavailableException.class)
                .hasMessageContaining("08001");
        assertThatThrownBy(down::migrate).isInstanceOf(ProvenanceUnavailableException.class);
    }

    private List<String> tables() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = store.connect();
                ResultSet rs =
                        c.getMetaData()
                                .getTables(
                                        null,
                                        store.options().schema(),
                                        "%",
                                        new String[] {"TABLE"})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME"));
            }
        }
        return out;
    }
}
