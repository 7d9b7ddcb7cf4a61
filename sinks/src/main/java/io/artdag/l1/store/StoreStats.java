package io.artdag.l1.store;

import org.apache.flink.annotation.Internal;

/** Counts over a store's index, as {@code l1 stats} reports them. */
@Internal
public record StoreStats(
        long uniqueContents,
        long duplicates,
        long rejected,
        long segments,
        long storedBytes,
        long contentBytes,
        long blocks) {}
