package io.artdag.l1.sink.l1;

import io.artdag.l1.postgres.ProvenanceRows;
import io.artdag.l1.store.ContentRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records each imported segment in PostgreSQL in one transaction: its {@code segments} row, a
 * {@code cache_items} row per content whose root it holds, and a {@code storage_pins} row per
 * content on this Kubo's {@code storage_backends} row. Idempotent.
 */
final class ProvenanceStep implements PublishStep {
    static final String PROVIDER = "kubo";
    static final String ACTOR = ProvenanceSinks.ACTOR;
    static final String PIN_TYPE = "recursive";

    private final L1Clients clients;
    private long storageId = -1;

    ProvenanceStep(L1Clients clients) {
        this.clients = clients;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public void publish(PublishContext ctx) {
        if (storageId < 0) {
            storageId =
                    clients.storageId(
                            PROVIDER, "{\"api\": \"" + clients.settings().kubo().apiUrl() + "\"}");
        }
        Instant now = Instant.now();
        for (ProvenanceRows.Segment s : ctx.imported()) {
            List<ProvenanceRows.CacheItem> items = new ArrayList<>();
            for (ContentRecord c : ctx.batch().contents()) {
                if (c.segment().equals(s.name())) {
                    items.add(new ProvenanceRows.CacheItem(c.contentHash(), c.rootCid(), now));
                }
            }
            clients.provenance().recordSegmentCommit(s, items, storageId, PIN_TYPE);
        }
    }
}
