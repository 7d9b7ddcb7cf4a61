package io.artdag.l1.job;

import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.segment.SegmentSink;
import io.artdag.l1.store.LocalContentLookup;
import io.artdag.l1.store.LocalStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * Entry point of the cluster job jar ({@code flink run l1-job.jar --store DIR --input DIR[,DIR]
 * [--follow] [--config FILE]}). Checkpointing, state backend and restarts come from the cluster's
 * configuration ({@code conf/config.yaml}); the {@code l1.*} options from a {@link ConfigFile}
 * ({@code --config FILE} or {@code $L1_CONFIG}, read where {@code main} runs), and any {@code
 * --l1.*} argument over it. The store directory must be reachable by every task manager.
 *
 * <p>The PostgreSQL password is read where {@code main} runs (the JobManager in application mode)
 * from {@code --l1.postgres.password-file FILE} or the environment variable {@code L1_PG_PASSWORD}
 * ({@link io.artdag.l1.postgres.PostgresPassword}); {@code --l1.postgres.password} still works but
 * is deprecated, since arguments show in the process list and Flink's logs.
 */
@Internal
public final class L1Job {
    private L1Job() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        boolean follow = params.has("follow");
        List<IngestInput> inputs = new ArrayList<>();
        for (String in : params.getRequired("input").split(",")) {
            inputs.add(IngestInput.of(in.trim(), follow));
        }
        // The configuration file (where main runs), then the --l1.* arguments over it.
        String configFile = params.get("config", System.getenv(ConfigFile.ENV));
        Configuration options =
                configFile == null || configFile.isEmpty()
                        ? new Configuration()
                        : ConfigFile.load(Path.of(configFile));
        params.toMap()
                .forEach(
                        (k, v) -> {
                            if (k.startsWith("l1.")) {
                                options.setString(k, v);
                            }
                        });
        String storeDir =
                params.get(
                        "store",
                        options.getOptional(io.artdag.l1.sink.segment.SegmentSinkOptions.STORE_PATH)
                                .orElse(null));
        if (storeDir == null) {
            throw new IllegalArgumentException(
                    "no store: pass --store DIR, or set l1.store.path in the configuration file");
        }
        Path store = Path.of(storeDir);
        if (params.has(L1Options.POSTGRES_PASSWORD.key())) {
            org.slf4j.LoggerFactory.getLogger(L1Job.class)
                    .warn(
                            "--{} is deprecated (arguments are visible in the process list and"
                                    + " logs): use --{} FILE or the environment variable {}",
                            L1Options.POSTGRES_PASSWORD.key(),
                            L1Options.POSTGRES_PASSWORD_FILE.key(),
                            io.artdag.l1.postgres.PostgresPassword.ENV);
        }
        if (!options.contains(L1Options.RUN_ID)) {
            // Part of the job graph, so failovers of this submission keep it.
            options.set(L1Options.RUN_ID, java.util.UUID.randomUUID().toString());
        }
        try (io.artdag.l1.store.StoreLock lock =
                        io.artdag.l1.store.StoreLock.acquire(store, "cluster job start");
                LocalStore s = LocalStore.open(store)) {
            // Sealed segments may belong to checkpoints this job restores from: keep them.
            s.repair(true);
            if (LocalIngest.l1Settings(options) != null) {
                LocalIngest.publishPending(
                        LocalIngest.l1Settings(options), LocalIngest.pins(options), s, System.out);
            }
        }
        if (LocalIngest.l1Settings(options) != null) {
            // Schema migrations are applied before anything writes to PostgreSQL.
            new io.artdag.l1.postgres.ProvenanceStore(LocalIngest.l1Settings(options).postgres())
                    .migrate();
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        L1Pipeline.build(
                env,
                inputs,
                options,
                new LocalContentLookup(store),
                LocalIngest.l1Settings(options) == null
                        ? null
                        : new io.artdag.l1.sink.l1.SharedIndexLookup(
                                LocalIngest.l1Settings(options), 16),
                LocalIngest.l1Settings(options),
                SegmentSink.builder()
                        .setConfig(options)
                        .setStorePath(store)
                        .setPublisher(
                                LocalIngest.l1Settings(options) == null
                                        ? null
                                        : new io.artdag.l1.sink.l1.L1Publisher(
                                                LocalIngest.l1Settings(options),
                                                LocalIngest.pins(options)))
                        .build());
        String runId = options.get(L1Options.RUN_ID);
        java.util.Map<String, String> fields =
                java.util.Map.of(
                        "inputs", inputs.toString(), "store", store.toString(), "mode", "l1");
        org.apache.flink.core.execution.JobClient job = env.executeAsync("artdag-l1 " + inputs);
        RunStatus.record(LocalIngest.l1Settings(options), runId, "running", fields, options);
        if (!env.getConfiguration()
                .get(org.apache.flink.configuration.DeploymentOptions.ATTACHED)) {
            // Detached (flink run -d): this process ends now; the status stays "running".
            return;
        }
        try {
            job.getJobExecutionResult().get();
        } catch (Exception e) {
            RunStatus.record(LocalIngest.l1Settings(options), runId, "failed", fields, options);
            throw e;
        }
        RunStatus.record(LocalIngest.l1Settings(options), runId, "completed", fields, options);
    }
}
