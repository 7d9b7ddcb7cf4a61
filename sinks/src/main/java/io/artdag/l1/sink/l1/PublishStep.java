package io.artdag.l1.sink.l1;

import java.io.IOException;
import org.apache.flink.annotation.PublicEvolving;

/**
 * One step of publishing a committed batch (Kubo import and pin, a pin backend, Redis, PostgreSQL).
 * Steps run in a fixed order ({@link StepPublisher}); a step runs only after every step before it
 * has succeeded, which is how "nothing names a CID before it is durable" stays one rule: the steps
 * that make blocks durable come before the steps that name CIDs. A step must be idempotent: it may
 * run again for the same batch after a retry or a restore.
 */
@PublicEvolving
public interface PublishStep extends AutoCloseable {
    /** A short name for logs and errors, e.g. {@code kubo}. */
    String name();

    /**
     * Publishes the batch. A {@link ServiceFailures#isTransient transient} failure (a service
     * unreachable) is retried with backoff; any other failure ends the publication.
     */
    void publish(PublishContext ctx) throws IOException, InterruptedException;

    @Override
    default void close() {}
}
