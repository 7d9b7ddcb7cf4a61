package io.artdag.l1.connector;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.kubo.KuboException;
import io.artdag.l1.postgres.ProvenanceStore;
import io.artdag.l1.postgres.ProvenanceStoreException;
import io.artdag.l1.postgres.ProvenanceUnavailableException;
import io.artdag.l1.redis.RedisIndex;
import io.artdag.l1.redis.RedisIndexOptions;
import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.l1.L1Publisher;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.sink.l1.PinBackends;

/**
 * l1 mode, where the job is built: each service answers (Redis {@code PING}, Kubo {@code pin/ls} of
 * the empty identity CID), and PostgreSQL's schema is migrated before anything writes to it — so a
 * wrong address fails the submission, naming its option, instead of the first checkpoint.
 */
final class L1ServiceChecks {
    private L1ServiceChecks() {}

    static void checkAndMigrate(L1Settings s, PinBackends pins) {
        RedisIndexOptions redis = s.redis();
        String redisAt = redis.host() + ":" + redis.port() + "/" + redis.database();
        try (RedisIndex index = new RedisIndex(redis)) {
            index.ping();
        } catch (RuntimeException e) {
            throw unreachable("Redis", redisAt, L1Options.REDIS_URL.key(), e);
        }
        try {
            new KuboClient(s.kubo()).isPinned(Cid.EMPTY_IDENTITY.toString());
        } catch (KuboException e) {
            if (e.isUnavailable()) {
                throw unreachable(
                        "Kubo", s.kubo().apiUrl().toString(), L1Options.KUBO_API.key(), e);
            }
            throw new IllegalStateException(
                    "l1 store: Kubo at "
                            + s.kubo().apiUrl().toString()
                            + " ("
                            + L1Options.KUBO_API.key()
                            + ") answered pin/ls with an error: "
                            + e.getMessage(),
                    e);
        }
        try {
            new ProvenanceStore(s.postgres()).migrate();
        } catch (ProvenanceUnavailableException e) {
            throw unreachable(
                    "PostgreSQL", s.postgres().jdbcUrl(), L1Options.POSTGRES_URL.key(), e);
        } catch (ProvenanceStoreException e) {
            throw new IllegalStateException(
                    "l1 store: PostgreSQL at "
                            + s.postgres().jdbcUrl()
                            + " ("
                            + L1Options.POSTGRES_URL.key()
                            + ", schema "
                            + s.postgres().schema()
                            + "): "
                            + e.getMessage(),
                    e);
        }
        try {
            // an IPFS Cluster and a pinning service, when configured: they answer and accept
            // their credentials (a wrong token is named here, not at the first commit)
            L1Publisher.preflight(pins);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("l1 store: " + e.getMessage(), e);
        }
    }

    private static IllegalStateException unreachable(
            String service, String at, String key, Exception e) {
        return new IllegalStateException(
                "l1 store: l1 mode cannot reach "
                        + service
                        + " at "
                        + at
                        + " ("
                        + key
                        + "): "
                        + e.getMessage(),
                e);
    }
}
