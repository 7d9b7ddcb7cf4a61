package io.artdag.l1.postgres;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of a {@link ProvenanceStore}. Build with {@link #builder()}; {@link Builder#build()}
 * validates and names the offending setting.
 *
 * <ul>
 *   <li>{@code jdbcUrl}: {@code jdbc:postgresql://host:port/db} (required).
 *   <li>{@code user}, {@code password}: credentials (user required; password may be empty).
 *   <li>{@code schema}: where the tables live and Flyway keeps its history (default {@code
 *       public}); created when missing. Tests use a fresh schema each.
 *   <li>{@code connectTimeout}: TCP connect and login (default 10 s, whole seconds).
 *   <li>{@code statementTimeout}: server-side limit per statement (default 60 s).
 * </ul>
 */
@Internal
public final class ProvenanceStoreOptions implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public static final String DEFAULT_SCHEMA = "public";

    // The options l1 mode reads the store's settings from (also listed in L1Options).

    public static final ConfigOption<String> URL =
            ConfigOptions.key("l1.postgres.url")
                    .stringType()
                    .defaultValue("jdbc:postgresql://127.0.0.1:5432/artdag")
                    .withDescription(
                            "PostgreSQL database for provenance: jdbc:postgresql://HOST:PORT/DB"
                                    + " or artdag's postgresql://USER:PASS@HOST:PORT/DB (credentials"
                                    + " in the URL win over l1.postgres.user/password, never"
                                    + " logged).");

    public static final ConfigOption<String> USER =
            ConfigOptions.key("l1.postgres.user")
                    .stringType()
                    .defaultValue("artdag")
                    .withDescription("PostgreSQL user.");

    public static final ConfigOption<String> PASSWORD =
            ConfigOptions.key("l1.postgres.password")
                    .stringType()
                    .defaultValue(PostgresPassword.DEFAULT)
                    .withDescription(
                            "PostgreSQL password. Deprecated as a command-line argument (visible"
                                    + " in the process list and Flink's logs): use "
                                    + "l1.postgres.password-file or the L1_PG_PASSWORD environment"
                                    + " variable. Default, when neither is set: artdag.");

    public static final ConfigOption<String> PASSWORD_FILE =
            ConfigOptions.key("l1.postgres.password-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the PostgreSQL password (one trailing newline is"
                                    + " stripped), e.g. a mounted Kubernetes Secret. Read where the"
                                    + " job is submitted, like L1_PG_PASSWORD.");

    public static final ConfigOption<String> SCHEMA =
            ConfigOptions.key("l1.postgres.schema")
                    .stringType()
                    .defaultValue(DEFAULT_SCHEMA)
                    .withDescription("PostgreSQL schema; its migrations are applied at start.");

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern SCHEMA_PATTERN = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String schema;
    private final Duration connectTimeout;
    private final Duration statementTimeout;

    private ProvenanceStoreOptions(Builder b) {
        this.jdbcUrl = b.jdbcUrl.strip();
        this.user = b.user;
        this.password = b.password == null ? "" : b.password;
        this.schema = b.schema;
        this.connectTimeout = b.connectTimeout;
        this.statementTimeout = b.statementTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * From {@link #URL}, {@link #USER}, {@link #SCHEMA} and the password ({@link #PASSWORD_FILE},
     * {@link #PASSWORD} or the environment, see {@link PostgresPassword}); credentials in an
     * artdag-style URL win.
     *
     * @throws IllegalArgumentException naming the option that is missing or wrong
     */
    public static ProvenanceStoreOptions fromConfig(
            ReadableConfig config, Map<String, String> env) {
        String url = config.get(URL);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("l1 mode needs " + URL.key());
        }
        String password =
                PostgresPassword.resolve(
                        config.getOptional(PASSWORD).orElse(null),
                        config.getOptional(PASSWORD_FILE).orElse(null),
                        PASSWORD_FILE.key(),
                        env);
        return builder()
                .jdbcUrl(url)
                .user(config.get(USER))
                .password(password)
                .schema(config.get(SCHEMA))
                .build();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String schema() {
        return schema;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    @Override
    public String toString() {
        return "ProvenanceStoreOptions{jdbcUrl="
                + jdbcUrl
                + ", user="
                + user
                + ", password=***, schema="
                + schema
                + ", connectTimeout="
                + connectTimeout
                + ", statementTimeout="
                + statementTimeout
                + '}';
    }

    /** Builder; all setters return {@code this}. */
    public static final class Builder {
        private String jdbcUrl;
        private String user;
        private String password;
        private String schema = DEFAULT_SCHEMA;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;

        private Builder() {}

        public Builder jdbcUrl(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** An unquoted PostgreSQL identifier: lowercase letters, digits, underscores. */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder statementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
            return this;
        }

        public ProvenanceStoreOptions build() {
            if (jdbcUrl == null || jdbcUrl.isBlank()) {
                throw new IllegalArgumentException(
                        "PostgreSQL jdbcUrl is required (e.g."
                                + " jdbc:postgresql://127.0.0.1:5432/artdag; locally"
                                + " deploy/local/services.sh exports it as L1_PG_URL)");
            }
            // artdag writes postgresql://user:pass@host/db; credentials in the URL win
            PostgresUrl parsed = PostgresUrl.parse(jdbcUrl);
            jdbcUrl = parsed.jdbcUrl();
            if (parsed.user() != null) {
                user = parsed.user();
            }
            if (parsed.password() != null) {
                password = parsed.password();
            }
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException(
                        "PostgreSQL user is required (L1_PG_USER with deploy/local/services.sh)");
            }
            if (schema == null || !SCHEMA_PATTERN.matcher(schema).matches()) {
                throw new IllegalArgumentException(
                        "PostgreSQL schema must be a lowercase identifier ([a-z_][a-z0-9_]*, at"
                                + " most 63 characters), got '"
                                + schema
                                + "'");
            }
            requireWholeSeconds("connectTimeout", connectTimeout);
            requireWholeSeconds("statementTimeout", statementTimeout);
            return new ProvenanceStoreOptions(this);
        }

        private static void requireWholeSeconds(String name, Duration d) {
            Objects.requireNonNull(d, () -> "PostgreSQL " + name + " must not be null");
            if (d.getSeconds() < 1 || d.getNano() != 0) {
                throw new IllegalArgumentException(
                        "PostgreSQL " + name + " must be a whole number of seconds >= 1, got " + d);
            }
        }
    }
}
