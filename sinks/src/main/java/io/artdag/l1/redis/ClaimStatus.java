package io.artdag.l1.redis;

import java.util.Locale;
import org.apache.flink.annotation.Internal;

/**
 * artdag's task statuses in {@code artdag:claim:{cache_id}}: {@code pending → claimed → running →
 * completed | cached | failed | skipped}. Stored lowercase in the claim's JSON {@code status}.
 */
@Internal
public enum ClaimStatus {
    PENDING,
    CLAIMED,
    RUNNING,
    COMPLETED,
    CACHED,
    FAILED,
    SKIPPED;

    /** The value stored in Redis, e.g. {@code "claimed"}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ClaimStatus fromWire(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RedisIndexException("unknown claim status '" + s + "'");
        }
    }

    /** Claimed or running: the claim holds the work and lives {@code claimTtl}. */
    public boolean active() {
        return this == CLAIMED || this == RUNNING;
    }

    /**
     * Completed, cached, failed or skipped: the claim holds a result and lives {@code resultTtl}.
     */
    public boolean terminal() {
        return this == COMPLETED || this == CACHED || this == FAILED || this == SKIPPED;
    }

    /** Completed, cached or skipped: the work needs no doing (by anyone) while the key lives. */
    public boolean done() {
        return this == COMPLETED || this == CACHED || this == SKIPPED;
    }
}
