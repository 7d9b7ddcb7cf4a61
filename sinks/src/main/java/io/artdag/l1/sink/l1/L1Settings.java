package io.artdag.l1.sink.l1;

import io.artdag.l1.kubo.KuboClientOptions;
import io.artdag.l1.postgres.PostgresUrl;
import io.artdag.l1.postgres.ProvenanceStoreOptions;
import io.artdag.l1.redis.RedisIndexOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Where l1 mode publishes: the Kubo RPC API, Redis and PostgreSQL, and how long an outage of any of
 * them is waited out before the task fails. Validated by {@link #validate()}. {@link #toString()}
 * leaves the password out.
 */
@PublicEvolving
public record L1Settings(
        String kuboApi,
        String redisUrl,
        String redisKeyPrefix,
        String postgresUrl,
        String postgresUser,
        String postgresPassword,
        String postgresSchema,
        Duration outageLimit,
        String owner,
        Duration claimWait)
        implements Serializable {

    /**
     * artdag's {@code postgresql://user:pass@host/db} is split here: the JDBC URL every client uses
     * carries no credentials (and {@link #toString()} none), and credentials in the URL win over
     * {@code postgresUser} / {@code postgresPassword}. A URL that does not parse is kept as is for
     * {@link #validate()} to report.
     */
    public L1Settings {
        if (postgresUrl != null && !postgresUrl.isBlank()) {
            try {
                PostgresUrl parsed = PostgresUrl.parse(postgresUrl);
                postgresUrl = parsed.jdbcUrl();
                if (parsed.user() != null) {
                    postgresUser = parsed.user();
                }
                if (parsed.password() != null) {
                    postgresPassword = parsed.password();
                }
            } catch (IllegalArgumentException e) {
                // reported by validate(), naming the option
            }
        }
    }

    /**
     * Reads the {@link L1Options} set in {@code config}; the password from {@code
     * l1.postgres.password-file}, {@code l1.postgres.password} or the environment ({@link
     * PostgresPassword}).
     */
    public static L1Settings fromConfig(ReadableConfig config) {
        return fromConfig(config, System.getenv());
    }

    /** {@link #fromConfig(ReadableConfig)} with the environment {@code env}. */
    static L1Settings fromConfig(ReadableConfig config, Map<String, String> env) {
        return new L1Settings(
                config.get(L1Options.KUBO_API),
                config.get(L1Options.REDIS_URL),
                config.get(L1Options.REDIS_KEY_PREFIX),
                config.get(L1Options.POSTGRES_URL),
                config.get(L1Options.POSTGRES_USER),
                PostgresPassword.resolve(
                        config.getOptional(L1Options.POSTGRES_PASSWORD).orElse(null),
                        config.getOptional(L1Options.POSTGRES_PASSWORD_FILE).orElse(null),
                        L1Options.POSTGRES_PASSWORD_FILE.key(),
                        env),
                config.get(L1Options.POSTGRES_SCHEMA),
                config.get(L1Options.OUTAGE_LIMIT),
                config.get(L1Options.RUN_ID),
                config.get(L1Options.CLAIM_WAIT));
    }

    /** Checks every setting by building the clients' options; messages name the option. */
    public L1Settings validate() {
        kubo();
        redis();
        postgres();
        require(owner, L1Options.RUN_ID.key());
        if (outageLimit == null || outageLimit.isNegative()) {
            throw new IllegalArgumentException(L1Options.OUTAGE_LIMIT.key() + " must be >= 0");
        }
        return this;
    }

    /** Options of the Kubo client. */
    public KuboClientOptions kubo() {
        require(kuboApi, L1Options.KUBO_API.key());
        return KuboClientOptions.builder().apiUrl(kuboApi).build();
    }

    /** Options of the Redis index. */
    public RedisIndexOptions redis() {
        require(redisUrl, L1Options.REDIS_URL.key());
        return RedisIndexOptions.builder().redisUrl(redisUrl).keyPrefix(redisKeyPrefix).build();
    }

    /** Options of the provenance store. */
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
