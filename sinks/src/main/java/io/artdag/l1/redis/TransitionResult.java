package io.artdag.l1.redis;

import java.util.Optional;
import org.apache.flink.annotation.Internal;

/** What {@link RedisIndex#transition} found and did. */
@Internal
public record TransitionResult(Outcome outcome, Optional<Claim> current) {
    public enum Outcome {
        /** The claim now has the requested status (or already had it: a replay). */
        OK,
        /** No claim under that cache id (never claimed, or expired). */
        MISSING,
        /** The claim belongs to another owner; it is unchanged. */
        NOT_OWNER,
        /** The claim's status does not allow that move (e.g. completed → running). */
        ILLEGAL
    }

    public boolean ok() {
        return outcome == Outcome.OK;
    }
}
