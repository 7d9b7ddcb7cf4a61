package io.artdag.l1.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * artdag's Redis keys, on Jedis ({@link RedisClient}, pooled, thread-safe):
 *
 * <ul>
 *   <li>{@code {prefix}content_index} (hash: content_hash → node_id) and {@code {prefix}ipfs_index}
 *       (hash: content_hash → ipfs_cid), written together by {@link #putContents}: idempotent,
 *       first mapping wins;
 *   <li>{@code {prefix}run:{run_id}}: the run status JSON ({@code run_id}, {@code status}, {@code
 *       started_at}, {@code updated_at}, anything else the caller adds), see {@link #setRunStatus};
 *   <li>{@code {prefix}claim:{cache_id}}: artdag's task claim, a JSON value with {@code cache_id},
 *       {@code status}, {@code worker_id} (the owner), {@code claimed_at}, {@code updated_at} and
 *       result fields. {@link #claim} takes it atomically (Lua) when it is absent (or expired),
 *       pending or failed; an owner that asks again gets {@link ClaimResult.Outcome#ALREADY_OURS}
 *       (so a job restored from a checkpoint, which keeps its owner id, recognises its own claims).
 *       {@link #transition} moves an owned claim on: claimed → running → completed, cached, failed
 *       or skipped (claimed may also go straight to a final status). Claimed and running claims
 *       live {@code claimTtl} (300 s), final ones {@code resultTtl} (3600 s).
 * </ul>
 *
 * <p>Errors are unchecked: {@link RedisUnavailableException} when Redis cannot be reached (retry
 * with backoff), {@link RedisIndexException} otherwise.
 */
@Internal
public final class RedisIndex implements AutoCloseable {
    private static final int MAX_BATCH = 500;

    private final RedisIndexOptions options;
    private final RedisCalls redis;

    public RedisIndex(RedisIndexOptions options) {
        this(options, Clock.systemUTC());
    }

    RedisIndex(RedisIndexOptions options, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.redis = new RedisCalls(options, Objects.requireNonNull(clock, "clock"));
    }

    RedisIndexOptions options() {
        return options;
    }

    /** How this index talks to Redis, for commands it does not send itself. */
    RedisCalls calls() {
        return redis;
    }

    // ------------------------------------------------------------------ keys

    String contentIndexKey() {
        return options.keyPrefix() + "content_index";
    }

    public String ipfsIndexKey() {
        return options.keyPrefix() + "ipfs_index";
    }

    String claimKey(String cacheId) {
        return options.keyPrefix() + "claim:" + RedisCalls.requireId("cacheId", cacheId);
    }

    String runKey(String runId) {
        return options.keyPrefix() + "run:" + RedisCalls.requireId("runId", runId);
    }

    // ------------------------------------------------------------------ indexes

    /** {@code PING}; throws when Redis is unreachable. */
    public void ping() {
        redis.call("PING", RedisClient::ping);
    }

    /**
     * Records contents in {@code content_index} and {@code ipfs_index}, atomically per batch of up
     * to 500. Idempotent: a content hash already mapped to the same CID is {@link
     * PutResult.Outcome#UNCHANGED} (its node id stays the first one written); one mapped to a
     * different CID is a {@link PutResult.Outcome#CONFLICT} and nothing is changed. Results are in
     * the order of {@code contents}.
     */
    public List<PutResult> putContents(List<ContentMapping> contents) {
        List<PutResult> out = new ArrayList<>(contents.size());
        for (int from = 0; from < contents.size(); from += MAX_BATCH) {
            List<ContentMapping> batch =
                    contents.subList(from, Math.min(contents.size(), from + MAX_BATCH));
            List<String> args = new ArrayList<>(batch.size() * 3);
            for (ContentMapping c : batch) {
                args.add(c.contentHash());
                args.add(c.nodeId());
                args.add(c.ipfsCid());
            }
            List<String> r =
                    RedisCalls.strings(
                            "putContents",
                            redis.eval(
                                    "putContents",
                                    RedisScripts.PUT_CONTENTS_LUA,
                                    List.of(contentIndexKey(), ipfsIndexKey()),
                                    args));
            for (int i = 0; i + 2 < r.size(); i += 3) {
                out.add(
                        new PutResult(
                                PutResult.Outcome.valueOf(r.get(i)), r.get(i + 1), r.get(i + 2)));
            }
        }
        return out;
    }

    /** {@code HGET ipfs_index contentHash}. */
    public Optional<String> ipfsCid(String contentHash) {
        return Optional.ofNullable(
                redis.call(
                        "HGET",
                        r ->
                                r.hget(
                                        ipfsIndexKey(),
                                        RedisCalls.requireId("contentHash", contentHash))));
    }

    // ------------------------------------------------------------------ run status
    /**
     * Sets {@code run:{runId}} to a JSON object: the fields already there, then {@code fields},
     * {@code run_id}, {@code status} and {@code updated_at} (now); {@code started_at} is set by the
     * first call. {@code ttlOrNull} is the key's TTL: null or zero removes any TTL (a running run),
     * positive sets it (a run that has ended).
     */
    public Map<String, Object> setRunStatus(
            String runId, String status, Map<String, String> fields, Duration ttlOrNull) {
        RedisCalls.requireId("status", status);
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("run_id", runId);
        all.put("status", status);
        long ttl = ttlOrNull == null ? 0L : ttlOrNull.toMillis();
        Object r =
                redis.eval(
                        "setRunStatus",
                        RedisScripts.RUN_STATUS_LUA,
                        List.of(runKey(runId)),
                        List.of(redis.json(all), redis.now(), Long.toString(ttl)));
        return redis.parse(String.valueOf(r));
    }

    // ------------------------------------------------------------------ claims

    /**
     * artdag's claim: atomically takes {@code claim:{cacheId}} for {@code owner} when it is absent
     * (or expired), pending or failed, with status {@code claimed} and TTL {@code claimTtl}. An
     * owner asking again for a claim it holds (claimed or running) gets {@code ALREADY_OURS} and
     * the TTL is refreshed; a claim held by another owner is {@code HELD_BY_OTHER}; a completed,
     * cached or skipped one is {@code DONE}.
     *
     * @param extra further string fields stored in a new claim (e.g. {@code content_hash})
     */
    public ClaimResult claim(String cacheId, String owner, Map<String, String> extra) {
        RedisCalls.requireId("owner", owner);
        String value = claimValue(cacheId, owner, extra, redis.now());
        List<String> r =
                RedisCalls.strings(
                        "claim",
                        redis.eval(
                                "claim",
                                RedisScripts.CLAIM_LUA,
                                List.of(claimKey(cacheId)),
                                List.of(
                                        owner,
                                        value,
                                        Long.toString(options.claimTtl().toMillis()))));
        if ("CORRUPT".equals(r.get(0))) {
            throw new RedisIndexException(
                    "claim " + claimKey(cacheId) + " holds an unreadable value: " + r.get(1));
        }
        return new ClaimResult(
                ClaimResult.Outcome.valueOf(r.get(0)), Optional.of(toClaim(cacheId, r.get(1))));
    }

    public ClaimResult claim(String cacheId, String owner) {
        return claim(cacheId, owner, Map.of());
    }

    /** The JSON value of a new claim: {@code extra}, then artdag's claim fields. */
    String claimValue(String cacheId, String owner, Map<String, String> extra, String now) {
        Map<String, String> value = new LinkedHashMap<>(extra);
        value.put("cache_id", cacheId);
        value.put("status", ClaimStatus.CLAIMED.wire());
        value.put("worker_id", owner);
        value.put("claimed_at", now);
        value.put("updated_at", now);
        return redis.json(value);
    }

    /**
     * Moves {@code owner}'s claim on {@code cacheId} to {@code to}: running from claimed or running
     * (a heartbeat that refreshes the TTL); completed, cached, failed or skipped from claimed or
     * running. Moving to the final status the claim already has is a no-op {@code OK} (replays
     * after a restore). The new TTL is {@code claimTtl} for running, {@code resultTtl} for final
     * statuses. {@code extra} fields (e.g. {@code ipfs_cid}, {@code error}) are merged in.
     */
    public TransitionResult transition(
            String cacheId, String owner, ClaimStatus to, Map<String, String> extra) {
        RedisCalls.requireId("owner", owner);
        Objects.requireNonNull(to, "to");
        if (to != ClaimStatus.RUNNING && !to.terminal()) {
            throw new IllegalArgumentException(
                    "cannot transition to " + to.wire() + "; use claim() to take a claim");
        }
        // Every allowed move starts from an owned claim that is claimed or running.
        String from = ",claimed,running,";
        Duration ttl = to.terminal() ? options.resultTtl() : options.claimTtl();
        List<String> r =
                RedisCalls.strings(
                        "transition",
                        redis.eval(
                                "transition",
                                RedisScripts.TRANSITION_LUA,
                                List.of(claimKey(cacheId)),
                                List.of(
                                        owner,
                                        to.wire(),
                                        Long.toString(ttl.toMillis()),
                                        redis.now(),
                                        from,
                                        redis.json(extra))));
        if ("CORRUPT".equals(r.get(0))) {
            throw new RedisIndexException(
                    "claim " + claimKey(cacheId) + " holds an unreadable value: " + r.get(1));
        }
        Optional<Claim> cur =
                r.get(1).isEmpty() ? Optional.empty() : Optional.of(toClaim(cacheId, r.get(1)));
        return new TransitionResult(TransitionResult.Outcome.valueOf(r.get(0)), cur);
    }

    /**
     * Releases every claim {@code owner} still holds (claimed or running): each moves to {@code
     * failed}, which artdag's claim lets any job take again. Completed claims are left alone. A job
     * that stops or fails calls this so that other jobs need not wait for the claim TTL.
     *
     * @return how many claims were released
     */
    public int releaseClaims(String owner) {
        RedisCalls.requireId("owner", owner);
        String match = options.keyPrefix() + "claim:*";
        int prefix = (options.keyPrefix() + "claim:").length();
        int released = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            String from = cursor;
            ScanResult<String> page =
                    redis.call(
                            "SCAN", r -> r.scan(from, new ScanParams().match(match).count(1000)));
            for (String key : page.getResult()) {
                TransitionResult t =
                        transition(
                                key.substring(prefix),
                                owner,
                                ClaimStatus.FAILED,
                                Map.of("error", "released: the job holding it stopped"));
                if (t.outcome() == TransitionResult.Outcome.OK) {
                    released++;
                }
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return released;
    }

    /** The hash of contents {@code runId} deferred (content hash to output path). */
    String deferredKey(String runId) {
        return options.keyPrefix() + "l1:deferred:" + RedisCalls.requireId("runId", runId);
    }

    /**
     * Records that {@code runId} left {@code contentHash} (seen at {@code path}) to another job
     * that held its claim at the end of the input; see {@link #deferred}.
     */
    public void defer(String runId, String contentHash, String path) {
        redis.call("HSET", r -> r.hset(deferredKey(runId), contentHash, path));
    }

    /** What {@code runId} deferred and has not yet resolved: content hash to output path. */
    public Map<String, String> deferred(String runId) {
        return new LinkedHashMap<>(redis.call("HGETALL", r -> r.hgetAll(deferredKey(runId))));
    }

    /** Forgets that {@code runId} deferred {@code contentHash}. */
    public void resolveDeferred(String runId, String contentHash) {
        redis.call("HDEL", r -> r.hdel(deferredKey(runId), contentHash));
    }

    /** The claim on {@code cacheId}, if any. */
    public Optional<Claim> claimOf(String cacheId) {
        String v = redis.call("GET", r -> r.get(claimKey(cacheId)));
        return v == null ? Optional.empty() : Optional.of(toClaim(cacheId, v));
    }

    @Override
    public void close() {
        redis.close();
    }

    // ------------------------------------------------------------------ plumbing

    Claim toClaim(String cacheId, String json) {
        Map<String, Object> m = redis.parse(json);
        Object s = m.get("status");
        Object owner = m.get("worker_id");
        return new Claim(
                cacheId,
                ClaimStatus.fromWire(s == null ? null : s.toString()),
                owner == null ? null : owner.toString(),
                m);
    }
}
