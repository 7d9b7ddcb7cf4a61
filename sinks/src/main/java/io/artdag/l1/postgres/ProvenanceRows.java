package io.artdag.l1.postgres;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
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

    /** {@code item_types}: a content's type for an actor; metadata is JSON or null. */
    public record ItemType(String contentHash, String actorId, String type, String metadataJson) {
        public ItemType {
            requireText("contentHash", contentHash);
            requireText("actorId", actorId);
            requireText("type", type);
        }
    }

    /** {@code run_cache}: inputs is a JSON array (or null). */
    public record RunCacheEntry(
            String runId,
            String outputHash,
            String ipfsCid,
            String provenanceCid,
            String recipe,
            String inputsJson,
            String actorId) {
        public RunCacheEntry {
            requireText("runId", runId);
            requireText("outputHash", outputHash);
        }
    }

    /** {@code storage_backends}; config is a JSON object. */
    public record StorageBackend(
            long id, String actorId, String providerType, String configJson, Long capacityGb) {
        public StorageBackend {
            requireText("actorId", actorId);
            requireText("providerType", providerType);
            Objects.requireNonNull(configJson, "configJson");
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
