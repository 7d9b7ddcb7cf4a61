package io.artdag.l1.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * How {@link RedisIndex} talks to Redis: a pooled Jedis {@link RedisClient} built from the options,
 * commands whose Jedis failures become {@link RedisUnavailableException} (Redis unreachable) or
 * {@link RedisIndexException}, Lua scripts run by SHA-1, and the JSON of the values it stores.
 * Thread-safe.
 */
final class RedisCalls implements AutoCloseable {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP =
            new TypeReference<>() {};

    private final RedisIndexOptions options;
    private final RedisClient redis;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();

    RedisCalls(RedisIndexOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
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

    /** Runs {@code op} (the command {@code what}) on the client, translating Jedis failures. */
    <T> T call(String what, Function<RedisClient, T> op) {
        try {
            return op.apply(redis);
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

    /** {@code EVALSHA} of {@code script}, or {@code EVAL} when Redis does not have it yet. */
    Object eval(String what, String script, List<String> keys, List<String> args) {
        String sha = sha1(script);
        return call(
                what,
                r -> {
                    try {
                        return r.evalsha(sha, keys, args);
                    } catch (JedisNoScriptException e) {
                        return r.eval(script, keys, args);
                    }
                });
    }

    /** A script's answer as strings; anything but a non-empty list is an error. */
    @SuppressWarnings("unchecked")
    static List<String> strings(String what, Object r) {
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

    String now() {
        return Instant.now(clock).toString();
    }

    String json(Map<String, String> m) {
        try {
            return mapper.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, Object> parse(String json) {
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

    static String requireId(String name, String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " must not be null or blank");
        }
        return v;
    }

    @Override
    public void close() {
        redis.close();
    }
}
