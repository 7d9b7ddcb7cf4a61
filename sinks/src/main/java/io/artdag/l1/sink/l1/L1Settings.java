package io.artdag.l1.sink.l1;

import io.artdag.l1.kubo.KuboClientOptions;
import io.artdag.l1.postgres.ProvenanceStoreOptions;
import io.artdag.l1.redis.RedisIndexOptions;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Where l1 mode publishes: the Kubo RPC API, Redis and PostgreSQL, and how long an outage of any of
 * them is waited out before the task fails. Validated by {@link #validate()}.
 */
public record L1Settings(
        String kuboApi,
        String redisUrl,
        String redisKeyPrefix,
        String postgresUrl,
        String postgresUser,
        String postgresPassword,
        String postgresSchema,
        Duration outageLimit)
        implements Serializable {

    /** Reads the {@link L1Options} set in {@code config}. */
    public static L1Settings fromConfig(ReadableConfig config) {
        return new L1Settings(
                config.get(L1Options.KUBO_API),
                config.get(L1Options.REDIS_URL),
                config.get(L1Options.REDIS_KEY_PREFIX),
                config.get(L1Options.POSTGRES_URL),
                config.get(L1Options.POSTGRES_USER),
                config.get(L1Options.POSTGRES_PASSWORD),
                config.get(L1Options.POSTGRES_SCHEMA),
                config.get(L1Options.OUTAGE_LIMIT));
    }

    /** Checks every setting by building the clients' options; messages name the option. */
    public L1Settings validate() {
        kubo();
        redis();
        postgres();
        if (outageLimit == null || outageLimit.isNegative()) {
            throw new IllegalArgumentException(L1Options.OUTAGE_LIMIT.key() + " must be >= 0");
        }
        return this;
    }

    /** The client options these settings describe; throws naming a missing option. */
    public KuboClientOptions kubo() {
        require(kuboApi, L1Options.KUBO_API.key());
        return KuboClientOptions.builder().apiUrl(kuboApi).build();
    }

    /** The client options these settings describe; throws naming a missing option. */
    public RedisIndexOptions redis() {
        require(redisUrl, L1Options.REDIS_URL.key());
        return RedisIndexOptions.builder().redisUrl(redisUrl).keyPrefix(redisKeyPrefix).build();
    }

    /** The client options these settings describe; throws naming a missing option. */
    public ProvenanceStoreOptions postgres() {
        require(postgresUrl, L1Options.POSTGRES_URL.key());
        return ProvenanceStoreOptions.builder()
                .jdbcUrl(postgresUrl)
                .user(postgresUser)
                .password(postgresPassword)
                .schema(postgresSchema)
                .build();
    }

    private static void require(String v, String key) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("l1 mode needs " + key);
        }
    }

    @Override
    public String toString() {
        return "L1Settings[kubo="
                + kuboApi
                + ", redis="
                + redisUrl
                + ", postgres="
                + postgresUrl
                + ", schema="
                + postgresSchema
                + ", outageLimit="
                + outageLimit
                + "]";
    }
}
