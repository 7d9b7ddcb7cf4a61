package io.artdag.l1.job;

import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.sink.segment.SegmentSink;
import io.artdag.l1.sink.segment.SegmentSinkOptions;
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
 * Entry point of the cluster job jar ({@code flink run l1-job.jar [--store DIR] --input DIR[,DIR]
 * [--follow] [--config FILE]}). Checkpointing, state backend and restarts come from the cluster's
 * configuration ({@code conf/config.yaml}); the {@code l1.*} options from a {@link ConfigFile}
 * ({@code --config FILE} or {@code $L1_CONFIG}, read where {@code main} runs), and any {@code
 * --l1.*} argument over it. In local mode the store directory must be reachable by every task
 * manager; l1 mode takes no store: each TaskManager stages on its own disk (docs/scaling.md).
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
        String storeDir =
                params.get(
                        "store", options.getOptional(SegmentSinkOptions.STORE_PATH).orElse(null));
        L1Settings l1 = L1ModeServices.settings(options);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        java.util.Map<String, String> fields;
        if (l1 == null) {
            fields = buildLocalMode(env, inputs, options, storeDir);
        } else {
            fields =
                    buildL1Mode(
                            env,
                            inputs,
                            options,
                            storeDir,
                            l1,
                            io.artdag.l1.sink.segment.FaultInjector.NONE);
        }
        String runId = options.get(L1Options.RUN_ID);
        org.apache.flink.core.execution.JobClient job = env.executeAsync("artdag-l1 " + inputs);
        RunStatus.record(l1, runId, "running", fields, options);
        if (!env.getConfiguration()
                .get(org.apache.flink.configuration.DeploymentOptions.ATTACHED)) {
            // Detached (flink run -d): this process ends now; the status stays "running".
            return;
        }
        try {
            job.getJobExecutionResult().get();
        } catch (Exception e) {
            RunStatus.record(l1, runId, "failed", fields, options);
            throw e;
        }
        RunStatus.record(l1, runId, "completed", fields, options);
    }

    /**
     * Local mode: one store directory that every TaskManager reaches (a shared volume past one
     * machine), repaired before the job starts.
     */
    private static java.util.Map<String, String> buildLocalMode(
            StreamExecutionEnvironment env,
            List<IngestInput> inputs,
            Configuration options,
            String storeDir)
            throws Exception {
        if (storeDir == null) {
            throw new IllegalArgumentException(
                    "no store: pass --store DIR, or set l1.store.path in the configuration file");
        }
        Path store = Path.of(storeDir);
        try (io.artdag.l1.store.StoreLock lock =
                        io.artdag.l1.store.StoreLock.acquire(store, "cluster job start");
                LocalStore s = LocalStore.open(store)) {
            // Sealed segments may belong to checkpoints this job restores from: keep them.
            s.repair(true);
        }
        L1Pipeline.build(
                env,
                inputs,
                options,
                new LocalContentLookup(store),
                null,
                null,
                SegmentSink.builder().setConfig(options).setStorePath(store).build());
        return java.util.Map.of(
                "inputs", inputs.toString(), "store", store.toString(), "mode", "local");
    }

    /**
     * l1 mode, shared-nothing: each TaskManager stages segments on its own disk ({@code
     * l1.staging.dir}), hands each sealed segment to Kubo before its checkpoint completes, and asks
     * the services (not a local index) what is stored already; nothing is shared but the services
     * and the inputs (docs/scaling.md).
     */
    static java.util.Map<String, String> buildL1Mode(
            StreamExecutionEnvironment env,
            List<IngestInput> inputs,
            Configuration options,
            String storeDir,
            L1Settings l1,
            io.artdag.l1.sink.segment.FaultInjector faults) {
        if (storeDir != null) {
            throw new IllegalArgumentException(
                    "l1 mode on a cluster keeps no shared store (got "
                            + storeDir
                            + "): each TaskManager stages segments on its own disk under "
                            + SegmentSinkOptions.STAGING_DIR.key()
                            + " and the services hold what is published; drop --store /"
                            + " l1.store.path");
        }
        // Schema migrations are applied before anything writes to PostgreSQL.
        new io.artdag.l1.postgres.ProvenanceStore(l1.postgres()).migrate();
        L1Pipeline.build(
                env,
                inputs,
                options,
                // In RocksDB, what this job stored; in Redis (SharedIndexLookup), what any did.
                io.artdag.l1.operators.ContentLookup.none(),
                new io.artdag.l1.sink.l1.SharedIndexLookup(l1, 16),
                l1,
                SegmentSink.builder()
                        .setConfig(options)
                        .setPerTaskManagerStaging(true)
                        .setPublisher(
                                new io.artdag.l1.sink.l1.L1Publisher(
                                        l1, L1ModeServices.pins(options)))
                        .setHandoff(new io.artdag.l1.sink.l1.KuboSealImport(l1))
                        .setFaultInjector(faults)
                        .build());
        return java.util.Map.of(
                "inputs",
                inputs.toString(),
                "staging",
                options.getOptional(SegmentSinkOptions.STAGING_DIR)
                        .orElse("<java.io.tmpdir>/artdag-l1-staging on each TaskManager"),
                "mode",
                "l1");
    }
}
