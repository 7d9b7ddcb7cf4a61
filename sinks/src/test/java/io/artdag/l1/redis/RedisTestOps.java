package io.artdag.l1.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link RedisIndex} calls only tests make, on the index's own connections and errors: one
 * content's put, the node id index, the run status with the configured TTL and its read, a
 * transition without extra fields and a key's TTL.
 */
public final class RedisTestOps {
    private RedisTestOps() {}

    /** Records one content in both indexes; see {@link RedisIndex#putContents}. */
    public static PutResult putContent(
            RedisIndex index, String contentHash, String nodeId, String ipfsCid) {
        return index.putContents(List.of(new ContentMapping(contentHash, nodeId, ipfsCid))).get(0);
    }

    /** {@code HGET content_index contentHash}. */
    public static Optional<String> nodeId(RedisIndex index, String contentHash) {
        return Optional.ofNullable(
                index.calls()
                        .call(
                                "HGET",
                                r ->
                                        r.hget(
                                                index.contentIndexKey(),
                                                RedisCalls.requireId("contentHash", contentHash))));
    }

    /**
     * {@link RedisIndex#setRunStatus(String, String, Map, Duration)} with TTL {@code runStatusTtl}
     * when configured.
     */
    public static Map<String, Object> setRunStatus(
            RedisIndex index, String runId, String status, Map<String, String> fields) {
        return index.setRunStatus(
                runId, status, fields, index.options().runStatusTtl().orElse(null));
    }

    /** The run status JSON of {@code runId}, if any. */
    public static Optional<Map<String, Object>> runStatus(RedisIndex index, String runId) {
        RedisCalls redis = index.calls();
        String v = redis.call("GET", r -> r.get(index.runKey(runId)));
        return v == null ? Optional.empty() : Optional.of(redis.parse(v));
    }

    /** {@link RedisIndex#transition(String, String, ClaimStatus, Map)} without extra fields. */
    public static TransitionResult transition(
            RedisIndex index, String cacheId, String owner, ClaimStatus to) {
        return index.transition(cacheId, owner, to, Map.of());
    }

    /** The remaining TTL of {@code key} in ms ({@code -2} absent, {@code -1} no TTL). */
    public static long pttl(RedisIndex index, String key) {
        return index.calls().call("PTTL", r -> r.pttl(key));
    }
}
