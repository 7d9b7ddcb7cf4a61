package io.artdag.l1.job;

import io.artdag.l1.operators.ContentLookup;
import io.artdag.l1.sink.l1.KuboSealImport;
import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.l1.L1Publisher;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.sink.l1.SharedIndexLookup;
import io.artdag.l1.sink.segment.FaultInjector;
import io.artdag.l1.sink.segment.SegmentSink;
import io.artdag.l1.sink.segment.SegmentSinkOptions;
import io.artdag.l1.store.LocalContentLookup;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreLock;
import io.artdag.l1.store.StoreStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the ingest job in-process against a local store (local mode): repairs the store after an
 * unclean stop, resumes an unfinished run of the same inputs from its last checkpoint, shows
 * progress, and on a clean end sweeps what no commit refers to.
 */
@Internal
public final class LocalIngest {
    /** How many follow-up runs store contents that other jobs claimed and never published. */
    private static final int MAX_FOLLOW_UPS = 3;

    /** Creates the execution environment (a local MiniCluster unless a test supplies one). */
    @FunctionalInterface
    public interface EnvFactory {
        StreamExecutionEnvironment create(Configuration conf);
    }

    /** What an ingest run is asked to do. */
    public record Settings(
            Path store,
            List<IngestInput> inputs,
            boolean follow,
            Configuration options,
            int parallelism,
            PrintStream progress,
            CompletableFuture<Void> stop) {
        /** Settings of a run that ends when its input ends (or on Ctrl-C). */
        public Settings(
                Path store,
                List<IngestInput> inputs,
                boolean follow,
                Configuration options,
                int parallelism,
                PrintStream progress) {
            this(store, inputs, follow, options, parallelism, progress, new CompletableFuture<>());
        }
    }

    /** What a run did. */
    public record Summary(
            long files,
            long bytes,
            Duration elapsed,
            StoreStats before,
            StoreStats after,
            boolean resumed,
            boolean stopped,
            LocalStore.RepairReport repaired) {
        public double megabytesPerSecond() {
            double s = Math.max(elapsed.toMillis(), 1) / 1000.0;
            return bytes / 1e6 / s;
        }
    }

    private LocalIngest() {}

    /**
     * The fault injector of runs started by {@link #run(Settings)}: none, except in a test's child
     * JVM that paces its run so that it is still running when the test acts on it.
     */
    static volatile FaultInjector defaultFaults = FaultInjector.NONE;

    public static Summary run(Settings settings) throws Exception {
        return run(
                settings,
                conf ->
                        StreamExecutionEnvironment.createLocalEnvironment(
                                settings.parallelism(), conf),
                defaultFaults);
    }

    public static Summary run(Settings settings, EnvFactory envFactory, FaultInjector faults)
            throws Exception {
        long started = System.nanoTime();
        try (StoreLock lock = StoreLock.acquire(settings.store(), "ingest");
                ProgressView view = ProgressView.start(settings.progress(), settings.inputs())) {
            Run first = runOnce(settings, envFactory, faults, null, started, view);
            Summary summary = first.summary;
            Run last = first;
            // l1 mode: contents left to a job that then never published them are stored now.
            for (int round = 1; !last.followUp.isEmpty(); round++) {
                if (round > MAX_FOLLOW_UPS) {
                    throw new IllegalStateException(
                            last.followUp.size()
                                    + " contents were claimed by other jobs that never stored"
                                    + " them, "
                                    + MAX_FOLLOW_UPS
                                    + " times over; run the ingest again");
                }
                if (settings.progress() != null) {
                    settings.progress()
                            .printf(
                                    "Storing %d contents another job claimed but never"
                                            + " published%n",
                                    last.followUp.size());
                }
                List<IngestInput> inputs = new ArrayList<>(last.followUp);
                Settings again =
                        new Settings(
                                settings.store(),
                                inputs,
                                false,
                                settings.options(),
                                settings.parallelism(),
                                settings.progress(),
                                settings.stop());
                last = runOnce(again, envFactory, faults, first.runId, System.nanoTime(), view);
                summary =
                        new Summary(
                                summary.files() + last.summary.files(),
                                summary.bytes() + last.summary.bytes(),
                                Duration.ofNanos(System.nanoTime() - started),
                                summary.before(),
                                last.summary.after(),
                                summary.resumed(),
                                last.summary.stopped(),
                                summary.repaired());
            }
            return summary;
        }
    }

    /** One job execution and what it left for a follow-up. */
    private record Run(Summary summary, String runId, List<IngestInput> followUp) {}

    private static Run runOnce(
            Settings settings,
            EnvFactory envFactory,
            FaultInjector faults,
            String forcedRunId,
            long started,
            ProgressView view)
            throws Exception {
        try (LocalStore store = LocalStore.open(settings.store())) {
            Map<String, Object> spec = RunResume.spec(settings);
            Optional<RunMarker> previous = RunMarker.read(store.root());
            Optional<String> resumeFrom =
                    RunResume.resumePoint(store, spec, previous, settings.progress());
            // The owner of this run's claims. Every run on this store keeps the id of an
            // unfinished earlier one (the store's lock makes it the only writer), so the claims
            // that run took are recognised as this run's own, never as another job's.
            String runId =
                    forcedRunId != null
                            ? forcedRunId
                            : previous.map(m -> m.runId)
                                    .orElseGet(() -> UUID.randomUUID().toString());
            LocalStore.RepairReport repaired = store.repair(resumeFrom.isPresent());
            if (repaired.total() > 0 && settings.progress() != null) {
                settings.progress()
                        .printf(
                                "Repaired the store: %d torn, %d uncommitted and %d unindexed"
                                        + " segment files removed%n",
                                repaired.tornFiles(),
                                repaired.orphanStaged(),
                                repaired.orphanSegments());
            }
            Configuration options = new Configuration(settings.options());
            options.set(L1Options.RUN_ID, runId);
            L1Settings l1 = L1ModeServices.settings(options);
            if (l1 != null) {
                publishPending(l1, L1ModeServices.pins(options), store, settings.progress());
            }
            StoreStats before = store.index().stats();

            Configuration conf = jobConfig(settings, store);
            resumeFrom.ifPresent(p -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, p));
            StreamExecutionEnvironment env = envFactory.create(conf);
            env.setParallelism(settings.parallelism());
            SegmentSink sink =
                    SegmentSink.builder()
                            .setConfig(options)
                            .setStorePath(store.root())
                            .setFaultInjector(faults)
                            .setPublisher(
                                    l1 == null
                                            ? null
                                            : new L1Publisher(l1, L1ModeServices.pins(options)))
                            .setHandoff(l1 == null ? null : new KuboSealImport(l1))
                            .build();
            L1Pipeline.build(
                    env,
                    settings.inputs(),
                    options,
                    // l1 mode: the services (SharedIndexLookup), not the staging store's index.
                    l1 == null ? new LocalContentLookup(store.root()) : ContentLookup.none(),
                    l1 == null ? null : new SharedIndexLookup(l1, 16),
                    l1,
                    sink);
            if (l1 != null) {
                // Schema migrations are applied before anything writes to PostgreSQL.
                new io.artdag.l1.postgres.ProvenanceStore(l1.postgres()).migrate();
            }

            new RunMarker(spec, runId, RunResume.realPath(store.root())).write(store.root());
            RunStatus.runStatus(l1, runId, "running", settings, store);
            JobClient job;
            try {
                job = env.executeAsync("artdag-l1 ingest " + settings.inputs());
            } catch (Exception e) {
                RunStatus.ended(l1, runId, "failed", settings, store);
                throw e;
            }
            Thread cancelOnExit =
                    new Thread(() -> settings.stop().complete(null), "l1-cancel-on-exit");
            Runtime.getRuntime().addShutdownHook(cancelOnExit);
            settings.stop().thenRun(() -> JobProgress.cancel(job));
            if (view != null) {
                view.running();
            }
            long[] counts;
            try {
                counts = JobProgress.await(job);
            } catch (Exception e) {
                if (!settings.stop().isDone()) {
                    RunStatus.ended(l1, runId, "failed", settings, store);
                    throw e;
                }
                RunStatus.ended(l1, runId, "stopped", settings, store);
                // Stopped on request: keep the checkpoints and run marker so the next run over
                // the same inputs resumes where this one stopped.
                return new Run(
                        new Summary(
                                0,
                                0,
                                Duration.ofNanos(System.nanoTime() - started),
                                before,
                                store.index().stats(),
                                resumeFrom.isPresent(),
                                true,
                                repaired),
                        runId,
                        List.of());
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(cancelOnExit);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running
                }
            }
            List<IngestInput> followUp =
                    l1 == null
                            ? List.of()
                            : DeferredContents.resolve(l1, runId, settings.progress());
            store.sweep();
            checkCacheIndexes(settings, store, l1);
            RunStatus.runStatus(l1, runId, "completed", settings, store);
            RunResume.deleteRecursively(store.checkpointsDir());
            if (followUp.isEmpty()) {
                // Otherwise the follow-up run writes its own marker with the same run id.
                RunMarker.delete(store.root());
            }
            return new Run(
                    new Summary(
                            counts[0],
                            counts[1],
                            Duration.ofNanos(System.nanoTime() - started),
                            before,
                            store.index().stats(),
                            resumeFrom.isPresent(),
                            false,
                            repaired),
                    runId,
                    followUp);
        }
    }

    /**
     * The indexes of every artdag cache input, checked against the store (disagreements recorded as
     * rejections, in l1 mode in PostgreSQL too) and rewritten on request.
     */
    private static void checkCacheIndexes(Settings settings, LocalStore store, L1Settings l1)
            throws IOException {
        boolean update = settings.options().get(IngestOptions.UPDATE_CACHE_INDEXES);
        for (IngestInput input : settings.inputs()) {
            if (input.layout() != io.artdag.l1.source.InputLayout.CACHE || input.path() == null) {
                continue;
            }
            CacheIndexes.Result r = CacheIndexes.reconcile(input.path(), store, update);
            if (!r.disagreements().isEmpty()) {
                store.commit(List.of(), List.of(), List.of(), r.disagreements());
                if (l1 != null) {
                    new io.artdag.l1.postgres.ProvenanceStore(l1.postgres())
                            .recordRejectedInputs(r.disagreements());
                }
            }
            if (settings.progress() != null && (r.entries() > 0 || update)) {
                settings.progress()
                        .printf(
                                "Cache indexes of %s: %d entries checked, %d disagree with the"
                                        + " bytes%s%n",
                                input.path(),
                                r.entries(),
                                r.disagreements().size(),
                                update ? "; rewritten" : "");
            }
        }
    }

    /** l1 mode: what an earlier run committed here but a crash kept from being published. */
    static void publishPending(
            L1Settings l1,
            io.artdag.l1.sink.l1.PinBackends pins,
            LocalStore store,
            PrintStream progress)
            throws IOException, InterruptedException {
        int n = L1Publisher.publishPending(l1, pins, store);
        if (n > 0 && progress != null) {
            progress.printf(
                    "Published %d segments an earlier run had committed but not published%n", n);
        }
    }

    private static Configuration jobConfig(Settings settings, LocalStore store) {
        Configuration conf = new Configuration();
        conf.addAll(settings.options());
        conf.set(SegmentSinkOptions.STORE_PATH, store.root().toString());
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                store.checkpointsDir().toUri().toString());
        conf.set(
                CheckpointingOptions.CHECKPOINTING_INTERVAL,
                settings.options().get(IngestOptions.CHECKPOINT_INTERVAL));
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                settings.options().get(IngestOptions.RESTART_ATTEMPTS));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        // At the end of a bounded run the file source's reader sometimes waits the whole close
        // timeout (30 s by default) for a split fetcher parked with nothing left to fetch; the
        // wait protects nothing (every record is already emitted and checkpointed), so bound it.
        conf.set(SourceReaderOptions.SOURCE_READER_CLOSE_TIMEOUT, 1000L);
        if (settings.progress() != null) {
            // The live progress reads the operators' counters in this JVM (ProgressCounters).
            conf.setString(
                    "metrics.reporter." + ProgressCounters.REPORTER + ".factory.class",
                    ProgressCounters.Factory.class.getName());
        }
        return conf;
    }
}
