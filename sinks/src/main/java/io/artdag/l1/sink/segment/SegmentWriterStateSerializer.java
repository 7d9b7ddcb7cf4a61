package io.artdag.l1.sink.segment;

import static io.artdag.l1.sink.segment.internal.Wire.readString;
import static io.artdag.l1.sink.segment.internal.Wire.writeString;

import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Serializes {@link SegmentWriterState}. Version 1 layout: writer id (int-length-prefixed UTF-8),
 * next sequence (long). Unknown versions are rejected.
 */
@Internal
public class SegmentWriterStateSerializer implements SimpleVersionedSerializer<SegmentWriterState> {
    public static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SegmentWriterState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        writeString(out, state.writerId());
        out.writeLong(state.nextSequence());
        return out.getCopyOfBuffer();
    }

    @Override
    public SegmentWriterState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "unknown SegmentWriterState serialization version "
                            + version
                            + " (this build reads version "
                            + VERSION
                            + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        SegmentWriterState state = new SegmentWriterState(readString(in), in.readLong());
        if (in.available() != 0) {
            throw new IOException(
                    "corrupt SegmentWriterState: " + in.available() + " trailing bytes");
        }
        return state;
    }
}
