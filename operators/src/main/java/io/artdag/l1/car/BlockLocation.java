package io.artdag.l1.car;

import io.artdag.l1.ipld.Cid;

/**
 * Where a block sits in a CAR file.
 *
 * @param sectionOffset absolute file offset of the section's length varint
 * @param blockOffset absolute file offset of the block bytes
 */
public record BlockLocation(Cid cid, long sectionOffset, long blockOffset, int blockLength) {}
