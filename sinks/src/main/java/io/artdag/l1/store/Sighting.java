package io.artdag.l1.store;

import org.apache.flink.annotation.PublicEvolving;

/**
 * One render output that produced a content: the first one, or any later duplicate.
 *
 * @param run the run that produced it as JSON ({@code run_id}, {@code recipe}, {@code inputs},
 *     {@code actor_id}), or null; l1 mode records it in {@code run_cache}
 */
@PublicEvolving
public record Sighting(
        String contentHash, String path, String nodeId, String nodeType, String run) {
    /** A sighting that names no run. */
    public Sighting(String contentHash, String path, String nodeId, String nodeType) {
        this(contentHash, path, nodeId, nodeType, null);
    }
}
