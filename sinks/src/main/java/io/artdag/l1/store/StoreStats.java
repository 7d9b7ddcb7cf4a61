package io.artdag.l1.store;

/** Counts over a store's index, as {@code l1 stats} reports them. */
public record StoreStats(
        long uniqueContents,
        long duplicates,
        long rejected,
        long segments,
        long storedBytes,
        long contentBytes,
        long blocks) {}
