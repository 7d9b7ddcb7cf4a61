package io.artdag.l1.cli;

import io.artdag.l1.cluster.PinOptions;
import io.artdag.l1.job.IngestOptions;
import io.artdag.l1.postgres.PostgresPassword;
import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.l1.PinBackends;
import io.artdag.l1.sink.segment.SegmentSinkOptions;
import io.artdag.l1.source.KafkaInputOptions;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one chain a flag's value comes from where the command line does not set it: the environment
 * variables the flag documents (when set), then the configuration file ({@link
 * io.artdag.l1.job.ConfigFile}), then the option's own default ({@link L1Options} and the other
 * {@code XxxOptions}; the flags of the l1-mode services have no default of their own), then the
 * flag's annotation default. Options without a flag here (lists such as {@code
 * l1.kafka.allowed-roots}, and those only the file sets) reach the job through the file's {@link
 * Configuration} itself.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    /** Where one flag's default comes from. */
    private interface Source {
        String value(Configuration file, Map<String, String> env);
    }

    private static final Map<String, Source> FLAGS =
            Map.ofEntries(
                    flag("--store", SegmentSinkOptions.STORE_PATH),
                    flag("--profile", SegmentSinkOptions.PROFILE),
                    flag("--seal-bytes", SegmentSinkOptions.SEAL_BYTES),
                    flag("--seal-age", SegmentSinkOptions.SEAL_AGE),
                    flag("--checkpoint-interval", IngestOptions.CHECKPOINT_INTERVAL),
                    flag("--update-cache-indexes", IngestOptions.UPDATE_CACHE_INDEXES),
                    flag("--mode", IngestOptions.MODE),
                    service("--kubo-api", L1Options.KUBO_API, "L1_KUBO_API", "IPFS_API"),
                    service("--redis-url", L1Options.REDIS_URL, "L1_REDIS_URL"),
                    service("--redis-key-prefix", L1Options.REDIS_KEY_PREFIX),
                    service("--pg-url", L1Options.POSTGRES_URL, "L1_PG_URL"),
                    service("--pg-user", L1Options.POSTGRES_USER, "L1_PG_USER"),
                    service("--pg-schema", L1Options.POSTGRES_SCHEMA),
                    // $L1_PG_PASSWORD holds the password itself: when set, no file is named.
                    Map.entry(
                            "--pg-password-file",
                            (file, env) ->
                                    isSet(env.get(PostgresPassword.ENV))
                                            ? null
                                            : fileValue(file, L1Options.POSTGRES_PASSWORD_FILE)),
                    service(
                            "--kafka-bootstrap",
                            KafkaInputOptions.BOOTSTRAP_SERVERS,
                            "L1_KAFKA_BOOTSTRAP"),
                    service("--kafka-group", KafkaInputOptions.GROUP_ID),
                    flag("--pin-cluster", PinOptions.CLUSTER_API),
                    Map.entry(
                            "--pin-replication",
                            (file, env) ->
                                    file.contains(PinOptions.CLUSTER_REPLICATION_MIN)
                                                    || file.contains(
                                                            PinOptions.CLUSTER_REPLICATION_MAX)
                                            ? file.get(PinOptions.CLUSTER_REPLICATION_MIN)
                                                    + ":"
                                                    + file.get(PinOptions.CLUSTER_REPLICATION_MAX)
                                            : null),
                    flag("--pin-service", PinOptions.SERVICE_ENDPOINT),
                    // $L1_PINSVC_TOKEN holds the token itself: when set, no file is named.
                    Map.entry(
                            "--pin-service-token-file",
                            (file, env) ->
                                    isSet(env.get(PinOptions.SERVICE_TOKEN_ENV))
                                            ? null
                                            : fileValue(file, PinOptions.SERVICE_TOKEN_FILE)),
                    Map.entry(
                            "--pin-required",
                            (file, env) ->
                                    file.getOptional(PinBackends.REQUIRED)
                                            .map(l -> String.join(",", l))
                                            .orElse(null)));

    private final Configuration file;
    private final Map<String, String> env;

    ConfigDefaults(Configuration file, Map<String, String> env) {
        this.file = file;
        this.env = env;
    }

    /** The flags this chain gives defaults to, by name. */
    static java.util.Set<String> flags() {
        return FLAGS.keySet();
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        Source source = FLAGS.get(option.longestName());
        return source == null ? null : source.value(file, env);
    }

    /** A flag whose default is the file's value, else the flag's own annotation default. */
    private static Map.Entry<String, Source> flag(String name, ConfigOption<?> option) {
        return Map.entry(name, (file, env) -> fileValue(file, option));
    }

    /**
     * An l1-mode service flag: the first of {@code vars} that is set, else the file's value, else
     * the option's default (if it has one).
     */
    private static Map.Entry<String, Source> service(
            String name, ConfigOption<?> option, String... vars) {
        return Map.entry(
                name,
                (file, env) -> {
                    for (String var : vars) {
                        if (isSet(env.get(var))) {
                            return env.get(var);
                        }
                    }
                    String v = fileValue(file, option);
                    if (v == null && option.hasDefaultValue()) {
                        Configuration defaults = new Configuration();
                        setDefault(defaults, option);
                        v = defaults.toMap().get(option.key());
                    }
                    return v;
                });
    }

    private static <T> void setDefault(Configuration c, ConfigOption<T> option) {
        c.set(option, option.defaultValue());
    }

    private static String fileValue(Configuration file, ConfigOption<?> option) {
        return file.contains(option) ? file.toMap().get(option.key()) : null;
    }

    private static boolean isSet(String v) {
        return v != null && !v.isEmpty();
    }
}
