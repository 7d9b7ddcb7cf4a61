package io.artdag.l1.redis;

/** A Redis call failed: a protocol or script error, or (subclass) Redis is unreachable. */
public class RedisIndexException extends RuntimeException {
    public RedisIndexException(String message, Throwable cause) {
        super(message, cause);
    }

    public RedisIndexException(String message) {
        super(message);
    }
}
