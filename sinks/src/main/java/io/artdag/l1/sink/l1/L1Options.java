package io.artdag.l1.sink.l1;

import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Configuration of l1 mode: the services committed segments are published to. */
@PublicEvolving
public final class L1Options {
    private L1Options() {}

    public static final ConfigOption<String> KUBO_API =
            ConfigOptions.key("l1.kubo.api")
                    .stringType()
                    .defaultValue("http://127.0.0.1:5001")
                    .withDescription(
                            "Kubo RPC API that segments are imported into (roots pinned): an"
                                    + " http(s) URL or a multiaddr as artdag's IPFS_API writes it"
                                    + " (/ip4/127.0.0.1/tcp/5001, /dns/HOST/tcp/PORT).");

    public static final ConfigOption<String> REDIS_URL =
            ConfigOptions.key("l1.redis.url")
                    .stringType()
                    .defaultValue("redis://127.0.0.1:6379/5")
                    .withDescription(
                            "Redis holding artdag's indexes and claims; the path is the database"
                                    + " number (artdag's is 5).");

    public static final ConfigOption<String> REDIS_KEY_PREFIX =
            ConfigOptions.key("l1.redis.key-prefix")
                    .stringType()
                    .defaultValue("artdag:")
                    .withDescription("Prefix of every Redis key (artdag's is artdag:).");

    public static final ConfigOption<String> POSTGRES_URL =
            ConfigOptions.key("l1.postgres.url")
                    .stringType()
                    .defaultValue("jdbc:postgresql://127.0.0.1:5432/artdag")
                    .withDescription(
                            "PostgreSQL database for provenance: jdbc:postgresql://HOST:PORT/DB"
                                    + " or artdag's postgresql://USER:PASS@HOST:PORT/DB (credentials"
                                    + " in the URL win over l1.postgres.user/password, never"
                                    + " logged).");

    public static final ConfigOption<String> POSTGRES_USER =
            ConfigOptions.key("l1.postgres.user")
                    .stringType()
                    .defaultValue("artdag")
                    .withDescription("PostgreSQL user.");

    public static final ConfigOption<String> POSTGRES_PASSWORD =
            ConfigOptions.key("l1.postgres.password")
                    .stringType()
                    .defaultValue("artdag")
                    .withDescription(
                            "PostgreSQL password. Deprecated as a command-line argument (visible"
                                    + " in the process list and Flink's logs): use "
                                    + "l1.postgres.password-file or the L1_PG_PASSWORD environment"
                                    + " variable. Default, when neither is set: artdag.");

    public static final ConfigOption<String> POSTGRES_PASSWORD_FILE =
            ConfigOptions.key("l1.postgres.password-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the PostgreSQL password (one trailing newline is"
                                    + " stripped), e.g. a mounted Kubernetes Secret. Read where the"
                                    + " job is submitted, like L1_PG_PASSWORD.");

    public static final ConfigOption<String> POSTGRES_SCHEMA =
            ConfigOptions.key("l1.postgres.schema")
                    .stringType()
                    .defaultValue("public")
                    .withDescription("PostgreSQL schema; its migrations are applied at start.");

    public static final ConfigOption<String> RUN_ID =
            ConfigOptions.key("l1.run-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Owner id of this run's claims (artdag:claim:{content_hash}). Keep it"
                                    + " when resuming a run so the run recognises its own claims;"
                                    + " l1 ingest keeps it in the store's run.json, the cluster job"
                                    + " generates one per submission when unset.");

    public static final ConfigOption<Duration> RUN_STATUS_TTL =
            ConfigOptions.key("l1.run.status-ttl")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription(
                            "How long artdag's run status {prefix}run:{run_id} is kept once the"
                                    + " run has ended (completed, failed, stopped); a running"
                                    + " run's status does not expire.");

    public static final ConfigOption<Duration> CLAIM_WAIT =
            ConfigOptions.key("l1.claim.wait")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Upper bound of one shared-index decision before Dedup; it is reached"
                                    + " only while Redis stays unreachable, and then fails the"
                                    + " task (the job restores from its last checkpoint).");

    public static final ConfigOption<Duration> OUTAGE_LIMIT =
            ConfigOptions.key("l1.publish.outage-limit")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "How long a commit waits out Kubo, Redis or PostgreSQL being"
                                    + " unreachable (retrying with backoff) before the task fails"
                                    + " and the job restores from its last checkpoint.");
}
