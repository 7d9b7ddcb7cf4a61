package io.artdag.l1.cli;

import io.artdag.l1.postgres.PostgresPassword;
import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.l1.L1Settings;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/**
 * Where the l1-mode services are: the options {@code ingest}, {@code get} and {@code serve} share.
 */
final class ServiceOptions {
    @Option(
            names = "--kubo-api",
            paramLabel = "URL",
            description =
                    "l1 mode: Kubo RPC API, an http(s) URL or a multiaddr such as"
                            + " /ip4/127.0.0.1/tcp/5001 (default: $L1_KUBO_API, else artdag's"
                            + " $IPFS_API, else l1.kubo.api of --config, else"
                            + " http://127.0.0.1:5001).")
    String kuboApi;

    @Option(
            names = "--redis-url",
            paramLabel = "URL",
            description =
                    "l1 mode: Redis, database from the path (default: $L1_REDIS_URL, else l1.redis.url"
                            + " of --config, else redis://127.0.0.1:6379/5, artdag's database 5).")
    String redisUrl;

    @Option(
            names = "--redis-key-prefix",
            paramLabel = "PREFIX",
            description =
                    "l1 mode: prefix of every Redis key (default: l1.redis.key-prefix of --config, else"
                            + " artdag:).")
    String redisKeyPrefix;

    @Option(
            names = "--pg-url",
            paramLabel = "JDBC_URL",
            description =
                    "l1 mode: PostgreSQL, jdbc:postgresql:// or postgresql:// (default: $L1_PG_URL, else"
                            + " l1.postgres.url of --config, else"
                            + " jdbc:postgresql://127.0.0.1:5432/artdag).")
    String pgUrl;

    @Option(
            names = "--pg-user",
            paramLabel = "USER",
            description =
                    "l1 mode: PostgreSQL user (default: $L1_PG_USER, else l1.postgres.user of --config,"
                            + " else artdag).")
    String pgUser;

    @Option(
            names = "--pg-password-file",
            paramLabel = "FILE",
            description =
                    "l1 mode: file holding the PostgreSQL password, one trailing newline"
                            + " stripped (default: $L1_PG_PASSWORD, else artdag).")
    String pgPasswordFile;

    /** Deprecated: an argument is visible to every user of the machine (ps). */
    @Option(
            names = "--pg-password",
            paramLabel = "PASSWORD",
            description =
                    "Deprecated (visible in the process list): use --pg-password-file or"
                            + " $L1_PG_PASSWORD.")
    String pgPassword;

    @Option(
            names = "--pg-schema",
            paramLabel = "SCHEMA",
            description =
                    "l1 mode: PostgreSQL schema, migrated at start (default: ${DEFAULT-VALUE}).")
    String pgSchema;

    /**
     * The PostgreSQL password: {@code --pg-password-file}, else the deprecated {@code
     * --pg-password} (with a warning on standard error), else {@code $L1_PG_PASSWORD}, else {@code
     * artdag}.
     *
     * @throws IllegalArgumentException naming the file, if it cannot be read
     */
    String password(Map<String, String> env) {
        if (pgPassword != null && pgPasswordFile == null) {
            System.err.println(
                    "warning: --pg-password is deprecated (other users see it in the process"
                            + " list): use --pg-password-file FILE or $"
                            + PostgresPassword.ENV);
        }
        return PostgresPassword.resolve(pgPassword, pgPasswordFile, "--pg-password-file", env);
    }

    /** Sets the corresponding {@link L1Options} in {@code options}. */
    void applyTo(Configuration options) {
        String pgPassword = password(System.getenv());
        options.set(L1Options.KUBO_API, kuboApi);
        options.set(L1Options.REDIS_URL, redisUrl);
        options.set(L1Options.REDIS_KEY_PREFIX, redisKeyPrefix);
        options.set(L1Options.POSTGRES_URL, pgUrl);
        options.set(L1Options.POSTGRES_USER, pgUser);
        options.set(L1Options.POSTGRES_PASSWORD, pgPassword);
        // Resolved here (flag, environment, then a configuration file's password-file): the
        // file's option must not make the job see two passwords.
        options.removeConfig(L1Options.POSTGRES_PASSWORD_FILE);
        options.set(L1Options.POSTGRES_SCHEMA, pgSchema);
    }

    /** Settings for a reader: it takes no claims and waits out no outage. */
    L1Settings readerSettings() {
        Configuration options = new Configuration();
        applyTo(options);
        return L1Settings.fromConfig(options).forReader("l1-get").validate();
    }
}
