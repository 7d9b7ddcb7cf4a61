package io.artdag.l1.postgres;

import java.util.Objects;

/** Rows of artdag's tables that only tests write or read (see {@link ProvenanceTestOps}). */
public final class ProvenanceTestRows {
    private ProvenanceTestRows() {}

    /** {@code item_types}: a content's type for an actor; metadata is JSON or null. */
    public record ItemType(String contentHash, String actorId, String type, String metadataJson) {
        public ItemType {
            ProvenanceRows.requireText("contentHash", contentHash);
            ProvenanceRows.requireText("actorId", actorId);
            ProvenanceRows.requireText("type", type);
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
            ProvenanceRows.requireText("runId", runId);
            ProvenanceRows.requireText("outputHash", outputHash);
        }
    }

    /** {@code storage_backends}; config is a JSON object. */
    public record StorageBackend(
            long id, String actorId, String providerType, String configJson, Long capacityGb) {
        public StorageBackend {
            ProvenanceRows.requireText("actorId", actorId);
            ProvenanceRows.requireText("providerType", providerType);
            Objects.requireNonNull(configJson, "configJson");
        }
    }
}
