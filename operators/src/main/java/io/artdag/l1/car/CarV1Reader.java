package io.artdag.l1.car;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.Varint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a CARv1 stream front to back: its roots, then each section's CID and block bytes, for
 * checking exports (CARv2 segments are read with {@link CarV2Reader}). Blocks are returned as
 * stored; verifying them against their CIDs is the caller's job. Not thread-safe.
 */
public final class CarV1Reader {
    private static final int MAX_HEADER = 1 << 20;
    private static final int MAX_SECTION = 16 << 20;

    /** One section: a CID and the block bytes stored under it. */
    public record Block(Cid cid, byte[] data) {}

    private final InputStream in;
    private final Path name;
    private final List<Cid> roots;
    private long position;

    /**
     * Reads the header from {@code in}; {@code name} is what errors call the stream (usually its
     * file).
     */
    public CarV1Reader(InputStream in, Path name) throws IOException {
        this.in = in;
        this.name = name;
        Long len = varint("CARv1 header length");
        if (len == null || len <= 0 || len > MAX_HEADER) {
            throw new CarFormatException(name, "CARv1 header length " + len + " out of bounds");
        }
        this.roots = CarFormat.parseV1Header(name, bytes((int) (long) len));
    }

    public List<Cid> roots() {
        return roots;
    }

    /** The next section, or null at the end of the stream. */
    public Block next() throws IOException {
        long at = position;
        Long len = varint("section length");
        if (len == null) {
            return null;
        }
        if (len <= 0 || len > MAX_SECTION) {
            throw new CarFormatException(name, "section at " + at + " has length " + len);
        }
        ByteBuffer section = ByteBuffer.wrap(bytes((int) (long) len));
        Cid cid;
        try {
            cid = Cid.read(section);
        } catch (IllegalArgumentException e) {
            throw new CarFormatException(name, "bad CID in section at " + at, e);
        }
        byte[] data = new byte[section.remaining()];
        section.get(data);
        return new Block(cid, data);
    }

    /** A varint, or null at a clean end of stream (before its first byte). */
    private Long varint(String what) throws IOException {
        byte[] b = new byte[Varint.MAX_BYTES];
        int n = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (n == 0) {
                    return null;
                }
                throw new CarFormatException(name, "truncated " + what + " at " + position);
            }
            b[n++] = (byte) c;
            if ((c & 0x80) == 0 || n == b.length) {
                break;
            }
        }
        try {
            long v = Varint.read(ByteBuffer.wrap(b, 0, n));
            position += n;
            return v;
        } catch (IllegalArgumentException e) {
            throw new CarFormatException(
                    name, "bad " + what + " at " + position + ": " + e.getMessage());
        }
    }

    private byte[] bytes(int len) throws IOException {
        byte[] b = in.readNBytes(len);
        if (b.length != len) {
            throw new EOFException(
                    name + ": unexpected end of CAR at " + (position + b.length) + " bytes");
        }
        position += len;
        return b;
    }
}
