package io.artdag.l1.kubo;

import org.apache.flink.annotation.Internal;

/** {@code block/stat}: the block's CID as Kubo encodes it, and its size in bytes. */
@Internal
public record BlockStat(String key, long size) {}
