package io.artdag.l1.sink.segment;

import static io.artdag.l1.sink.segment.internal.Wire.readCount;
import static io.artdag.l1.sink.segment.internal.Wire.readString;
import static io.artdag.l1.sink.segment.internal.Wire.writeString;

import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.Rejection;
import io.artdag.l1.store.Sighting;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serializes {@link SegmentCommittable}s into checkpoints. Version 1 layout: writer id, sealed-at
 * millis, then counted lists of segment names, contents, sightings and rejections; strings are
 * int-length-prefixed UTF-8 (-1 for null). Version 2 adds each sighting's run (a string after its
 * node type). Version 3 adds, after the rejections, a counted list of handed-off segments (name,
 * file size, block count, counted root CIDs). All three are read; unknown versions are rejected.
 */
@Internal
public class SegmentCommittableSerializer implements SimpleVersionedSerializer<SegmentCommittable> {
    public static final int VERSION = 3;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SegmentCommittable c) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        writeString(out, c.writerId());
        out.writeLong(c.sealedAtMillis());
        out.writeInt(c.segments().size());
        for (String s : c.segments()) {
            writeString(out, s);
        }
        out.writeInt(c.contents().size());
        for (ContentRecord r : c.contents()) {
            writeString(out, r.contentHash());
            writeString(out, r.rootCid());
            out.writeLong(r.size());
            writeString(out, r.profile());
            writeString(out, r.segment());
            writeString(out, r.nodeId());
            writeString(out, r.nodeType());
            writeString(out, r.firstPath());
            writeString(out, r.metadata());
        }
        out.writeInt(c.sightings().size());
        for (Sighting s : c.sightings()) {
            writeString(out, s.contentHash());
            writeString(out, s.path());
            writeString(out, s.nodeId());
            writeString(out, s.nodeType());
            writeString(out, s.run());
        }
        out.writeInt(c.rejections().size());
        for (Rejection r : c.rejections()) {
            writeString(out, r.path());
            writeString(out, r.reason());
            writeString(out, r.nodeId());
        }
        out.writeInt(c.handedOff().size());
        for (SealedSegment h : c.handedOff()) {
            writeString(out, h.name());
            out.writeLong(h.bytes());
            out.writeLong(h.blocks());
            out.writeInt(h.roots().size());
            for (String root : h.roots()) {
                writeString(out, root);
            }
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public SegmentCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version < 1 || version > VERSION) {
            throw new IOException(
                    "unknown SegmentCommittable serialization version "
                            + version
                            + " (this build reads version "
                            + VERSION
                            + " and the earlier ones)");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String writerId = readString(in);
        long sealedAt = in.readLong();
        int n = readCount(in, "segment");
        List<String> segments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            segments.add(readString(in));
        }
        n = readCount(in, "content");
        List<ContentRecord> contents = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            contents.add(
                    new ContentRecord(
                            readString(in),
                            readString(in),
                            in.readLong(),
                            readString(in),
                            readString(in),
                            readString(in),
                            readString(in),
                            readString(in),
                            readString(in)));
        }
        n = readCount(in, "sighting");
        List<Sighting> sightings = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sightings.add(
                    new Sighting(
                            readString(in),
                            readString(in),
                            readString(in),
                            readString(in),
                            version >= 2 ? readString(in) : null));
        }
        n = readCount(in, "rejection");
        List<Rejection> rejections = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rejections.add(new Rejection(readString(in), readString(in), readString(in)));
        }
        List<SealedSegment> handedOff = new ArrayList<>();
        if (version >= 3) {
            n = readCount(in, "handed-off segment");
            for (int i = 0; i < n; i++) {
                String name = readString(in);
                long bytes = in.readLong();
                long blocks = in.readLong();
                int r = readCount(in, "root");
                List<String> roots = new ArrayList<>(r);
                for (int j = 0; j < r; j++) {
                    roots.add(readString(in));
                }
                handedOff.add(new SealedSegment(name, bytes, blocks, roots));
            }
        }
        if (in.available() != 0) {
            throw new IOException(
                    "corrupt SegmentCommittable: " + in.available() + " trailing bytes");
        }
        return new SegmentCommittable(
                writerId, segments, contents, sightings, rejections, sealedAt, handedOff);
    }
}
