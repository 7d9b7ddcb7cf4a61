package io.artdag.l1.cli;

import io.artdag.l1.cluster.PinOptions;
import io.artdag.l1.job.IngestOptions;
import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.l1.PinBackends;
import io.artdag.l1.sink.l1.PostgresPassword;
import io.artdag.l1.sink.segment.SegmentSinkOptions;
import io.artdag.l1.source.KafkaInputOptions;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives the flags their values from the configuration file ({@link io.artdag.l1.job.ConfigFile})
 * where the command line does not set them: a flag given wins, then the environment variable the
 * flag documents (when set), then the file, then the flag's own default. Options without a flag
 * here (lists such as {@code l1.kafka.allowed-roots}, and those only the file sets) reach the job
 * through the file's {@link Configuration} itself.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    /** A flag's option in the file and the environment variables that override the file. */
    private record Source(Function<Configuration, String> value, List<String> env) {}

    private static final Map<String, Source> FLAGS =
            Map.ofEntries(
                    flag("--store", SegmentSinkOptions.STORE_PATH),
                    flag("--profile", SegmentSinkOptions.PROFILE),
                    flag("--seal-bytes", SegmentSinkOptions.SEAL_BYTES),
                    flag("--seal-age", SegmentSinkOptions.SEAL_AGE),
                    flag("--checkpoint-interval", IngestOptions.CHECKPOINT_INTERVAL),
                    flag("--update-cache-indexes", IngestOptions.UPDATE_CACHE_INDEXES),
                    flag("--mode", IngestOptions.MODE),
                    flag("--kubo-api", L1Options.KUBO_API, "L1_KUBO_API", "IPFS_API"),
                    flag("--redis-url", L1Options.REDIS_URL, "L1_REDIS_URL"),
                    flag("--redis-key-prefix", L1Options.REDIS_KEY_PREFIX),
                    flag("--pg-url", L1Options.POSTGRES_URL, "L1_PG_URL"),
                    flag("--pg-user", L1Options.POSTGRES_USER, "L1_PG_USER"),
                    flag(
                            "--pg-password-file",
                            L1Options.POSTGRES_PASSWORD_FILE,
                            PostgresPassword.ENV),
                    flag("--pg-schema", L1Options.POSTGRES_SCHEMA),
                    flag(
                            "--kafka-bootstrap",
                            KafkaInputOptions.BOOTSTRAP_SERVERS,
                            "L1_KAFKA_BOOTSTRAP"),
                    flag("--kafka-group", KafkaInputOptions.GROUP_ID),
                    flag("--pin-cluster", PinOptions.CLUSTER_API),
                    Map.entry(
                            "--pin-replication",
                            new Source(
                                    c ->
                                            c.contains(PinOptions.CLUSTER_REPLICATION_MIN)
                                                            || c.contains(
                                                                    PinOptions
                                                                            .CLUSTER_REPLICATION_MAX)
                                                    ? c.get(PinOptions.CLUSTER_REPLICATION_MIN)
                                                            + ":"
                                                            + c.get(
                                                                    PinOptions
                                                                            .CLUSTER_REPLICATION_MAX)
                                                    : null,
                                    List.of())),
                    flag("--pin-service", PinOptions.SERVICE_ENDPOINT),
                    flag(
                            "--pin-service-token-file",
                            PinOptions.SERVICE_TOKEN_FILE,
                            PinOptions.SERVICE_TOKEN_ENV),
                    Map.entry(
                            "--pin-required",
                            new Source(
                                    c ->
                                            c.getOptional(PinBackends.REQUIRED)
                                                    .map(l -> String.join(",", l))
                                                    .orElse(null),
                                    List.of())));

    private final Configuration file;
    private final Map<String, String> env;

    ConfigDefaults(Configuration file, Map<String, String> env) {
        this.file = file;
        this.env = env;
    }

    /** The flags the file can set, by name. */
    static java.util.Set<String> flags() {
        return FLAGS.keySet();
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        Source source = FLAGS.get(option.longestName());
        if (source == null) {
            return null;
        }
        for (String var : source.env()) {
            String v = env.get(var);
            if (v != null && !v.isEmpty()) {
                return null; // the flag's default reads the variable
            }
        }
        return source.value().apply(file);
    }

    private static Map.Entry<String, Source> flag(
            String name, ConfigOption<?> option, String... env) {
        return Map.entry(
                name,
                new Source(
                        c -> c.contains(option) ? c.toMap().get(option.key()) : null,
                        List.of(env)));
    }
}
