package io.artdag.l1.store;

import org.apache.flink.annotation.PublicEvolving;

/**
 * One unique content in the store: its SHA3-256, the root CID of its UnixFS DAG under {@code
 * profile}, its size, the segment holding the root block, and the output that first produced it.
 */
@PublicEvolving
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
