package io.artdag.l1.sink.l1;

import io.artdag.l1.operators.ClaimCheck;
import io.artdag.l1.postgres.PublishedContents;
import io.artdag.l1.redis.ClaimResult;
import io.artdag.l1.redis.RedisIndex;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.function.Supplier;
import org.apache.flink.annotation.Internal;

/**
 * l1 mode's {@link ClaimCheck}: asks Redis again about a content another job had claimed. It is
 * stored elsewhere only when {@code ipfs_index} names it, or artdag's PostgreSQL {@code
 * cache_items} does (with a CID), as {@link SharedIndexLookup} decides (a claim alone never makes
 * it so); it is this job's when artdag's claim lets this run take it (the other claim expired or
 * was released). Outages of Redis and PostgreSQL are waited out alike ({@link ServiceFailures}).
 */
@Internal
public class SharedIndexClaims implements ClaimCheck {
    private static final long serialVersionUID = 1L;

    private final L1Settings settings;
    private final boolean postgresFallback;
    private transient RedisIndex redis;
    private transient PublishedContents postgres;

    /** Asks PostgreSQL too, as {@link SharedIndexLookup#SharedIndexLookup(L1Settings, int)}. */
    public SharedIndexClaims(L1Settings settings) {
        this(settings, true);
    }

    /**
     * @param postgresFallback whether PostgreSQL's {@code cache_items} is asked about contents
     *     Redis does not name (as the {@link SharedIndexLookup} before Dedup is configured)
     */
    public SharedIndexClaims(L1Settings settings, boolean postgresFallback) {
        this.settings = settings;
        this.postgresFallback = postgresFallback;
    }

    @Override
    public void open() {
        redis = new RedisIndex(settings.redis());
        postgres = postgresFallback ? new PublishedContents(settings.postgres()) : null;
    }

    @Override
    public Status check(String contentHash, boolean last) throws IOException {
        if (!last) {
            try {
                return checkOnce(contentHash);
            } catch (RuntimeException e) {
                if (!ServiceFailures.isTransient(e)) {
                    throw e;
                }
                return Status.HELD; // asked again on the next timer
            }
        }
        return waitingOutOutages(
                contentHash, "ask Redis and PostgreSQL about it", () -> checkOnce(contentHash));
    }

    private Status checkOnce(String contentHash) {
        if (redis.ipfsCid(contentHash).isPresent()) {
            return Status.STORED_ELSEWHERE;
        }
        if (postgres != null && !postgres.ipfsCids(List.of(contentHash)).isEmpty()) {
            return Status.STORED_ELSEWHERE;
        }
        ClaimResult claim = redis.claim(contentHash, settings.owner());
        switch (claim.outcome()) {
            case CLAIMED:
            case ALREADY_OURS:
                return Status.OURS;
            case DONE:
                return redis.ipfsCid(contentHash).isPresent()
                        ? Status.STORED_ELSEWHERE
                        : Status.OURS;
            case HELD_BY_OTHER:
            default:
                return Status.HELD;
        }
    }

    @Override
    public void defer(String contentHash, String path) throws IOException {
        waitingOutOutages(
                contentHash,
                "record it as deferred",
                () -> {
                    redis.defer(settings.owner(), contentHash, path);
                    return null;
                });
    }

    /**
     * Runs {@code call}, retrying with backoff while Redis or PostgreSQL is unreachable, up to the
     * limit.
     */
    private <T> T waitingOutOutages(String contentHash, String what, Supplier<T> call)
            throws IOException {
        long deadline = System.nanoTime() + settings.outageLimit().toNanos();
        long backoff = 200;
        while (true) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (!ServiceFailures.isTransient(e)) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(
                            "content "
                                    + contentHash
                                    + ": could not "
                                    + what
                                    + ", a service stayed unreachable for longer than "
                                    + settings.outageLimit()
                                    + ": "
                                    + e.getMessage(),
                            e);
                }
            }
            sleep(backoff);
            backoff = Math.min(backoff * 2, 5000);
        }
    }

    private static void sleep(long ms) throws InterruptedIOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for Redis");
        }
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
