package io.artdag.l1.sink.l1;

import io.artdag.l1.kubo.KuboClientOptions;
import io.artdag.l1.postgres.ProvenanceStoreOptions;
import io.artdag.l1.redis.RedisIndexOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Where l1 mode publishes and how: each service client's validated options (each read from its own
 * {@code ConfigOption}s by its {@code fromConfig}), how long an outage of any of them is waited out
 * before the task fails, the run that owns the claims, and the bound of one shared-index decision.
 * {@link #toString()} leaves passwords out.
 *
 * @param kubo the Kubo client's options ({@link L1Options#KUBO_API})
 * @param redis the Redis index's options ({@link L1Options#REDIS_URL}, {@link
 *     L1Options#REDIS_KEY_PREFIX})
 * @param postgres the provenance store's options ({@code l1.postgres.*})
 * @param outageLimit {@link L1Options#OUTAGE_LIMIT}
 * @param owner the owner of this run's claims, {@link L1Options#RUN_ID}
 * @param claimWait {@link L1Options#CLAIM_WAIT}
 */
@PublicEvolving
public record L1Settings(
        KuboClientOptions kubo,
        RedisIndexOptions redis,
        ProvenanceStoreOptions postgres,
        Duration outageLimit,
        String owner,
        Duration claimWait)
        implements Serializable {

    public L1Settings {
        Objects.requireNonNull(kubo, "kubo");
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(postgres, "postgres");
    }

    /**
     * Reads the {@link L1Options} set in {@code config}; the password from {@code
     * l1.postgres.password-file}, {@code l1.postgres.password} or the environment (see {@code
     * PostgresPassword}).
     *
     * @throws IllegalArgumentException naming the option that is missing or wrong
     */
    public static L1Settings fromConfig(ReadableConfig config) {
        return fromConfig(config, System.getenv());
    }

    /** {@link #fromConfig(ReadableConfig)} with the environment {@code env}. */
    static L1Settings fromConfig(ReadableConfig config, Map<String, String> env) {
        return new L1Settings(
                KuboClientOptions.fromConfig(config),
                RedisIndexOptions.fromConfig(config),
                ProvenanceStoreOptions.fromConfig(config, env),
                config.get(L1Options.OUTAGE_LIMIT),
                config.get(L1Options.RUN_ID),
                config.get(L1Options.CLAIM_WAIT));
    }

    /**
     * Checks what the clients' options do not: a run id is set and the outage limit is not
     * negative. Messages name the option.
     */
    public L1Settings validate() {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("l1 mode needs " + L1Options.RUN_ID.key());
        }
        if (outageLimit == null || outageLimit.isNegative()) {
            throw new IllegalArgumentException(L1Options.OUTAGE_LIMIT.key() + " must be >= 0");
        }
        return this;
    }

    /** The same services for a reader: it takes no claims and waits out no outage. */
    public L1Settings forReader(String readerId) {
        return new L1Settings(kubo, redis, postgres, Duration.ZERO, readerId, Duration.ZERO);
    }

    @Override
    public String toString() {
        return "L1Settings[kubo="
                + kubo.apiUrl()
                + ", redis="
                + redis
                + ", postgres="
                + postgres.jdbcUrl()
                + ", schema="
                + postgres.schema()
                + ", outageLimit="
                + outageLimit
                + "]";
    }
}
