package io.artdag.l1.sink.segment;

import java.util.List;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A sealed segment as a {@link SegmentHandoff} left it outside this machine (l1 mode: its blocks
 * imported into Kubo, unpinned): what the commit needs when the segment's file is not here, for
 * example after a TaskManager loss restored the committable on another machine (docs/scaling.md).
 *
 * @param name the segment's name
 * @param bytes the size of its CARv2 file
 * @param blocks the number of blocks it holds
 * @param roots the CIDs of the file roots it holds, as the CAR header lists them
 */
@PublicEvolving
public record SealedSegment(String name, long bytes, long blocks, List<String> roots) {
    public SealedSegment {
        roots = List.copyOf(roots);
    }

    /** The segment of this name in {@code segments}, or null. */
    static SealedSegment named(List<SealedSegment> segments, String name) {
        for (SealedSegment s : segments) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
