package io.artdag.l1.example;

import io.artdag.l1.connector.RenderOutput;
import io.artdag.l1.connector.StoreAssertions;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Passes render outputs on, and fails its task once: on the first record that its first attempt
 * sees after the store has committed a checkpoint's contents. The job restores from that checkpoint
 * and replays what came after it.
 */
final class FailOnceAfterACommit extends RichMapFunction<RenderOutput, RenderOutput> {
    private static final long serialVersionUID = 1L;

    /** Contents committed when the failure was injected; -1 until then (same JVM as the tasks). */
    static final AtomicLong COMMITTED_AT_FAILURE = new AtomicLong(-1);

    private final String store;

    FailOnceAfterACommit(Path store) {
        this.store = store.toString();
    }

    static void reset() {
        COMMITTED_AT_FAILURE.set(-1);
    }

    @Override
    public RenderOutput map(RenderOutput o) {
        if (getRuntimeContext().getTaskInfo().getAttemptNumber() == 0
                && COMMITTED_AT_FAILURE.get() < 0) {
            // Paced until the failure, so the stream outlasts the first checkpoint and its
            // commit however fast the rest of the job is (a barrier passes between records).
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeException(e);
            }
            long committed = StoreAssertions.committedContents(Path.of(store));
            if (committed > 0 && COMMITTED_AT_FAILURE.compareAndSet(-1, committed)) {
                throw new RuntimeException(
                        "injected failure at "
                                + o.nodeId
                                + ", "
                                + committed
                                + " contents committed");
            }
        }
        return o;
    }
}
