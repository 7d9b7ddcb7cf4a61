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
    private final PinBackends pins;
    private io.artdag.l1.cluster.IpfsClusterClient cluster;
    private io.artdag.l1.cluster.PinningServiceClient service;
    private final java.util.Map<String, Long> storageIds = new java.util.HashMap<>();

    L1Clients(L1Settings settings, PinBackends pins) {
        this.settings = settings;
        this.pins = pins;
    }

    PinBackends pins() {
        return pins;
    }

    io.artdag.l1.cluster.IpfsClusterClient cluster() {
        if (cluster == null) {
            cluster = new io.artdag.l1.cluster.IpfsClusterClient(pins.cluster());
        }
        return cluster;
    }

    io.artdag.l1.cluster.PinningServiceClient service() {
        if (service == null) {
            service = new io.artdag.l1.cluster.PinningServiceClient(pins.service());
        }
        return service;
    }

    /** The {@code storage_backends} row of a backend (created once), by provider and config. */
    long storageId(String providerType, String configJson) {
        String key = providerType + " " + configJson;
        Long id = storageIds.get(key);
        if (id == null) {
            id =
                    provenance()
                            .ensureStorageBackend(
                                    ProvenanceStep.ACTOR, providerType, configJson, null);
            storageIds.put(key, id);
        }
        return id;
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
