package io.artdag.l1.operators;

import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.annotation.Internal;

/**
 * Re-checks, for {@link Dedup}, a content that another live job had claimed when it was first seen
 * (l1 mode: artdag's {@code claim:{content_hash}} in Redis). Dedup keeps such a content pending in
 * keyed state and asks again on a timer instead of blocking: waiting would hold up this task's
 * checkpoints, and with them the publication of the claims that the other job may be waiting on.
 * Shipped to the task managers serialized; {@link #open()} is called there first.
 */
@Internal
public interface ClaimCheck extends Serializable, AutoCloseable {

    /** Where a claimed content stands now. */
    enum Status {
        /** An index names it as stored: this sighting is a duplicate. */
        STORED_ELSEWHERE,
        /** The other claim expired or was released and this job now holds it: store it. */
        OURS,
        /** Another live job still holds the claim: ask again later. */
        HELD
    }

    /** Connects to the shared index. */
    void open() throws IOException;

    /**
     * Asks again; a service outage is reported as {@link Status#HELD} (asked again later) unless
     * {@code last} is set, when it is waited out up to the outage limit and then thrown.
     *
     * @param last true for the final check at the end of the input
     */
    Status check(String contentHash, boolean last) throws IOException;

    /**
     * At the end of a bounded input, records a content still claimed by another live job, with the
     * path of the output that carried it, so that the runner can store it after this job ends if
     * that job never does (its claim expires or is released).
     */
    void defer(String contentHash, String path) throws IOException;

    @Override
    void close() throws IOException;
}
