package io.artdag.l1.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.apache.flink.annotation.Internal;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * artdag's Redis keys, on Jedis ({@link RedisClient}, pooled, thread-safe):
 *
 * <ul>
 *   <li>{@code {prefix}content_index} (hash: content_hash → node_id) and {@code {prefix}ipfs_index}
 *       (hash: content_hash → ipfs_cid), written together by {@link #putContent} / {@link
 *       #putContents}: idempotent, first mapping wins;
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

    static final String PUT_CONTENTS_LUA =
            """
            local res = {}
            for i = 1, #ARGV, 3 do
              local h, n, cid = ARGV[i], ARGV[i + 1], ARGV[i + 2]
              local cur = redis.call('HGET', KEYS[2], h)
              if cur and cur ~= cid then
                res[#res + 1] = 'CONFLICT'
                res[#res + 1] = redis.call('HGET', KEYS[1], h) or ''
                res[#res + 1] = cur
              else
                local added = 0
                if not cur then
                  redis.call('HSET', KEYS[2], h, cid)
                  added = 1
                end
                if redis.call('HSETNX', KEYS[1], h, n) == 1 then added = 1 end
                if added == 1 then res[#res + 1] = 'ADDED' else res[#res + 1] = 'UNCHANGED' end
                res[#res + 1] = redis.call('HGET', KEYS[1], h)
                res[#res + 1] = cid
              end
            end
            return res
            """;

    /** KEYS[1] claim key; ARGV owner, new claim JSON, claim TTL ms. */
    static final String CLAIM_LUA =
            """
            local data = redis.call('GET', KEYS[1])
            if data then
              local ok, c = pcall(cjson.decode, data)
              if not ok or type(c) ~= 'table' then return {'CORRUPT', data} end
              local s = c['status']
              if s == 'claimed' or s == 'running' then
                if c['worker_id'] == ARGV[1] then
                  redis.call('PEXPIRE', KEYS[1], ARGV[3])
                  return {'ALREADY_OURS', data}
                end
                return {'HELD_BY_OTHER', data}
              end
              if s == 'completed' or s == 'cached' or s == 'skipped' then
                return {'DONE', data}
              end
              if s ~= 'pending' and s ~= 'failed' then return {'CORRUPT', data} end
            end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return {'CLAIMED', ARGV[2]}
            """;

    /**
     * KEYS[1] claim key; ARGV owner, target status, TTL ms, now, allowed source statuses as
     * ",a,b,", extra fields JSON object.
     */
    static final String TRANSITION_LUA =
            """
            local data = redis.call('GET', KEYS[1])
            if not data then return {'MISSING', ''} end
            local ok, c = pcall(cjson.decode, data)
            if not ok or type(c) ~= 'table' then return {'CORRUPT', data} end
            if c['worker_id'] ~= ARGV[1] then return {'NOT_OWNER', data} end
            local s = c['status']
            if s == ARGV[2] and s ~= 'running' then return {'OK', data} end
            if type(s) ~= 'string' or not string.find(ARGV[5], ',' .. s .. ',', 1, true) then
              return {'ILLEGAL', data}
            end
            c['status'] = ARGV[2]
            c['updated_at'] = ARGV[4]
            local extra = cjson.decode(ARGV[6])
            for k, v in pairs(extra) do c[k] = v end
            local out = cjson.encode(c)
            redis.call('SET', KEYS[1], out, 'PX', ARGV[3])
            return {'OK', out}
            """;

    /** KEYS[1] run key; ARGV fields JSON, now, TTL ms (0: none). Merges, keeps started_at. */
    static final String RUN_STATUS_LUA =
            """
            local c = {}
            local data = redis.call('GET', KEYS[1])
            if data then
              local ok, d = pcall(cjson.decode, data)
              if ok and type(d) == 'table' then c = d end
            end
            if c['started_at'] == nil then c['started_at'] = ARGV[2] end
            for k, v in pairs(cjson.decode(ARGV[1])) do c[k] = v end
            c['updated_at'] = ARGV[2]
            local out = cjson.encode(c)
            if tonumber(ARGV[3]) > 0 then
              redis.call('SET', KEYS[1], out, 'PX', ARGV[3])
            else
              redis.call('SET', KEYS[1], out)
            end
            return out
            """;

    private static final int MAX_BATCH = 500;
    private static final TypeReference<LinkedHashMap<String, Object>> MAP =
            new TypeReference<>() {};

    private final RedisIndexOptions options;
    private final RedisClient redis;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();

    public RedisIndex(RedisIndexOptions options) {
        this(options, Clock.systemUTC());
    }

    RedisIndex(RedisIndexOptions options, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        DefaultJedisClientConfig.Builder cfg =
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis((int) options.connectTimeout().toMillis())
                        .socketTimeoutMillis((int) options.socketTimeout().toMillis())
                        .database(options.database())
                        .ssl(options.tls())
                        .clientName("artdag-l1");
        String userInfo = options.redisUrl().getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                cfg.password(userInfo);
            } else {
                if (colon > 0) {
                    cfg.user(userInfo.substring(0, colon));
                }
                cfg.password(userInfo.substring(colon + 1));
            }
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(options.maxConnections());
        pool.setMaxIdle(options.maxConnections());
        pool.setMaxWait(options.connectTimeout().plus(options.socketTimeout()));
        pool.setTestOnBorrow(false);
        pool.setTestWhileIdle(true);
        this.redis =
                RedisClient.builder()
                        .hostAndPort(options.host(), options.port())
                        .clientConfig(cfg.build())
                        .poolConfig(pool)
                        .build();
    }

    public RedisIndexOptions options() {
        return options;
    }

    // ------------------------------------------------------------------ keys

    public String contentIndexKey() {
        return options.keyPrefix() + "content_index";
    }

    public String ipfsIndexKey() {
        return options.keyPrefix() + "ipfs_index";
    }

    public String claimKey(String cacheId) {
        return options.keyPrefix() + "claim:" + requireId("cacheId", cacheId);
    }

    public String runKey(String runId) {
        return options.keyPrefix() + "run:" + requireId("runId", runId);
    }

    // ------------------------------------------------------------------ indexes

    /** {@code PING}; throws when Redis is unreachable. */
    public void ping() {
        call("PING", redis::ping);
    }

    /** Records one content in both indexes; see {@link #putContents}. */
    public PutResult putContent(String contentHash, String nodeId, String ipfsCid) {
        return putContents(List.of(new ContentMapping(contentHash, nodeId, ipfsCid))).get(0);
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
                    strings(
                            "putContents",
                            eval(
                                    "putContents",
                                    PUT_CONTENTS_LUA,
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
                call(
                        "HGET",
                        () -> redis.hget(ipfsIndexKey(), requireId("contentHash", contentHash))));
    }

    /** {@code HGET content_index contentHash}. */
    public Optional<String> nodeId(String contentHash) {
        return Optional.ofNullable(
                call(
                        "HGET",
                        () ->
                                redis.hget(
                                        contentIndexKey(), requireId("contentHash", contentHash))));
    }

    // ------------------------------------------------------------------ run status

    /**
     * Sets {@code run:{runId}} to a JSON object: the fields already there, then {@code fields},
     * {@code run_id}, {@code status} and {@code updated_at} (now); {@code started_at} is set by the
     * first call. TTL {@code runStatusTtl} when configured.
     */
    public Map<String, Object> setRunStatus(
            String runId, String status, Map<String, String> fields) {
        return setRunStatus(runId, status, fields, options.runStatusTtl().orElse(null));
    }

    /**
     * As {@link #setRunStatus(String, String, Map)}, with the key's TTL given: null or zero removes
     * any TTL (a running run), positive sets it (a run that has ended).
     */
    public Map<String, Object> setRunStatus(
            String runId, String status, Map<String, String> fields, Duration ttlOrNull) {
        requireId("status", status);
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("run_id", runId);
        all.put("status", status);
        long ttl = ttlOrNull == null ? 0L : ttlOrNull.toMillis();
        Object r =
                eval(
                        "setRunStatus",
                        RUN_STATUS_LUA,
                        List.of(runKey(runId)),
                        List.of(json(all), now(), Long.toString(ttl)));
        return parse(String.valueOf(r));
    }

    /** The run status JSON of {@code runId}, if any. */
    public Optional<Map<String, Object>> runStatus(String runId) {
        String v = call("GET", () -> redis.get(runKey(runId)));
        return v == null ? Optional.empty() : Optional.of(parse(v));
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
        requireId("owner", owner);
        String now = now();
        Map<String, String> value = new LinkedHashMap<>(extra);
        value.put("cache_id", cacheId);
        value.put("status", ClaimStatus.CLAIMED.wire());
        value.put("worker_id", owner);
        value.put("claimed_at", now);
        value.put("updated_at", now);
        List<String> r =
                strings(
                        "claim",
                        eval(
                                "claim",
                                CLAIM_LUA,
                                List.of(claimKey(cacheId)),
                                List.of(
                                        owner,
                                        json(value),
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

    /**
     * Moves {@code owner}'s claim on {@code cacheId} to {@code to}: running from claimed or running
     * (a heartbeat that refreshes the TTL); completed, cached, failed or skipped from claimed or
     * running. Moving to the final status the claim already has is a no-op {@code OK} (replays
     * after a restore). The new TTL is {@code claimTtl} for running, {@code resultTtl} for final
     * statuses. {@code extra} fields (e.g. {@code ipfs_cid}, {@code error}) are merged in.
     */
    public TransitionResult transition(
            String cacheId, String owner, ClaimStatus to, Map<String, String> extra) {
        requireId("owner", owner);
        Objects.requireNonNull(to, "to");
        if (to != ClaimStatus.RUNNING && !to.terminal()) {
            throw new IllegalArgumentException(
                    "cannot transition to " + to.wire() + "; use claim() to take a claim");
        }
        // Every allowed move starts from an owned claim that is claimed or running.
        String from = ",claimed,running,";
        Duration ttl = to.terminal() ? options.resultTtl() : options.claimTtl();
        List<String> r =
                strings(
                        "transition",
                        eval(
                                "transition",
                                TRANSITION_LUA,
                                List.of(claimKey(cacheId)),
                                List.of(
                                        owner,
                                        to.wire(),
                                        Long.toString(ttl.toMillis()),
                                        now(),
                                        from,
                                        json(extra))));
        if ("CORRUPT".equals(r.get(0))) {
            throw new RedisIndexException(
                    "claim " + claimKey(cacheId) + " holds an unreadable value: " + r.get(1));
        }
        Optional<Claim> cur =
                r.get(1).isEmpty() ? Optional.empty() : Optional.of(toClaim(cacheId, r.get(1)));
        return new TransitionResult(TransitionResult.Outcome.valueOf(r.get(0)), cur);
    }

    public TransitionResult transition(String cacheId, String owner, ClaimStatus to) {
        return transition(cacheId, owner, to, Map.of());
    }

    /**
     * Releases every claim {@code owner} still holds (claimed or running): each moves to {@code
     * failed}, which artdag's claim lets any job take again. Completed claims are left alone. A job
     * that stops or fails calls this so that other jobs need not wait for the claim TTL.
     *
     * @return how many claims were released
     */
    public int releaseClaims(String owner) {
        requireId("owner", owner);
        String match = options.keyPrefix() + "claim:*";
        int prefix = (options.keyPrefix() + "claim:").length();
        int released = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            String from = cursor;
            ScanResult<String> page =
                    call("SCAN", () -> redis.scan(from, new ScanParams().match(match).count(1000)));
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
    public String deferredKey(String runId) {
        return options.keyPrefix() + "l1:deferred:" + requireId("runId", runId);
    }

    /**
     * Records that {@code runId} left {@code contentHash} (seen at {@code path}) to another job
     * that held its claim at the end of the input; see {@link #deferred}.
     */
    public void defer(String runId, String contentHash, String path) {
        call("HSET", () -> redis.hset(deferredKey(runId), contentHash, path));
    }

    /** What {@code runId} deferred and has not yet resolved: content hash to output path. */
    public Map<String, String> deferred(String runId) {
        return new LinkedHashMap<>(call("HGETALL", () -> redis.hgetAll(deferredKey(runId))));
    }

    /** Forgets that {@code runId} deferred {@code contentHash}. */
    public void resolveDeferred(String runId, String contentHash) {
        call("HDEL", () -> redis.hdel(deferredKey(runId), contentHash));
    }

    /** The claim on {@code cacheId}, if any. */
    public Optional<Claim> claimOf(String cacheId) {
        String v = call("GET", () -> redis.get(claimKey(cacheId)));
        return v == null ? Optional.empty() : Optional.of(toClaim(cacheId, v));
    }

    /** The remaining TTL of {@code key} in ms ({@code -2} absent, {@code -1} no TTL). */
    public long pttl(String key) {
        return call("PTTL", () -> redis.pttl(key));
    }

    @Override
    public void close() {
        redis.close();
    }

    // ------------------------------------------------------------------ plumbing

    private Claim toClaim(String cacheId, String json) {
        Map<String, Object> m = parse(json);
        Object s = m.get("status");
        Object owner = m.get("worker_id");
        return new Claim(
                cacheId,
                ClaimStatus.fromWire(s == null ? null : s.toString()),
                owner == null ? null : owner.toString(),
                m);
    }

    private Object eval(String what, String script, List<String> keys, List<String> args) {
        String sha = sha1(script);
        return call(
                what,
                () -> {
                    try {
                        return redis.evalsha(sha, keys, args);
                    } catch (JedisNoScriptException e) {
                        return redis.eval(script, keys, args);
                    }
                });
    }

    private <T> T call(String what, Supplier<T> op) {
        try {
            return op.get();
        } catch (JedisConnectionException e) {
            throw new RedisUnavailableException(
                    "Redis at "
                            + options.host()
                            + ":"
                            + options.port()
                            + " unavailable during "
                            + what
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (JedisException e) {
            throw new RedisIndexException("Redis " + what + " failed: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(String what, Object r) {
        if (!(r instanceof List<?> l) || l.isEmpty()) {
            throw new RedisIndexException("unexpected answer to " + what + ": " + r);
        }
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(
                    o instanceof byte[] b
                            ? new String(b, StandardCharsets.UTF_8)
                            : String.valueOf(o));
        }
        return out;
    }

    private String now() {
        return Instant.now(clock).toString();
    }

    private String json(Map<String, String> m) {
        try {
            return mapper.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> parse(String json) {
        try {
            return mapper.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new RedisIndexException("unreadable JSON in Redis: " + json, e);
        }
    }

    static String sha1(String script) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-1")
                                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String requireId(String name, String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " must not be null or blank");
        }
        return v;
    }
}
