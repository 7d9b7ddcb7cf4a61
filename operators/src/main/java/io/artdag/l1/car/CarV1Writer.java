package io.artdag.l1.car;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.Varint;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes a CARv1 stream (header with roots, then one {@code varint(len) ‖ CID ‖ block} section per
 * block) to an {@link OutputStream}, for exports that any CAR reader accepts. It writes the blocks
 * it is given in the order given: keeping them unique and verified is the caller's job. Not
 * thread-safe.
 */
public final class CarV1Writer implements Closeable {
    private final OutputStream out;
    private long blocks;
    private long bytes;

    /** Writes the header naming {@code roots} (at least one) to {@code out}. */
    public CarV1Writer(OutputStream out, List<Cid> roots) throws IOException {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("a CARv1 needs at least one root");
        }
        this.out = out;
        byte[] header = CarFormat.carV1Header(roots);
        out.write(header);
        bytes = header.length;
    }

    /** Appends one section holding {@code data} under {@code cid}. */
    public void put(Cid cid, byte[] data) throws IOException {
        byte[] c = cid.toBytes();
        long sectionLen = (long) c.length + data.length;
        byte[] v = Varint.encode(sectionLen);
        out.write(v);
        out.write(c);
        out.write(data);
        blocks++;
        bytes += v.length + sectionLen;
    }

    /** Sections written so far. */
    public long blockCount() {
        return blocks;
    }

    /** Bytes written so far, header included. */
    public long bytesWritten() {
        return bytes;
    }

    /** Flushes the stream; does not close it (the caller owns it). */
    @Override
    public void close() throws IOException {
        out.flush();
    }
}
