package io.artdag.l1.source.tree;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Serializes {@link SpoolEnumeratorState}. Version 1: the threshold (long), the count and (string,
 * long) pairs of the recent nodes, the count and strings of the unassigned ones; strings as in
 * {@link DirectorySplitSerializer}. Unknown versions are rejected.
 */
@Internal
public final class SpoolEnumeratorStateSerializer
        implements SimpleVersionedSerializer<SpoolEnumeratorState> {
    public static final SpoolEnumeratorStateSerializer INSTANCE =
            new SpoolEnumeratorStateSerializer();

    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SpoolEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(state.threshold());
            out.writeInt(state.recent().size());
            for (Map.Entry<String, Long> e : state.recent().entrySet()) {
                DirectorySplitSerializer.writeString(out, e.getKey());
                out.writeLong(e.getValue());
            }
            out.writeInt(state.unassigned().size());
            for (String s : state.unassigned()) {
                DirectorySplitSerializer.writeString(out, s);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public SpoolEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown SpoolEnumeratorState serializer version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            long threshold = in.readLong();
            int n = count(in);
            Map<String, Long> recent = new HashMap<>();
            for (int i = 0; i < n; i++) {
                recent.put(DirectorySplitSerializer.readString(in), in.readLong());
            }
            int m = count(in);
            List<String> unassigned = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                unassigned.add(DirectorySplitSerializer.readString(in));
            }
            if (in.read() != -1) {
                throw new IOException("trailing bytes after a SpoolEnumeratorState");
            }
            return new SpoolEnumeratorState(threshold, recent, unassigned);
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("bad count " + n);
        }
        return n;
    }
}
