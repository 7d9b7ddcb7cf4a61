package io.artdag.l1.postgres;

import java.time.Instant;
import java.util.List;
import org.apache.flink.annotation.Internal;

/** The rows {@link ProvenanceStore} writes and reads. JSON columns are passed as JSON text. */
@Internal
public final class ProvenanceRows {
    private ProvenanceRows() {}

    /** {@code cache_items}: content stored by L1 (imported and pinned). */
    public record CacheItem(String contentHash, String ipfsCid, Instant createdAt) {
        public CacheItem {
            requireText("contentHash", contentHash);
            requireText("ipfsCid", ipfsCid);
        }

        public CacheItem(String contentHash, String ipfsCid) {
            this(contentHash, ipfsCid, null);
        }
    }

    /** {@code storage_pins}. */
    public record StoragePin(String contentHash, long storageId, String ipfsCid, String pinType) {
        public StoragePin {
            requireText("contentHash", contentHash);
            requireText("ipfsCid", ipfsCid);
            requireText("pinType", pinType);
        }
    }

    /** {@code segments}: a segment imported into Kubo with its roots pinned. */
    public record Segment(
            String name, List<String> roots, long fileSize, long blockCount, Instant importedAt) {
        public Segment {
            requireText("name", name);
            roots = List.copyOf(roots);
        }

        public Segment(String name, List<String> roots, long fileSize, long blockCount) {
            this(name, roots, fileSize, blockCount, null);
        }
    }

    static void requireText(String name, String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " must not be null or blank");
        }
    }

    /**
     * artdag's {@code run_cache} row: the run that produced an output, and the output's pinned CID
     * (null when no index names it).
     */
    public record RunCache(
            String runId,
            String outputHash,
            String ipfsCid,
            String recipe,
            String inputsJson,
            String actorId) {
        public RunCache {
            requireText("runId", runId);
            requireText("outputHash", outputHash);
        }
    }
}
