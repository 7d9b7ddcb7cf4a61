package io.artdag.l1.sink.segment;

import io.artdag.l1.store.LocalStore;
import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.metrics.MetricGroup;

/**
 * Where the committer sends what it has committed locally (l1 mode: Kubo, pin backends, Redis,
 * PostgreSQL). Called after the local commit of every committable, again after a restore, so an
 * implementation must be idempotent; it returns only once everything is published, and throws when
 * it cannot (the committer then retries, and finally fails the task: nothing is dropped).
 */
@PublicEvolving
public interface SegmentPublisher extends AutoCloseable {

    /** Publishes a batch whose segments {@code store} has committed. */
    void publish(LocalStore store, PublishBatch batch) throws IOException, InterruptedException;

    @Override
    default void close() throws Exception {}

    /** Creates the publisher of one committer; part of the sink, so it is serializable. */
    interface Factory extends Serializable {
        /**
         * @param metrics the committer's metric group, for the publisher's own metrics
         * @param retried called whenever the publisher waits and retries a service
         */
        SegmentPublisher create(MetricGroup metrics, Runnable retried);
    }
}
