package io.artdag.l1.source.tree;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Serializes {@link DirectorySplit}s. Version 1: {@code path} (length-prefixed UTF-8), a {@code
 * single} byte, a presence byte and then {@code after}. Unknown versions are rejected.
 */
@Internal
public final class DirectorySplitSerializer implements SimpleVersionedSerializer<DirectorySplit> {
    public static final DirectorySplitSerializer INSTANCE = new DirectorySplitSerializer();

    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(DirectorySplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, split);
        }
        return bytes.toByteArray();
    }

    @Override
    public DirectorySplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown DirectorySplit serializer version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            DirectorySplit split = read(in);
            if (in.read() != -1) {
                throw new IOException("trailing bytes after a DirectorySplit");
            }
            return split;
        }
    }

    static void write(DataOutputStream out, DirectorySplit split) throws IOException {
        writeString(out, split.path());
        out.writeBoolean(split.single());
        out.writeBoolean(split.after() != null);
        if (split.after() != null) {
            writeString(out, split.after());
        }
    }

    static DirectorySplit read(DataInputStream in) throws IOException {
        String path = readString(in);
        boolean single = in.readBoolean();
        String after = in.readBoolean() ? readString(in) : null;
        return new DirectorySplit(path, single, after);
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 24)) {
            throw new IOException("bad string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
