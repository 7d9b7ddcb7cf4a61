package io.artdag.l1.job;

import io.artdag.l1.source.InputSources;
import io.artdag.l1.source.tree.InputsEnded;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a bounded local run as soon as its input is done: Flink finishes a bounded streaming job
 * only after a checkpoint taken at the end of the input (its committers commit the last segments
 * then), and the periodic trigger may be a whole interval away. Once every source reader of every
 * input has reported its end ({@link InputsEnded}), this triggers checkpoints on the in-process
 * MiniCluster until the job has ended. Without a MiniCluster (a test's shared cluster) it does
 * nothing and the interval ends the run as before.
 */
final class FinalCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(FinalCheckpoint.class);

    private static final int MAX_TRIGGERS = 200;

    private FinalCheckpoint() {}

    /** Forgets earlier ends of these inputs; null when an input is followed (no end). */
    static List<String> prepare(List<IngestInput> inputs) {
        List<String> keys = new ArrayList<>();
        for (IngestInput in : inputs) {
            String key = in.unbounded() ? null : InputSources.endKey(in.path(), in.layout());
            if (key == null) {
                return null;
            }
            InputsEnded.reset(key);
            keys.add(key);
        }
        return keys;
    }

    /** Watches {@code job} in a daemon thread (no-op when {@code keys} is null). */
    static void watch(JobClient job, List<String> keys, int parallelism) {
        MiniCluster cluster = miniCluster(job);
        if (keys == null || cluster == null) {
            return;
        }
        Thread t =
                new Thread(
                        () -> {
                            try {
                                run(job, cluster, keys, parallelism);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (Exception e) {
                                LOG.debug("final checkpoint trigger gave up", e);
                            }
                        },
                        "l1-final-checkpoint");
        t.setDaemon(true);
        t.start();
    }

    private static void run(JobClient job, MiniCluster cluster, List<String> keys, int parallelism)
            throws Exception {
        while (!ended(keys, parallelism)) {
            if (job.getJobExecutionResult().isDone()) {
                return;
            }
            Thread.sleep(20);
        }
        for (int i = 0; i < MAX_TRIGGERS && !job.getJobExecutionResult().isDone(); i++) {
            try {
                cluster.triggerCheckpoint(job.getJobID(), CheckpointType.CONFIGURED)
                        .get(60, TimeUnit.SECONDS);
            } catch (Exception declined) {
                // e.g. the job finished meanwhile, or a periodic checkpoint was under way
            }
            Thread.sleep(50);
        }
    }

    private static boolean ended(List<String> keys, int parallelism) {
        for (String k : keys) {
            if (InputsEnded.readers(k) < parallelism) {
                return false;
            }
        }
        return true;
    }

    /** The MiniCluster a local environment's job client runs on, or null. */
    private static MiniCluster miniCluster(JobClient job) {
        try {
            Field f = job.getClass().getDeclaredField("miniCluster");
            f.setAccessible(true);
            Object mc = f.get(job);
            return mc instanceof MiniCluster ? (MiniCluster) mc : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
