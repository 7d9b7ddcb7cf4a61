package io.artdag.l1.redis;

import java.util.Optional;
import org.apache.flink.annotation.Internal;

/**
 * What {@link RedisIndex#claim} found and did.
 *
 * @param outcome see {@link Outcome}
 * @param current the claim as it is after the call (absent only if it vanished meanwhile)
 */
@Internal
public record ClaimResult(Outcome outcome, Optional<Claim> current) {
    public enum Outcome {
        /** The key was absent (or expired) or held a pending/failed claim: it is now ours. */
        CLAIMED,
        /** We already held it (same owner, claimed or running): our claim, TTL refreshed. */
        ALREADY_OURS,
        /** Another owner holds it (claimed or running): do not do the work. */
        HELD_BY_OTHER,
        /** The work is done (completed, cached or skipped), by anyone: do not do it again. */
        DONE
    }

    /** True when the caller may (and should) do the work. */
    public boolean mine() {
        return outcome == Outcome.CLAIMED || outcome == Outcome.ALREADY_OURS;
    }
}
