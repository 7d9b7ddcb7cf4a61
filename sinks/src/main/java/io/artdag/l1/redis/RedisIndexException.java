package io.artdag.l1.redis;

import org.apache.flink.annotation.Internal;

/** A Redis call failed: a protocol or script error, or (subclass) Redis is unreachable. */
@Internal
public class RedisIndexException extends RuntimeException {
    public RedisIndexException(String message, Throwable cause) {
        super(message, cause);
    }

    public RedisIndexException(String message) {
        super(message);
    }
}
