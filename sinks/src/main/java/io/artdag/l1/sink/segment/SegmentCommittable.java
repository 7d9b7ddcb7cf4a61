package io.artdag.l1.sink.segment;

import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.Rejection;
import io.artdag.l1.store.Sighting;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;

/**
 * What one writer hands to the committer at a checkpoint: the segments it sealed since the last
 * one, in the order they must be committed (a file's DAG may span consecutive segments), and the
 * contents, sightings and rejections that become visible once those segments are committed.
 *
 * @param writerId the writer that sealed the segments
 * @param segments segment names, in commit order
 * @param sealedAtMillis when the last of them was sealed, for the seal-to-commit latency
 * @param handedOff those of {@code segments} a {@link SegmentHandoff} holds elsewhere, described
 *     well enough to commit them without their file (empty without a handoff)
 */
@PublicEvolving
public record SegmentCommittable(
        String writerId,
        List<String> segments,
        List<ContentRecord> contents,
        List<Sighting> sightings,
        List<Rejection> rejections,
        long sealedAtMillis,
        List<SealedSegment> handedOff) {

    public SegmentCommittable {
        segments = List.copyOf(segments);
        handedOff = List.copyOf(handedOff);
        contents = List.copyOf(contents);
        sightings = List.copyOf(sightings);
        rejections = List.copyOf(rejections);
    }

    /** A committable none of whose segments was handed off. */
    public SegmentCommittable(
            String writerId,
            List<String> segments,
            List<ContentRecord> contents,
            List<Sighting> sightings,
            List<Rejection> rejections,
            long sealedAtMillis) {
        this(writerId, segments, contents, sightings, rejections, sealedAtMillis, List.of());
    }

    /** The handed-off segment of this name, or null when it was not handed off. */
    public SealedSegment handedOff(String name) {
        return SealedSegment.named(handedOff, name);
    }
}
