package io.artdag.l1.job;

import io.artdag.l1.redis.RedisIndex;
import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.store.LocalStore;
import java.util.Map;

/**
 * l1 mode: a local run's status in artdag's {@code artdag:run:{run_id}}, and the release of its
 * unfinished claims when it fails or is stopped. Best effort: Redis being down never fails a run
 * here (its claims then expire with their TTL).
 */
final class RunStatus {
    private RunStatus() {}

    /** A run that failed or was stopped: its status, and its unfinished claims released. */
    static void ended(
            L1Settings l1,
            String runId,
            String status,
            LocalIngest.Settings settings,
            LocalStore store) {
        runStatus(l1, runId, status, settings, store);
        if (l1 == null) {
            return;
        }
        try (RedisIndex redis = new RedisIndex(l1.redis())) {
            int n = redis.releaseClaims(runId);
            if (n > 0 && settings.progress() != null) {
                settings.progress().printf("Released %d unfinished claims%n", n);
            }
        } catch (RuntimeException e) {
            if (settings.progress() != null) {
                settings.progress()
                        .println(
                                "Could not release this run's claims (they expire with their"
                                        + " TTL): "
                                        + e.getMessage());
            }
        }
    }

    /**
     * The cluster job's status (l1 mode): {@code fields} plus {@code mode}; best effort, never
     * fatal (logged).
     */
    static void record(
            L1Settings l1,
            String runId,
            String status,
            Map<String, String> fields,
            org.apache.flink.configuration.ReadableConfig options) {
        if (l1 == null) {
            return;
        }
        try (RedisIndex redis = new RedisIndex(l1.redis())) {
            redis.setRunStatus(runId, status, fields, ttl(status, options));
            if (!status.equals("running") && !status.equals("completed")) {
                redis.releaseClaims(runId);
            }
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RunStatus.class)
                    .warn("Could not record the run status in Redis: {}", e.getMessage());
        }
    }

    /**
     * The TTL of a run's status: none while it runs, {@code l1.run.status-ttl} once it has ended.
     */
    static java.time.Duration ttl(String status, org.apache.flink.configuration.ReadableConfig o) {
        return status.equals("running") ? null : o.get(L1Options.RUN_STATUS_TTL);
    }

    /** l1 mode: artdag's run status in {@code artdag:run:{run_id}}; best effort, never fatal. */
    static void runStatus(
            L1Settings l1,
            String runId,
            String status,
            LocalIngest.Settings settings,
            LocalStore store) {
        if (l1 == null) {
            return;
        }
        try (RedisIndex redis = new RedisIndex(l1.redis())) {
            redis.setRunStatus(
                    runId,
                    status,
                    Map.of(
                            "inputs", settings.inputs().toString(),
                            "store", store.root().toString(),
                            "mode", "l1"),
                    ttl(status, settings.options()));
        } catch (RuntimeException e) {
            if (settings.progress() != null) {
                settings.progress()
                        .println("Could not record the run status in Redis: " + e.getMessage());
            }
        }
    }
}
