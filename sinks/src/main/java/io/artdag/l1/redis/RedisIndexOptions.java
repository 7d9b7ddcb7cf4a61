package io.artdag.l1.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of a {@link RedisIndex}. Build with {@link #builder()}; {@link Builder#build()}
 * validates and names the offending setting.
 *
 * <ul>
 *   <li>{@code redisUrl}: {@code redis://[user:password@]host[:port][/db]} (required; port 6379 and
 *       database 0 by default; {@code rediss://} for TLS).
 *   <li>{@code keyPrefix}: prepended to every key (default {@code artdag:}, artdag's own keys);
 *       tests use a distinct prefix to isolate themselves.
 *   <li>{@code claimTtl}: TTL of a claim in status claimed or running (default 300 s, artdag's).
 *   <li>{@code resultTtl}: TTL of a claim in a final status (default 3600 s, artdag's).
 *   <li>{@code runStatusTtl}: TTL of {@code run:{run_id}}; empty (the default) means none.
 *   <li>{@code connectTimeout}, {@code socketTimeout}: default 2 s and 5 s.
 *   <li>{@code maxConnections}: connection pool size (default 8).
 * </ul>
 */
@Internal
public final class RedisIndexOptions implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The option l1 mode reads the Redis address from (also listed in {@code L1Options}). */
    public static final ConfigOption<String> URL =
            ConfigOptions.key("l1.redis.url")
                    .stringType()
                    .defaultValue("redis://127.0.0.1:6379/5")
                    .withDescription(
                            "Redis holding artdag's indexes and claims; the path is the database"
                                    + " number (artdag's is 5).");

    /** The option l1 mode reads the key prefix from (also listed in {@code L1Options}). */
    public static final ConfigOption<String> KEY_PREFIX =
            ConfigOptions.key("l1.redis.key-prefix")
                    .stringType()
                    .defaultValue("artdag:")
                    .withDescription("Prefix of every Redis key (artdag's is artdag:).");

    public static final String DEFAULT_KEY_PREFIX = "artdag:";
    public static final Duration DEFAULT_CLAIM_TTL = Duration.ofSeconds(300);
    public static final Duration DEFAULT_RESULT_TTL = Duration.ofSeconds(3600);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_CONNECTIONS = 8;

    private final URI redisUrl;
    private final String keyPrefix;
    private final Duration claimTtl;
    private final Duration resultTtl;
    private final Duration runStatusTtl;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final int maxConnections;

    private RedisIndexOptions(Builder b, URI url) {
        this.redisUrl = url;
        this.keyPrefix = b.keyPrefix;
        this.claimTtl = b.claimTtl;
        this.resultTtl = b.resultTtl;
        this.runStatusTtl = b.runStatusTtl;
        this.connectTimeout = b.connectTimeout;
        this.socketTimeout = b.socketTimeout;
        this.maxConnections = b.maxConnections;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * From {@link #URL} and {@link #KEY_PREFIX}, the other settings at their defaults.
     *
     * @throws IllegalArgumentException naming the option, when the URL is blank or malformed
     */
    public static RedisIndexOptions fromConfig(ReadableConfig config) {
        String url = config.get(URL);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("l1 mode needs " + URL.key());
        }
        return builder().redisUrl(url).keyPrefix(config.get(KEY_PREFIX)).build();
    }

    public URI redisUrl() {
        return redisUrl;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public Duration claimTtl() {
        return claimTtl;
    }

    public Duration resultTtl() {
        return resultTtl;
    }

    public Optional<Duration> runStatusTtl() {
        return Optional.ofNullable(runStatusTtl);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration socketTimeout() {
        return socketTimeout;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** The host part of {@link #redisUrl()}. */
    public String host() {
        return redisUrl.getHost();
    }

    /** The port of {@link #redisUrl()} (6379 when absent). */
    public int port() {
        return redisUrl.getPort() < 0 ? 6379 : redisUrl.getPort();
    }

    /** The database number from the URL path ({@code /5} is 5; 0 when absent). */
    public int database() {
        String p = redisUrl.getPath();
        return p == null || p.isEmpty() || p.equals("/") ? 0 : Integer.parseInt(p.substring(1));
    }

    public boolean tls() {
        return "rediss".equalsIgnoreCase(redisUrl.getScheme());
    }

    /** {@link #redisUrl()} with any credentials replaced by {@code ***}, for messages and logs. */
    public String safeUrl() {
        return redisUrl.getScheme()
                + "://"
                + (redisUrl.getUserInfo() == null ? "" : "***@")
                + host()
                + ":"
                + port()
                + "/"
                + database();
    }

    @Override
    public String toString() {
        return "RedisIndexOptions{redisUrl="
                + safeUrl()
                + ", keyPrefix="
                + keyPrefix
                + ", claimTtl="
                + claimTtl
                + ", resultTtl="
                + resultTtl
                + ", runStatusTtl="
                + (runStatusTtl == null ? "none" : runStatusTtl)
                + ", connectTimeout="
                + connectTimeout
                + ", socketTimeout="
                + socketTimeout
                + ", maxConnections="
                + maxConnections
                + '}';
    }

    /** Builder; all setters return {@code this}. */
    public static final class Builder {
        private String redisUrl;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration claimTtl = DEFAULT_CLAIM_TTL;
        private Duration resultTtl = DEFAULT_RESULT_TTL;
        private Duration runStatusTtl;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;

        private Builder() {}

        public Builder redisUrl(String redisUrl) {
            this.redisUrl = redisUrl;
            return this;
        }

        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        public Builder claimTtl(Duration claimTtl) {
            this.claimTtl = claimTtl;
            return this;
        }

        public Builder resultTtl(Duration resultTtl) {
            this.resultTtl = resultTtl;
            return this;
        }

        /** {@code null} means run status keys never expire. */
        public Builder runStatusTtl(Duration runStatusTtl) {
            this.runStatusTtl = runStatusTtl;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public RedisIndexOptions build() {
            if (redisUrl == null || redisUrl.isBlank()) {
                throw new IllegalArgumentException(
                        "Redis redisUrl is required (e.g. redis://127.0.0.1:6379; locally"
                                + " deploy/local/services.sh exports it as L1_REDIS_URL)");
            }
            URI uri;
            try {
                uri = URI.create(redisUrl.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Redis redisUrl is not a valid URI: '" + redisUrl + "': " + e.getMessage(),
                        e);
            }
            String scheme = uri.getScheme();
            if (scheme == null
                    || !(scheme.equalsIgnoreCase("redis") || scheme.equalsIgnoreCase("rediss"))) {
                throw new IllegalArgumentException(
                        "Redis redisUrl must be a redis:// or rediss:// URL, got '"
                                + redisUrl
                                + "'");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new IllegalArgumentException(
                        "Redis redisUrl has no host: '" + redisUrl + "'");
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            if (!path.isEmpty() && !path.equals("/") && !path.matches("/\\d{1,5}")) {
                throw new IllegalArgumentException(
                        "Redis redisUrl path must be a database number like /5, got '"
                                + path
                                + "' in '"
                                + redisUrl
                                + "'");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException(
                        "Redis redisUrl must not have a query or fragment: '" + redisUrl + "'");
            }
            if (keyPrefix == null
                    || keyPrefix.isEmpty()
                    || keyPrefix.chars().anyMatch(c -> c <= 0x20 || c > 0x7e)) {
                throw new IllegalArgumentException(
                        "Redis keyPrefix must be non-empty printable ASCII without spaces, got '"
                                + keyPrefix
                                + "'");
            }
            requirePositiveWholeMillis("claimTtl", claimTtl);
            requirePositiveWholeMillis("resultTtl", resultTtl);
            if (runStatusTtl != null) {
                requirePositiveWholeMillis("runStatusTtl", runStatusTtl);
            }
            requirePositiveWholeMillis("connectTimeout", connectTimeout);
            requirePositiveWholeMillis("socketTimeout", socketTimeout);
            if (connectTimeout.toMillis() > Integer.MAX_VALUE
                    || socketTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Redis timeouts must be below 24 days");
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException(
                        "Redis maxConnections must be at least 1, got " + maxConnections);
            }
            return new RedisIndexOptions(this, uri);
        }

        private static void requirePositiveWholeMillis(String name, Duration d) {
            Objects.requireNonNull(d, () -> "Redis " + name + " must not be null");
            if (d.isZero() || d.isNegative() || d.toMillis() == 0) {
                throw new IllegalArgumentException(
                        "Redis " + name + " must be at least 1 ms, got " + d);
            }
        }
    }
}
