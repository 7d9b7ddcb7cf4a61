package io.artdag.l1.redis;

import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * One content as artdag's indexes record it: {@code content_index[contentHash] = nodeId} and {@code
 * ipfs_index[contentHash] = ipfsCid}.
 */
@Internal
public record ContentMapping(String contentHash, String nodeId, String ipfsCid) {
    public ContentMapping {
        if (contentHash == null || contentHash.isBlank()) {
            throw new IllegalArgumentException("contentHash must not be null or blank");
        }
        Objects.requireNonNull(nodeId, "nodeId (use \"\" when the content has no node id)");
        if (ipfsCid == null || ipfsCid.isBlank()) {
            throw new IllegalArgumentException("ipfsCid must not be null or blank");
        }
    }
}
