package io.artdag.l1.read;

import io.artdag.l1.postgres.ProvenanceRows.CacheItem;
import io.artdag.l1.postgres.ProvenanceStore;
import io.artdag.l1.postgres.ProvenanceStoreOptions;
import io.artdag.l1.read.L1ContentReader.Tier;
import java.util.Optional;

/**
 * PostgreSQL {@code cache_items}: content hash to root CID, and (for a CID argument) root CID to
 * content hash through the indexed {@code ipfs_cid}. Connects on first use.
 */
final class PostgresCidSource implements CidSource {
    private final ProvenanceStoreOptions options;
    private ProvenanceStore postgres;

    PostgresCidSource(ProvenanceStoreOptions options) {
        this.options = options;
    }

    @Override
    public Tier tier() {
        return Tier.POSTGRES;
    }

    @Override
    public Optional<String> cidOf(String contentHash, LookupTrail trail) {
        try {
            Optional<CacheItem> row = store().cacheItem(contentHash);
            if (row.isEmpty()) {
                trail.miss("PostgreSQL cache_items (schema " + options.schema() + "): no row");
            }
            return row.map(CacheItem::ipfsCid);
        } catch (RuntimeException e) {
            trail.problem("PostgreSQL " + options.jdbcUrl() + ": " + LookupTrail.message(e));
            return Optional.empty();
        }
    }

    /**
     * The content hash {@code cache_items} records for a root CID; empty when none, or when
     * PostgreSQL cannot answer (a note says so: the blocks are then verified against the CID only).
     */
    Optional<String> contentHashOf(String cid, LookupTrail trail) {
        try {
            return store().cacheItemByCid(cid).map(CacheItem::contentHash);
        } catch (RuntimeException e) {
            trail.note(
                    "PostgreSQL "
                            + options.jdbcUrl()
                            + ": "
                            + LookupTrail.message(e)
                            + " (content hash unknown; blocks verified against the CID)");
            return Optional.empty();
        }
    }

    private ProvenanceStore store() {
        if (postgres == null) {
            postgres = new ProvenanceStore(options);
        }
        return postgres;
    }
}
