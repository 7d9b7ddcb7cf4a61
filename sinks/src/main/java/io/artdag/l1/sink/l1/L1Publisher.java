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
    private final PinBackends pins;

    /** Publishes to Kubo, Redis and PostgreSQL only. */
    public L1Publisher(L1Settings settings) {
        this(settings, PinBackends.NONE);
    }

    /**
     * @param pins the pin backends beyond the local Kubo
     * @throws IllegalArgumentException naming the option when a setting is invalid
     */
    public L1Publisher(L1Settings settings, PinBackends pins) {
        this.settings = settings.validate();
        this.pins = pins;
    }

    @Override
    public StepPublisher create(MetricGroup metrics, Runnable retried) {
        AtomicLong importMillis = new AtomicLong();
        metrics.gauge("kuboImportMillis", importMillis::get);
        Counter importBytes = metrics.counter("kuboImportBytes");
        return steps(
                settings,
                pins,
                importMillis::set,
                importBytes::inc,
                retried,
                backend -> PinMetrics.of(metrics, backend));
    }

    /**
     * The steps in their order: Kubo's import and pins; the backends that must confirm; only then
     * what names the CID (Redis, PostgreSQL); last, the backends that are only tracked.
     */
    static StepPublisher steps(
            L1Settings settings,
            PinBackends pins,
            java.util.function.LongConsumer importMillis,
            java.util.function.LongConsumer importBytes,
            Runnable retried,
            java.util.function.Function<String, PinMetrics> pinMetrics) {
        L1Clients clients = new L1Clients(settings, pins);
        List<PublishStep> durable = new java.util.ArrayList<>();
        List<PublishStep> tracked = new java.util.ArrayList<>();
        durable.add(new KuboImportStep(clients, importMillis, importBytes));
        if (pins.cluster() != null) {
            boolean req = pins.requires(PinBackends.CLUSTER);
            (req ? durable : tracked)
                    .add(new ClusterPinStep(clients, req, pinMetrics.apply(PinBackends.CLUSTER)));
        }
        if (pins.service() != null) {
            boolean req = pins.requires(PinBackends.SERVICE);
            (req ? durable : tracked)
                    .add(
                            new PinningServiceStep(
                                    clients, req, pinMetrics.apply(PinBackends.SERVICE)));
        }
        List<PublishStep> all = new java.util.ArrayList<>(durable);
        all.add(new RedisIndexStep(clients));
        all.add(new ProvenanceStep(clients));
        all.add(new RunCacheStep(clients));
        all.addAll(tracked);
        return new StepPublisher(all, settings.outageLimit(), retried, clients);
    }

    /**
     * Asks the configured pin backends again about the pins {@code storage_pins} still has as
     * queued or pinning, and records what they say (what {@code l1 pins --refresh} does; a running
     * job does it at every commit).
     */
    public static void refreshPins(L1Settings settings, PinBackends pins)
            throws IOException, InterruptedException {
        PublishBatch nothing = new PublishBatch(List.of(), List.of(), List.of());
        try (L1Clients clients = new L1Clients(settings, pins)) {
            if (pins.cluster() != null) {
                new ClusterPinStep(clients, false, PinMetrics.none())
                        .publish(new PublishContext(null, nothing));
            }
            if (pins.service() != null) {
                new PinningServiceStep(clients, false, PinMetrics.none())
                        .publish(new PublishContext(null, nothing));
            }
        }
    }

    /**
     * Checks before a run that every configured pin backend answers and accepts its credentials, so
     * that a wrong token is one clear error at the start rather than a failing commit.
     *
     * @throws IllegalArgumentException naming the backend and the reason
     */
    public static void preflight(PinBackends pins) {
        try {
            if (pins.cluster() != null) {
                new io.artdag.l1.cluster.IpfsClusterClient(pins.cluster()).peers();
            }
            if (pins.service() != null) {
                new io.artdag.l1.cluster.PinningServiceClient(pins.service())
                        .findByCid(io.artdag.l1.ipld.Cid.EMPTY_IDENTITY.toString());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
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
    public static int publishPending(L1Settings settings, PinBackends pins, LocalStore store)
            throws IOException, InterruptedException {
        List<String> pending = store.index().unpublished();
        if (pending.isEmpty()) {
            return 0;
        }
        try (StepPublisher publisher =
                steps(settings, pins, ms -> {}, bytes -> {}, () -> {}, b -> PinMetrics.none())) {
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
