package io.artdag.l1.sink.l1;

import io.artdag.l1.postgres.PublishedContents;
import io.artdag.l1.redis.IndexBatch;
import io.artdag.l1.redis.IndexBatch.ClaimAnswer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shared index's answers for a batch of contents, in at most four round trips whatever the
 * batch's size: one {@code HMGET} on Redis' {@code ipfs_index}; for the contents it does not name,
 * one PostgreSQL query on artdag's {@code cache_items} (when a {@link PublishedContents} is given);
 * for those neither names, one script call that runs artdag's claim for this run on each; for
 * claims found finished (and only then), one more {@code HMGET}, as a finished claim is not an
 * index. Service errors propagate (the caller waits outages out and asks again: every step is
 * idempotent for this run, a claim it took before answers {@code ALREADY_OURS}); a claim key
 * holding an unreadable value fails only its content.
 */
final class SharedIndexAnswers {

    /** What the shared index says about one content. */
    enum Answer {
        /** {@code ipfs_index} names it: stored elsewhere. */
        CACHED_IN_REDIS,
        /** Only {@code cache_items} names it (with a CID): stored elsewhere. */
        CACHED_IN_POSTGRES,
        /** Neither names it and this run holds its claim: this run stores it. */
        OURS,
        /** Neither names it and another running job holds its claim. */
        HELD_ELSEWHERE
    }

    /**
     * The answers of a batch by content hash, and the contents that have none.
     *
     * @param answers every content asked about that did not fail
     * @param failed contents whose claim key holds an unreadable value, with the error
     */
    record Answers(Map<String, Answer> answers, Map<String, RuntimeException> failed) {}

    private final IndexBatch redis;
    private final PublishedContents postgres;
    private final String owner;

    /**
     * @param postgres where to look when Redis does not name a content; null: Redis only
     */
    SharedIndexAnswers(IndexBatch redis, PublishedContents postgres, String owner) {
        this.redis = redis;
        this.postgres = postgres;
        this.owner = owner;
    }

    Answers decide(Collection<String> contentHashes) {
        Map<String, Answer> out = new HashMap<>();
        Map<String, RuntimeException> failed = new HashMap<>();
        Set<String> unknown = new LinkedHashSet<>(contentHashes);
        for (String h : redis.ipfsCids(unknown).keySet()) {
            out.put(h, Answer.CACHED_IN_REDIS);
            unknown.remove(h);
        }
        if (postgres != null && !unknown.isEmpty()) {
            for (String h : postgres.ipfsCids(unknown).keySet()) {
                out.put(h, Answer.CACHED_IN_POSTGRES);
                unknown.remove(h);
            }
        }
        List<String> finished = new ArrayList<>();
        for (ClaimAnswer a : redis.claimEach(new ArrayList<>(unknown), owner)) {
            if (a.error() != null) {
                failed.put(a.cacheId(), a.error());
                continue;
            }
            switch (a.result().outcome()) {
                case CLAIMED, ALREADY_OURS -> out.put(a.cacheId(), Answer.OURS);
                case DONE -> finished.add(a.cacheId());
                case HELD_BY_OTHER -> out.put(a.cacheId(), Answer.HELD_ELSEWHERE);
            }
        }
        if (!finished.isEmpty()) {
            // A finished claim is not an index: only ipfs_index names content as stored. Asked
            // once more (it may have been published since).
            Map<String, String> published = redis.ipfsCids(finished);
            for (String h : finished) {
                out.put(h, published.containsKey(h) ? Answer.CACHED_IN_REDIS : Answer.OURS);
            }
        }
        return new Answers(out, failed);
    }
}
