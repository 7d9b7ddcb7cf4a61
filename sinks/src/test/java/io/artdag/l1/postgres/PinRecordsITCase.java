package io.artdag.l1.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pin status per backend on the real PostgreSQL, in a schema of its own. */
class PinRecordsITCase {
    private static final String H1 = "a1".repeat(32);
    private static final String H2 = "b2".repeat(32);
    private ProvenanceStore store;
    private PinRecords pins;

    @BeforeEach
    void open() {
        String schema = "pins_test_" + UUID.randomUUID().toString().replace("-", "");
        store = new ProvenanceStore(ProvenanceStoreITCase.options().schema(schema).build());
        store.migrate();
        pins = new PinRecords(store);
    }

    @AfterEach
    void drop() throws Exception {
        try (Connection c = store.connect();
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + store.options().schema() + " CASCADE");
        }
    }

    @Test
    void aPinMovesForwardToPinnedAndNeverBack() {
        long svc = store.ensureStorageBackend("artdag-l1", "pinning-service", "{\"u\":1}", null);
        long kubo = store.ensureStorageBackend("artdag-l1", "kubo", "{}", null);
        pins.record(
                List.of(
                        new PinRecords.Pin(H1, svc, "bafyA", "queued", "req-1"),
                        new PinRecords.Pin(H2, svc, "bafyB", "queued", "req-2"),
                        new PinRecords.Pin(H1, kubo, "bafyA", "pinned", null)));
        assertThat(pins.pending(svc, 10))
                .extracting(PinRecords.Pin::contentHash)
                .containsExactlyInAnyOrder(H1, H2);
        assertThat(pins.pending(kubo, 10)).isEmpty();

        // Polled: one pinned (request id kept), one failed.
        pins.record(
                List.of(
                        new PinRecords.Pin(H1, svc, "bafyA", "pinned", null),
                        new PinRecords.Pin(H2, svc, "bafyB", "failed", null)));
        assertThat(pins.pending(svc, 10)).isEmpty();
        // A replay of the first request does not downgrade a confirmed pin.
        pins.record(List.of(new PinRecords.Pin(H1, svc, "bafyA", "queued", "req-1")));
        assertThat(pins.pending(svc, 10)).isEmpty();

        assertThat(pins.counts())
                .extracting(c -> c.providerType() + " " + c.status() + " " + c.n())
                .containsExactlyInAnyOrder(
                        "pinning-service pinned 1", "pinning-service failed 1", "kubo pinned 1");
        assertThat(ProvenanceTestOps.count(store, "storage_pins")).isEqualTo(3);
    }
}
