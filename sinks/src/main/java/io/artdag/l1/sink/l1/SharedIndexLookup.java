package io.artdag.l1.sink.l1;

import io.artdag.l1.operators.HashedFile;
import io.artdag.l1.postgres.PublishedContents;
import io.artdag.l1.redis.IndexBatch;
import io.artdag.l1.redis.RedisIndex;
import io.artdag.l1.sink.l1.SharedIndexAnswers.Answer;
import io.artdag.l1.sink.l1.SharedIndexAnswers.Answers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * l1 mode, before Dedup (Flink async I/O): asks the shared index whether any job already stored the
 * content (Redis' {@code ipfs_index}, then artdag's PostgreSQL {@code cache_items} for what Redis
 * does not name); if not, claims it ({@code artdag:claim:{content_hash}}, artdag's Lua claim, owner
 * = this run) so that two jobs over overlapping inputs never both store it. While another job holds
 * the claim, the content is marked {@link HashedFile#heldElsewhere}: Dedup keeps it pending and
 * re-checks it ({@link SharedIndexClaims}) until that job publishes it or its claim ends. Content
 * that either index names is marked {@link HashedFile#cached}; Dedup then records a sighting and
 * writes nothing.
 *
 * <p>Lookups are batched: the contents that arrive within {@code linger} of the first one, up to
 * {@code maxBatch}, are answered together ({@link SharedIndexAnswers}: one {@code HMGET}, one
 * PostgreSQL query, one claim script call), on one of {@code threads} threads. A batch is sent when
 * it is full or when its first content has waited {@code linger}, never later. While Redis or
 * PostgreSQL is unreachable the batch is asked again every {@value #POLL_MILLIS} ms; the async
 * operator's timeout ({@code l1.claim.wait}) bounds it, and a batch stops asking once all its
 * contents have timed out. Other errors fail the batch's contents with the error.
 *
 * <p>Counters: {@code cachedElsewhere} (contents either index names), {@code cachedInPostgres} (of
 * those, the ones only PostgreSQL names), {@code claimedElsewhere} (held by another job), {@code
 * lookupBatches} (batches answered) and {@code lookupRetries} (batch attempts a service outage
 * failed).
 */
@Internal
public class SharedIndexLookup extends RichAsyncFunction<HashedFile, HashedFile> {
    private static final long serialVersionUID = 1L;
    private static final long POLL_MILLIS = 500;

    /** Contents answered together at most. */
    public static final int DEFAULT_MAX_BATCH = 256;

    /** How long the first content of a batch waits for more at most. */
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(5);

    /** Upper bound of {@code maxBatch}: one claim script call runs atomically in Redis. */
    public static final int MAX_BATCH_LIMIT = 1000;

    private final L1Settings settings;
    private final int threads;
    private final int maxBatch;
    private final Duration linger;
    private final boolean postgresFallback;

    private transient RedisIndex redis;
    private transient PublishedContents postgres;
    private transient SharedIndexAnswers index;
    private transient ExecutorService pool;
    private transient ScheduledExecutorService timer;
    private transient Object lock;
    private transient List<Pending> open;
    private transient ScheduledFuture<?> lingering;
    private transient Map<ResultFuture<HashedFile>, Pending> inFlight;
    private transient Counter cachedElsewhere;
    private transient Counter cachedInPostgres;
    private transient Counter claimedElsewhere;
    private transient Counter lookupBatches;
    private transient Counter lookupRetries;

    /** Batches of up to {@value #DEFAULT_MAX_BATCH}, 5 ms linger, PostgreSQL asked too. */
    public SharedIndexLookup(L1Settings settings, int threads) {
        this(settings, threads, DEFAULT_MAX_BATCH, DEFAULT_LINGER, true);
    }

    /**
     * @param threads batches asked at once
     * @param maxBatch contents answered together at most (1 to {@value #MAX_BATCH_LIMIT})
     * @param linger how long a batch's first content waits for more at most (positive)
     * @param postgresFallback whether contents Redis does not name are looked up in PostgreSQL's
     *     {@code cache_items} ({@code settings.postgres()}) before they are claimed
     */
    public SharedIndexLookup(
            L1Settings settings,
            int threads,
            int maxBatch,
            Duration linger,
            boolean postgresFallback) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (maxBatch < 1 || maxBatch > MAX_BATCH_LIMIT) {
            throw new IllegalArgumentException(
                    "maxBatch must be 1 to " + MAX_BATCH_LIMIT + ", got " + maxBatch);
        }
        if (linger == null || linger.isNegative() || linger.isZero()) {
            throw new IllegalArgumentException("linger must be positive, got " + linger);
        }
        this.settings = settings;
        this.threads = threads;
        this.maxBatch = maxBatch;
        this.linger = linger;
        this.postgresFallback = postgresFallback;
    }

    @Override
    public void open(OpenContext openContext) {
        redis = new RedisIndex(settings.redis());
        postgres = postgresFallback ? new PublishedContents(settings.postgres()) : null;
        index = new SharedIndexAnswers(new IndexBatch(redis), postgres, settings.owner());
        pool = Executors.newFixedThreadPool(threads, daemon("l1-shared-index-lookup"));
        timer = Executors.newSingleThreadScheduledExecutor(daemon("l1-shared-index-linger"));
        lock = new Object();
        open = new ArrayList<>();
        inFlight = Collections.synchronizedMap(new IdentityHashMap<>());
        MetricGroup m = getRuntimeContext().getMetricGroup();
        cachedElsewhere = m.counter("cachedElsewhere", new ThreadSafeSimpleCounter());
        cachedInPostgres = m.counter("cachedInPostgres", new ThreadSafeSimpleCounter());
        claimedElsewhere = m.counter("claimedElsewhere", new ThreadSafeSimpleCounter());
        lookupBatches = m.counter("lookupBatches", new ThreadSafeSimpleCounter());
        lookupRetries = m.counter("lookupRetries", new ThreadSafeSimpleCounter());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** One content waiting for its answer; completed once, by its batch or by its timeout. */
    private static final class Pending {
        final HashedFile in;
        final ResultFuture<HashedFile> out;
        final AtomicBoolean done = new AtomicBoolean();

        Pending(HashedFile in, ResultFuture<HashedFile> out) {
            this.in = in;
            this.out = out;
        }
    }

    @Override
    public void asyncInvoke(HashedFile in, ResultFuture<HashedFile> out) {
        Pending p = new Pending(in, out);
        inFlight.put(out, p);
        List<Pending> full = null;
        synchronized (lock) {
            open.add(p);
            if (open.size() >= maxBatch) {
                full = takeOpen();
            } else if (open.size() == 1) {
                lingering =
                        timer.schedule(
                                this::flushLingering, linger.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        if (full != null) {
            submit(full);
        }
    }

    /** The batch being filled, which a new one replaces. Called holding {@link #lock}. */
    private List<Pending> takeOpen() {
        List<Pending> batch = open;
        open = new ArrayList<>();
        if (lingering != null) {
            lingering.cancel(false);
            lingering = null;
        }
        return batch;
    }

    private void flushLingering() {
        List<Pending> batch;
        synchronized (lock) {
            if (open.isEmpty()) {
                return;
            }
            batch = takeOpen();
        }
        submit(batch);
    }

    private void submit(List<Pending> batch) {
        try {
            pool.execute(() -> answer(batch));
        } catch (RejectedExecutionException e) {
            fail(batch, new IOException("the shared-index lookup is closed", e));
        }
    }

    /** Asks about {@code batch} until it has its answers, waiting outages out. */
    private void answer(List<Pending> batch) {
        while (true) {
            List<Pending> live = new ArrayList<>(batch.size());
            Set<String> hashes = new LinkedHashSet<>();
            for (Pending p : batch) {
                if (!p.done.get()) {
                    live.add(p);
                    hashes.add(p.in.contentHash);
                }
            }
            if (live.isEmpty()) {
                return; // every content timed out
            }
            try {
                Answers a = index.decide(hashes);
                lookupBatches.inc();
                for (Pending p : live) {
                    complete(p, a);
                }
                return;
            } catch (RuntimeException e) {
                if (!ServiceFailures.isTransient(e)) {
                    fail(live, e);
                    return;
                }
                lookupRetries.inc(); // waited out; the async timeout bounds it
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(live, e);
                return;
            }
        }
    }

    private void complete(Pending p, Answers a) {
        RuntimeException error = a.failed().get(p.in.contentHash);
        Answer answer = a.answers().get(p.in.contentHash);
        if (error != null || answer == null) {
            fail(List.of(p), error != null ? error : new IllegalStateException("no answer"));
            return;
        }
        if (!p.done.compareAndSet(false, true)) {
            return;
        }
        inFlight.remove(p.out);
        switch (answer) {
            case CACHED_IN_POSTGRES -> {
                cachedInPostgres.inc();
                cached(p.in);
            }
            case CACHED_IN_REDIS -> cached(p.in);
            case HELD_ELSEWHERE -> {
                // Another running job is storing it. Waiting here would block this task's
                // checkpoints once its input ends (the async operator waits for its in-flight
                // records in endInput), while the other job may be waiting on a claim of ours: a
                // deadlock. Dedup keeps it pending instead and re-checks it on a timer
                // (SharedIndexClaims).
                claimedElsewhere.inc();
                p.in.heldElsewhere = true;
            }
            case OURS -> {}
        }
        p.out.complete(List.of(p.in));
    }

    private void cached(HashedFile in) {
        cachedElsewhere.inc();
        in.cached = true;
    }

    private void fail(List<Pending> batch, Throwable e) {
        for (Pending p : batch) {
            if (p.done.compareAndSet(false, true)) {
                inFlight.remove(p.out);
                p.out.completeExceptionally(
                        new IOException(
                                p.in.path
                                        + ": content "
                                        + p.in.contentHash
                                        + ": the shared-index lookup failed: "
                                        + e.getMessage(),
                                e));
            }
        }
    }

    @Override
    public void timeout(HashedFile in, ResultFuture<HashedFile> out) {
        Pending p = inFlight.remove(out);
        if (p != null && !p.done.compareAndSet(false, true)) {
            return; // answered meanwhile
        }
        out.completeExceptionally(
                new TimeoutException(
                        in.path
                                + ": content "
                                + in.contentHash
                                + ": Redis or PostgreSQL stayed unreachable for longer than "
                                + settings.claimWait()));
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (pool != null) {
            pool.shutdownNow();
        }
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
