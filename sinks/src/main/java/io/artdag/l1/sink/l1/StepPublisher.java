package io.artdag.l1.sink.l1;

import io.artdag.l1.sink.segment.PublishBatch;
import io.artdag.l1.sink.segment.SegmentPublisher;
import io.artdag.l1.store.LocalStore;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Publishes a batch through an ordered list of {@link PublishStep}s with one retry policy: a step
 * that fails transiently is retried with backoff (200 ms doubling to 10 s) until it succeeds or the
 * outage has lasted longer than the limit; a later step never runs before an earlier one has
 * succeeded. The steps done for a batch are not repeated when a later one is retried.
 */
@PublicEvolving
public final class StepPublisher implements SegmentPublisher {

    private final List<PublishStep> steps;
    private final Duration outageLimit;
    private final Runnable retried;
    private final AutoCloseable resources;

    /**
     * @param resources closed after the steps (e.g. the clients they share)
     */
    public StepPublisher(
            List<PublishStep> steps,
            Duration outageLimit,
            Runnable retried,
            AutoCloseable resources) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a publisher needs at least one step");
        }
        this.steps = List.copyOf(steps);
        this.outageLimit = outageLimit;
        this.retried = retried;
        this.resources = resources;
    }

    /** The steps, in the order they run. */
    public List<String> stepNames() {
        return steps.stream().map(PublishStep::name).toList();
    }

    @Override
    public void publish(LocalStore store, PublishBatch batch)
            throws IOException, InterruptedException {
        PublishContext ctx = new PublishContext(store, batch);
        for (PublishStep step : steps) {
            run(step, ctx);
        }
    }

    private void run(PublishStep step, PublishContext ctx)
            throws IOException, InterruptedException {
        ServiceFailures.waitOut(
                "publishing " + ctx.batch().segments(),
                step.name(),
                outageLimit,
                retried,
                () -> step.publish(ctx));
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (PublishStep s : steps) {
            try {
                s.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (resources != null) {
            resources.close();
        }
        if (first != null) {
            throw first;
        }
    }
}
