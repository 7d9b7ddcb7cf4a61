package io.artdag.l1.store;

/**
 * One unique content in the store: its SHA3-256, the root CID of its UnixFS DAG under {@code
 * profile}, its size, the segment holding the root block, and the output that first produced it.
 */
public record ContentRecord(
        String contentHash,
        String rootCid,
        long size,
        String profile,
        String segment,
        String nodeId,
        String nodeType,
        String firstPath,
        String metadata) {}
