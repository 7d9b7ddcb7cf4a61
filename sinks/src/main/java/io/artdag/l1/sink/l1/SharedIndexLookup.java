package io.artdag.l1.sink.l1;

import io.artdag.l1.operators.HashedFile;
import io.artdag.l1.redis.ClaimResult;
import io.artdag.l1.redis.RedisIndex;
import io.artdag.l1.redis.RedisUnavailableException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * l1 mode, before Dedup (Flink async I/O): asks Redis whether any job already stored the content
 * ({@code ipfs_index}); if not, claims it ({@code artdag:claim:{content_hash}}, artdag's Lua claim,
 * owner = this run) so that two jobs over overlapping inputs never both store it. While another job
 * holds the claim, the content is marked {@link HashedFile#heldElsewhere}: Dedup keeps it pending
 * and re-checks it ({@link SharedIndexClaims}) until that job publishes it or its claim ends.
 * Content that {@code ipfs_index} names is marked {@link HashedFile#cached}; Dedup then records a
 * sighting and writes nothing.
 */
@Internal
public class SharedIndexLookup extends RichAsyncFunction<HashedFile, HashedFile> {
    private static final long serialVersionUID = 1L;
    private static final long POLL_MILLIS = 500;

    private final L1Settings settings;
    private final int threads;

    private transient RedisIndex redis;
    private transient ExecutorService pool;
    private transient Counter cachedElsewhere;
    private transient Counter claimedElsewhere;

    public SharedIndexLookup(L1Settings settings, int threads) {
        this.settings = settings;
        this.threads = threads;
    }

    @Override
    public void open(OpenContext openContext) {
        redis = new RedisIndex(settings.redis());
        pool =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, "l1-shared-index-lookup");
                            t.setDaemon(true);
                            return t;
                        });
        cachedElsewhere = getRuntimeContext().getMetricGroup().counter("cachedElsewhere");
        claimedElsewhere = getRuntimeContext().getMetricGroup().counter("claimedElsewhere");
    }

    @Override
    public void asyncInvoke(HashedFile in, ResultFuture<HashedFile> out) {
        pool.execute(
                () -> {
                    try {
                        out.complete(List.of(decide(in)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        out.completeExceptionally(e);
                    } catch (Exception e) {
                        out.completeExceptionally(e);
                    }
                });
    }

    private HashedFile decide(HashedFile in) throws InterruptedException {
        while (true) {
            try {
                if (redis.ipfsCid(in.contentHash).isPresent()) {
                    return cached(in);
                }
                ClaimResult claim = redis.claim(in.contentHash, settings.owner());
                switch (claim.outcome()) {
                    case CLAIMED:
                    case ALREADY_OURS:
                        return in;
                    case DONE:
                        // A finished claim is not an index: only ipfs_index names content as
                        // stored. Asked once more (it may have been published since).
                        return redis.ipfsCid(in.contentHash).isPresent() ? cached(in) : in;
                    case HELD_BY_OTHER:
                    default:
                        // Another running job is storing it. Waiting here would block this
                        // task's checkpoints once its input ends (the async operator waits for
                        // its in-flight records in endInput), while the other job may be waiting
                        // on a claim of ours: a deadlock. Dedup keeps it pending instead and
                        // re-checks it on a timer (SharedIndexClaims).
                        claimedElsewhere.inc();
                        in.heldElsewhere = true;
                        return in;
                }
            } catch (RedisUnavailableException e) {
                // waited out like any outage; the async timeout bounds it
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private HashedFile cached(HashedFile in) {
        cachedElsewhere.inc();
        in.cached = true;
        return in;
    }

    @Override
    public void timeout(HashedFile in, ResultFuture<HashedFile> out) {
        out.completeExceptionally(
                new TimeoutException(
                        in.path
                                + ": content "
                                + in.contentHash
                                + ": Redis stayed unreachable for longer than "
                                + settings.claimWait()));
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
