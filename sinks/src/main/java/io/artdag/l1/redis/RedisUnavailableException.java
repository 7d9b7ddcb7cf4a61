package io.artdag.l1.redis;

/** Redis cannot be reached or did not answer in time: retry with backoff. */
public class RedisUnavailableException extends RedisIndexException {
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
