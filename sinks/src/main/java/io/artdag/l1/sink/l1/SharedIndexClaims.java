package io.artdag.l1.sink.l1;

import io.artdag.l1.operators.ClaimCheck;
import io.artdag.l1.redis.ClaimResult;
import io.artdag.l1.redis.RedisIndex;
import io.artdag.l1.redis.RedisUnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.function.Supplier;
import org.apache.flink.annotation.Internal;

/**
 * l1 mode's {@link ClaimCheck}: asks Redis again about a content another job had claimed. It is
 * stored elsewhere only when {@code ipfs_index} names it (a claim alone never makes it so); it is
 * this job's when artdag's claim lets this run take it (the other claim expired or was released).
 */
@Internal
public class SharedIndexClaims implements ClaimCheck {
    private static final long serialVersionUID = 1L;

    private final L1Settings settings;
    private transient RedisIndex redis;

    public SharedIndexClaims(L1Settings settings) {
        this.settings = settings;
    }

    @Override
    public void open() {
        redis = new RedisIndex(settings.redis());
    }

    @Override
    public Status check(String contentHash, boolean last) throws IOException {
        if (!last) {
            try {
                return checkOnce(contentHash);
            } catch (RedisUnavailableException e) {
                return Status.HELD; // asked again on the next timer
            }
        }
        return waitingOutOutages(contentHash, "ask Redis about it", () -> checkOnce(contentHash));
    }

    private Status checkOnce(String contentHash) {
        if (redis.ipfsCid(contentHash).isPresent()) {
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

    /** Runs {@code call}, retrying with backoff while Redis is unreachable, up to the limit. */
    private <T> T waitingOutOutages(String contentHash, String what, Supplier<T> call)
            throws IOException {
        long deadline = System.nanoTime() + settings.outageLimit().toNanos();
        long backoff = 200;
        while (true) {
            try {
                return call.get();
            } catch (RedisUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(
                            "content "
                                    + contentHash
                                    + ": could not "
                                    + what
                                    + ", Redis stayed unreachable for longer than "
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
    }
}
