package io.artdag.l1.sink.segment;

import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreException;
import io.artdag.l1.store.StoreIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkCommitterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a checkpoint's sealed segments into the local store, in order, then records the contents,
 * sightings and rejections they carry. Idempotent: Flink commits restored committables again after
 * a restore, and a commit that already happened changes nothing.
 */
@Internal
public class SegmentCommitter implements Committer<SegmentCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentCommitter.class);

    private final Path storeRoot;
    private final int maxRetries;
    private final boolean retainLocal;
    private final FaultInjector faults;
    private LocalStore store;
    private final SegmentPublisher publisher;

    private final Counter segmentsCommitted;
    private final Counter commitRetries;
    private final AtomicLong sealToCommitMillis = new AtomicLong();

    SegmentCommitter(SegmentSink sink, Path storeRoot, SinkCommitterMetricGroup metrics) {
        this.storeRoot = storeRoot;
        this.maxRetries = sink.commitMaxRetries();
        this.retainLocal = sink.retainLocal();
        this.faults = sink.faultInjector();
        this.segmentsCommitted = metrics.counter("segmentsCommitted");
        this.commitRetries = metrics.counter("commitRetries");
        metrics.gauge("sealToCommitMillis", sealToCommitMillis::get);
        this.publisher =
                sink.publisher() == null
                        ? null
                        : sink.publisher().create(metrics, commitRetries::inc);
    }

    /**
     * Commits each request, retrying a failing one in place with backoff. When the retries are used
     * up the exception fails the task, so the job restores and commits again: a committable is
     * never dropped (Flink's {@code signalFailed...} would discard it, and {@code retryLater} is
     * not retried once the input has ended).
     */
    @Override
    public void commit(Collection<CommitRequest<SegmentCommittable>> requests)
            throws IOException, InterruptedException {
        for (CommitRequest<SegmentCommittable> request : requests) {
            SegmentCommittable c = request.getCommittable();
            long backoff = 100;
            for (int attempt = 0; ; attempt++) {
                try {
                    commitOne(c);
                    break;
                } catch (StoreException e) {
                    if (attempt >= maxRetries) {
                        throw e;
                    }
                    LOG.warn(
                            "Commit of {} failed (attempt {}), retrying in {} ms: {}",
                            c.segments(),
                            attempt + 1,
                            backoff,
                            e.getMessage());
                    commitRetries.inc();
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, 5_000);
                }
            }
        }
    }

    private void commitOne(SegmentCommittable c) throws IOException, InterruptedException {
        if (store == null) {
            store = LocalStore.open(storeRoot);
        }
        // One index transaction: the segments and the contents they make visible together.
        // A replay of segments already published and dropped has nothing left to publish.
        boolean toPublish = publisher != null && !store.keptRemotely(c.segments());
        List<StoreIndex.SegmentEntry> heldElsewhere = new ArrayList<>();
        for (SealedSegment h : c.handedOff()) {
            heldElsewhere.add(
                    new StoreIndex.SegmentEntry(h.name(), h.bytes(), h.roots(), List.of()));
        }
        store.commit(
                c.segments(),
                c.contents(),
                c.sightings(),
                c.rejections(),
                toPublish,
                heldElsewhere);
        segmentsCommitted.inc(c.segments().size());
        try {
            faults.duringCommit(c);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
        if (toPublish) {
            publisher.publish(
                    store,
                    new PublishBatch(c.segments(), c.contents(), c.sightings(), c.handedOff()));
            store.index().markPublished(c.segments());
            if (!retainLocal) {
                // Published and confirmed: IPFS holds the blocks, the index the contents.
                store.dropLocalCopies(c.segments());
            }
        }
        if (c.sealedAtMillis() > 0) {
            sealToCommitMillis.set(System.currentTimeMillis() - c.sealedAtMillis());
        }
    }

    @Override
    public void close() throws Exception {
        if (store != null) {
            store.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }
}
