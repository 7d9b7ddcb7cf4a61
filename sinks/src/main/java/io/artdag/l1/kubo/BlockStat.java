package io.artdag.l1.kubo;

/** {@code block/stat}: the block's CID as Kubo encodes it, and its size in bytes. */
public record BlockStat(String key, long size) {}
