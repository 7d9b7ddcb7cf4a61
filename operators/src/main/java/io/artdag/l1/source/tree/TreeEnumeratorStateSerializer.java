package io.artdag.l1.source.tree;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Serializes {@link TreeEnumeratorState}. Version 1: the count and strings of the pending
 * directories, then the count and {@link DirectorySplitSerializer} version-1 bodies of the
 * unassigned splits. Unknown versions are rejected.
 */
@Internal
public final class TreeEnumeratorStateSerializer
        implements SimpleVersionedSerializer<TreeEnumeratorState> {
    public static final TreeEnumeratorStateSerializer INSTANCE =
            new TreeEnumeratorStateSerializer();

    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(TreeEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(state.pendingDirectories().size());
            for (String dir : state.pendingDirectories()) {
                DirectorySplitSerializer.writeString(out, dir);
            }
            out.writeInt(state.unassigned().size());
            for (DirectorySplit split : state.unassigned()) {
                DirectorySplitSerializer.write(out, split);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public TreeEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown TreeEnumeratorState serializer version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int dirs = count(in);
            List<String> pending = new ArrayList<>(dirs);
            for (int i = 0; i < dirs; i++) {
                pending.add(DirectorySplitSerializer.readString(in));
            }
            int splits = count(in);
            List<DirectorySplit> unassigned = new ArrayList<>(splits);
            for (int i = 0; i < splits; i++) {
                unassigned.add(DirectorySplitSerializer.read(in));
            }
            if (in.read() != -1) {
                throw new IOException("trailing bytes after a TreeEnumeratorState");
            }
            return new TreeEnumeratorState(pending, unassigned);
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
