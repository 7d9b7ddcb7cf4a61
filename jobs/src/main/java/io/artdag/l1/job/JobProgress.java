package io.artdag.l1.job;

import io.artdag.l1.operators.HashFiles;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;

/** Waits for a local job, showing files, MB and MB/s on a terminal while it runs. */
final class JobProgress {
    private JobProgress() {}

    static long[] await(JobClient job, PrintStream progress, long startedNanos) throws Exception {
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        long[] last = {0, 0};
        while (true) {
            try {
                JobExecutionResult r = result.get(1, TimeUnit.SECONDS);
                last[0] = number(r.getAccumulatorResult(HashFiles.FILES_ACCUMULATOR));
                last[1] = number(r.getAccumulatorResult(HashFiles.BYTES_ACCUMULATOR));
                if (progress != null) {
                    progress.print("\r\033[K");
                    progress.flush();
                }
                return last;
            } catch (TimeoutException running) {
                if (progress == null) {
                    continue;
                }
                try {
                    Map<String, Object> acc = job.getAccumulators().get(5, TimeUnit.SECONDS);
                    last[0] = number(acc.get(HashFiles.FILES_ACCUMULATOR));
                    last[1] = number(acc.get(HashFiles.BYTES_ACCUMULATOR));
                } catch (Exception notYet) {
                    // accumulators are unavailable while the job is (re)starting
                }
                double secs = Math.max(1, (System.nanoTime() - startedNanos) / 1e9);
                progress.printf(
                        "\r\033[K%,d files  %,.1f MB  %.1f MB/s",
                        last[0], last[1] / 1e6, last[1] / 1e6 / secs);
                progress.flush();
            }
        }
    }

    private static long number(Object o) {
        return o instanceof Number ? ((Number) o).longValue() : 0;
    }

    static void cancel(JobClient job) {
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the job is ending anyway; checkpoints are retained for the next run
        }
    }
}
