package io.artdag.l1.sink.segment;

import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.Sighting;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;

/**
 * What one checkpoint made visible in the local store, handed to a {@link SegmentPublisher}: the
 * committed segments in commit order, the contents whose root block they hold, and the outputs seen
 * (new and duplicate), and which of the segments a {@link SegmentHandoff} holds already.
 */
@PublicEvolving
public record PublishBatch(
        List<String> segments,
        List<ContentRecord> contents,
        List<Sighting> sightings,
        List<SealedSegment> handedOff) {
    public PublishBatch {
        segments = List.copyOf(segments);
        contents = List.copyOf(contents);
        sightings = List.copyOf(sightings);
        handedOff = List.copyOf(handedOff);
    }

    /** A batch none of whose segments was handed off at seal time. */
    public PublishBatch(
            List<String> segments, List<ContentRecord> contents, List<Sighting> sightings) {
        this(segments, contents, sightings, List.of());
    }

    /** The handed-off segment of this name ({@link SegmentHandoff}), or null. */
    public SealedSegment handedOff(String name) {
        return SealedSegment.named(handedOff, name);
    }
}
