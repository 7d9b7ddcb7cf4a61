package io.artdag.l1.sink.l1;

import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.postgres.ProvenanceStore;
import io.artdag.l1.redis.RedisIndex;

/**
 * The service clients one publisher's steps share, each created on first use (so a service that is
 * down at start is waited out by the step that needs it, not by the constructor).
 */
final class L1Clients implements AutoCloseable {
    private final L1Settings settings;
    private KuboClient kubo;
    private RedisIndex redis;
    private ProvenanceStore provenance;

    L1Clients(L1Settings settings) {
        this.settings = settings;
    }

    L1Settings settings() {
        return settings;
    }

    KuboClient kubo() {
        if (kubo == null) {
            kubo = new KuboClient(settings.kubo());
        }
        return kubo;
    }

    RedisIndex redis() {
        if (redis == null) {
            redis = new RedisIndex(settings.redis());
        }
        return redis;
    }

    /** PostgreSQL, its schema migrated on first use. */
    ProvenanceStore provenance() {
        if (provenance == null) {
            ProvenanceStore p = new ProvenanceStore(settings.postgres());
            p.migrate();
            provenance = p;
        }
        return provenance;
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
