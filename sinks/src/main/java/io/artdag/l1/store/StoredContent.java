package io.artdag.l1.store;

import java.io.IOException;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * One line of {@code l1 ls}: a stored content, the node ids of the outputs seen producing it, and
 * when it was stored, so that a store's contents can be listed without reading any segment.
 *
 * @param nodeIds distinct, sorted: the content's first producer and every sighting's node id (none
 *     for outputs of plain trees, and none after an index rebuild, which loses the sightings)
 * @param storedAt {@code contents.created_at}: the time (ISO-8601, UTC) of the index commit that
 *     recorded the content, i.e. when it became visible in this store; for a content recovered by
 *     {@code l1 verify --repair}'s index rebuild, the time of the rebuild; null if unknown
 */
@Internal
public record StoredContent(
        String contentHash, String rootCid, long size, List<String> nodeIds, String storedAt) {

    /** Receives listed contents one at a time. */
    @FunctionalInterface
    public interface Visitor {
        void visit(StoredContent content) throws IOException;
    }
}
