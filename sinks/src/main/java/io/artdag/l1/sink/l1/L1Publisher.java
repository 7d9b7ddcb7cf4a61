package io.artdag.l1.sink.l1;

import io.artdag.l1.sink.segment.PublishBatch;
import io.artdag.l1.sink.segment.SegmentPublisher;
import io.artdag.l1.store.LocalStore;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * l1 mode's publisher: the ordered steps that publish committed segments to the L1 services — Kubo
 * import and pin check, then Redis's indexes, then PostgreSQL's segments, cache items, pins and
 * runs — so that nothing names a CID before its blocks are pinned (docs/guarantees.md). Every step
 * is idempotent; an unreachable service is waited out up to {@code l1.publish.outage-limit} ({@link
 * StepPublisher}).
 */
@PublicEvolving
public final class L1Publisher implements SegmentPublisher.Factory {
    private static final long serialVersionUID = 1L;

    private final L1Settings settings;

    /**
     * @throws IllegalArgumentException naming the option when a setting is invalid
     */
    public L1Publisher(L1Settings settings) {
        this.settings = settings.validate();
    }

    @Override
    public StepPublisher create(MetricGroup metrics, Runnable retried) {
        AtomicLong importMillis = new AtomicLong();
        metrics.gauge("kuboImportMillis", importMillis::get);
        Counter importBytes = metrics.counter("kuboImportBytes");
        return steps(settings, importMillis::set, importBytes::inc, retried);
    }

    /** The steps in their order, without metrics. */
    static StepPublisher steps(
            L1Settings settings,
            java.util.function.LongConsumer importMillis,
            java.util.function.LongConsumer importBytes,
            Runnable retried) {
        L1Clients clients = new L1Clients(settings);
        return new StepPublisher(
                List.of(
                        new KuboImportStep(clients, importMillis, importBytes),
                        new RedisIndexStep(clients),
                        new ProvenanceStep(clients),
                        new RunCacheStep(clients)),
                settings.outageLimit(),
                retried,
                clients);
    }

    /**
     * Publishes, in commit order, the segments that {@code store} committed in l1 mode but whose
     * publication a crash left unconfirmed ({@link io.artdag.l1.store.StoreIndex#unpublished}). A
     * run that resumes from a checkpoint would publish them again through its restored committer;
     * one that starts afresh (other inputs, a moved store) would not, and finds their contents in
     * the local store: so this runs before every run. Idempotent like every publish.
     *
     * @return how many segments were published
     */
    public static int publishPending(L1Settings settings, LocalStore store)
            throws IOException, InterruptedException {
        List<String> pending = store.index().unpublished();
        if (pending.isEmpty()) {
            return 0;
        }
        try (StepPublisher publisher = steps(settings, ms -> {}, bytes -> {}, () -> {})) {
            for (String segment : pending) {
                publisher.publish(
                        store,
                        new PublishBatch(
                                List.of(segment), store.index().contentsOf(segment), List.of()));
                store.index().markPublished(List.of(segment));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
        return pending.size();
    }
}
