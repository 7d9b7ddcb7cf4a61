package io.artdag.l1.redis;

import org.apache.flink.annotation.Internal;

/** Redis cannot be reached or did not answer in time: retry with backoff. */
@Internal
public class RedisUnavailableException extends RedisIndexException {
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
