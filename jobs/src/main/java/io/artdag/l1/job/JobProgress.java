package io.artdag.l1.job;

import io.artdag.l1.operators.HashFiles;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;

/** Waits for a local job and returns its files and bytes (the display is {@link ProgressView}). */
final class JobProgress {
    private JobProgress() {}

    /** Waits for the job's end; {files, bytes} from its accumulators. */
    static long[] await(JobClient job) throws Exception {
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        JobExecutionResult r = result.get();
        return new long[] {
            number(r.getAccumulatorResult(HashFiles.FILES_ACCUMULATOR)),
            number(r.getAccumulatorResult(HashFiles.BYTES_ACCUMULATOR))
        };
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
