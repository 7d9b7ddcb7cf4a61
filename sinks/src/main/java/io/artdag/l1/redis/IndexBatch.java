package io.artdag.l1.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.Internal;

/**
 * {@link RedisIndex}'s lookups and claims for many contents at once, one round trip each: {@link
 * #ipfsCids} is one {@code HMGET} on {@code ipfs_index}, {@link #claimEach} one script call that
 * runs artdag's claim ({@link RedisIndex#claim}: same key, owner JSON and TTL) on every key. Errors
 * as {@link RedisIndex}'s; a claim key holding an unreadable value fails only its own {@link
 * ClaimAnswer}.
 */
@Internal
public final class IndexBatch {
    private final RedisIndex index;

    public IndexBatch(RedisIndex index) {
        this.index = Objects.requireNonNull(index, "index");
    }

    /**
     * {@code HMGET ipfs_index contentHashes...}: the CIDs {@code ipfs_index} names, by content hash
     * (contents it does not name are absent).
     */
    public Map<String, String> ipfsCids(Collection<String> contentHashes) {
        Map<String, String> out = new LinkedHashMap<>();
        if (contentHashes.isEmpty()) {
            return out;
        }
        String[] fields = new String[contentHashes.size()];
        int i = 0;
        for (String h : contentHashes) {
            fields[i++] = RedisCalls.requireId("contentHash", h);
        }
        List<String> cids = index.calls().call("HMGET", r -> r.hmget(index.ipfsIndexKey(), fields));
        for (int k = 0; k < fields.length; k++) {
            String cid = cids.get(k);
            if (cid != null) {
                out.put(fields[k], cid);
            }
        }
        return out;
    }

    /**
     * artdag's claim ({@link RedisIndex#claim(String, String)}) of each of {@code cacheIds} for
     * {@code owner}, in one atomic script call; answers in the order of {@code cacheIds}.
     */
    public List<ClaimAnswer> claimEach(List<String> cacheIds, String owner) {
        RedisCalls.requireId("owner", owner);
        List<ClaimAnswer> out = new ArrayList<>(cacheIds.size());
        if (cacheIds.isEmpty()) {
            return out;
        }
        RedisCalls calls = index.calls();
        String now = calls.now();
        List<String> keys = new ArrayList<>(cacheIds.size());
        List<String> args = new ArrayList<>(cacheIds.size() + 2);
        args.add(owner);
        args.add(Long.toString(index.options().claimTtl().toMillis()));
        for (String id : cacheIds) {
            keys.add(index.claimKey(id));
            args.add(index.claimValue(id, owner, Map.of(), now));
        }
        List<String> r =
                RedisCalls.strings(
                        "claimEach",
                        calls.eval("claimEach", RedisScripts.CLAIM_EACH_LUA, keys, args));
        if (r.size() != 2 * cacheIds.size()) {
            throw new RedisIndexException(
                    "unexpected answer to claimEach: "
                            + r.size()
                            + " values for "
                            + cacheIds.size()
                            + " claims");
        }
        for (int i = 0; i < cacheIds.size(); i++) {
            String id = cacheIds.get(i);
            String outcome = r.get(2 * i);
            String value = r.get(2 * i + 1);
            if ("CORRUPT".equals(outcome)) {
                out.add(
                        new ClaimAnswer(
                                id,
                                null,
                                new RedisIndexException(
                                        "claim "
                                                + keys.get(i)
                                                + " holds an unreadable value: "
                                                + value)));
            } else {
                out.add(
                        new ClaimAnswer(
                                id,
                                new ClaimResult(
                                        ClaimResult.Outcome.valueOf(outcome),
                                        Optional.of(index.toClaim(id, value))),
                                null));
            }
        }
        return out;
    }

    /**
     * One content's claim in a {@link #claimEach} batch: its result, or the error that keeps it
     * from having one.
     */
    @Internal
    public record ClaimAnswer(String cacheId, ClaimResult result, RedisIndexException error) {
        /** The result; throws {@link #error} when the claim key held an unreadable value. */
        public ClaimResult get() {
            if (error != null) {
                throw error;
            }
            return result;
        }
    }
}
