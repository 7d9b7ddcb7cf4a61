package io.artdag.l1.redis;

import org.apache.flink.annotation.Internal;

/**
 * What {@link RedisIndex#putContent} did. The first mapping of a content hash wins: a content hash
 * maps to one root CID and one node id, later sightings never change it.
 *
 * @param outcome see {@link Outcome}
 * @param nodeId the node id stored now
 * @param ipfsCid the CID stored now
 */
@Internal
public record PutResult(Outcome outcome, String nodeId, String ipfsCid) {
    public enum Outcome {
        /** Both entries were written. */
        ADDED,
        /** The same CID was already there (idempotent replay, or a later sighting). */
        UNCHANGED,
        /** A different CID was already there; nothing was changed. */
        CONFLICT
    }
}
