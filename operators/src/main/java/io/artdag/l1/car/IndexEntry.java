package io.artdag.l1.car;

import io.artdag.l1.ipld.Multihash;

/** One MultihashIndexSorted entry; {@code offset} is relative to the CARv2 data offset. */
public record IndexEntry(Multihash mh, long offset) {}
