package io.artdag.l1.sink.l1;

import io.artdag.l1.kubo.KuboClientOptions;
import io.artdag.l1.postgres.ProvenanceStoreOptions;
import io.artdag.l1.redis.RedisIndexOptions;
import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Configuration of l1 mode: the services committed segments are published to. */
@PublicEvolving
public final class L1Options {
    private L1Options() {}

    // Each client's options are defined beside the client that reads them; listed here so that
    // l1 mode's configuration is one class to read.

    /** See {@link KuboClientOptions#API}. */
    public static final ConfigOption<String> KUBO_API = KuboClientOptions.API;

    /** See {@link RedisIndexOptions#URL}. */
    public static final ConfigOption<String> REDIS_URL = RedisIndexOptions.URL;

    /** See {@link RedisIndexOptions#KEY_PREFIX}. */
    public static final ConfigOption<String> REDIS_KEY_PREFIX = RedisIndexOptions.KEY_PREFIX;

    /** See {@link ProvenanceStoreOptions#URL}. */
    public static final ConfigOption<String> POSTGRES_URL = ProvenanceStoreOptions.URL;

    /** See {@link ProvenanceStoreOptions#USER}. */
    public static final ConfigOption<String> POSTGRES_USER = ProvenanceStoreOptions.USER;

    /** See {@link ProvenanceStoreOptions#PASSWORD}. */
    public static final ConfigOption<String> POSTGRES_PASSWORD = ProvenanceStoreOptions.PASSWORD;

    /** See {@link ProvenanceStoreOptions#PASSWORD_FILE}. */
    public static final ConfigOption<String> POSTGRES_PASSWORD_FILE =
            ProvenanceStoreOptions.PASSWORD_FILE;

    /** See {@link ProvenanceStoreOptions#SCHEMA}. */
    public static final ConfigOption<String> POSTGRES_SCHEMA = ProvenanceStoreOptions.SCHEMA;

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
