package io.artdag.l1.car;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.Multihash;
import io.artdag.l1.ipld.Varint;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one CARv2 file. Sections are appended from the fixed position {@code P = 51 +
 * headerReserveBytes}; {@link #seal} then writes the CARv1 header so that it ends exactly at {@code
 * P} (the bytes between the CARv2 header and the data offset are zero padding, which CARv2
 * permits), the CARv2 pragma and header, and a MultihashIndexSorted index right after the payload.
 * When the unused reserve would be a large share of a small segment (at least {@link
 * #COMPACT_MIN_PADDING} bytes and more than 1/{@link #COMPACT_PAYLOAD_RATIO} of the payload), the
 * seal moves the payload down to the header instead, so a segment holding few small files is not
 * mostly padding; the copy is bounded by that ratio times the reserve. Not thread-safe.
 */
public final class CarV2Writer implements Closeable {
    private static final int STAGING = 256 * 1024;

    /** Padding below this is left in place: the copy would save less than a page. */
    static final int COMPACT_MIN_PADDING = 4096;

    /** Padding is removed when it is more than 1/this of the payload. */
    static final int COMPACT_PAYLOAD_RATIO = 16;

    /** Size assumed for "one more root" by {@link #canAddRoot()}: a CIDv1 with sha2-256. */
    private static final Cid TYPICAL_ROOT =
            Cid.v1(Cid.DAG_PB, Multihash.of(Multihash.SHA2_256, new byte[32]));

    private final Path file;
    private final FileChannel ch;
    private final int reserve;
    private final long dataEndStart;
    private final ByteBuffer staging = ByteBuffer.allocate(STAGING);
    private final Map<Multihash, Long> sectionByMh = new HashMap<>();
    private final List<BlockLocation> blocks = new ArrayList<>();
    private final Set<Cid> roots = new LinkedHashSet<>();
    private long rootEntriesLength; // sum of CarFormat.rootEntryLength over roots
    private long pos; // absolute offset of the next section
    private long stagedAt; // absolute offset of staging[0]
    private boolean closed;

    public CarV2Writer(Path file, int headerReserveBytes) throws IOException {
        int min = CarFormat.carV1Header(List.of(Cid.EMPTY_IDENTITY)).length;
        if (headerReserveBytes < min) {
            throw new IllegalArgumentException(
                    "headerReserveBytes " + headerReserveBytes + " < minimum " + min);
        }
        this.file = file;
        this.reserve = headerReserveBytes;
        this.ch =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.READ, // to move the payload down at seal
                        StandardOpenOption.WRITE);
        this.dataEndStart = CarFormat.PREFIX_SIZE + (long) headerReserveBytes;
        this.pos = dataEndStart;
        this.stagedAt = dataEndStart;
    }

    /**
     * Appends a section for the block; returns false and writes nothing if a block with the same
     * multihash is already in this CAR. The data is copied before returning.
     */
    public boolean put(Cid cid, byte[] data, int off, int len) throws IOException {
        checkOpen();
        if (sectionByMh.containsKey(cid.multihash())) {
            return false;
        }
        byte[] c = cid.toBytes();
        long sectionLen = (long) c.length + len;
        int vlen = Varint.size(sectionLen);
        if (staging.remaining() < vlen + c.length) {
            flush();
        }
        byte[] v = new byte[vlen];
        Varint.write(sectionLen, v, 0);
        staging.put(v).put(c);
        if (staging.remaining() >= len) {
            staging.put(data, off, len);
        } else {
            flush();
            writeFully(ByteBuffer.wrap(data, off, len), stagedAt);
            stagedAt += len;
        }
        long start = pos;
        blocks.add(new BlockLocation(cid, start, start + vlen + c.length, len));
        sectionByMh.put(cid.multihash(), start);
        pos = start + vlen + sectionLen;
        return true;
    }

    public boolean contains(Multihash mh) {
        return sectionByMh.containsKey(mh);
    }

    /** False when the reserved header space could not hold one more (CIDv1 sha2-256) root. */
    public boolean canAddRoot() {
        return fits(TYPICAL_ROOT);
    }

    /**
     * Lists {@code root} in the CARv1 header (adding the same root twice is a no-op).
     *
     * @throws IllegalStateException if {@link #canAddRoot()} is false or this root does not fit
     */
    public void addRoot(Cid root) {
        checkOpenUnchecked();
        if (roots.contains(root)) {
            return;
        }
        if (!canAddRoot() || !fits(root)) {
            throw new IllegalStateException(
                    "CAR header reserve of "
                            + reserve
                            + " bytes cannot hold another root ("
                            + roots.size()
                            + " roots so far) in "
                            + file);
        }
        roots.add(root);
        rootEntriesLength += CarFormat.rootEntryLength(root);
    }

    /** Whether the header still fits the reserve with {@code extra} added; O(1). */
    private boolean fits(Cid extra) {
        return CarFormat.carV1HeaderLength(
                        roots.size() + 1, rootEntriesLength + CarFormat.rootEntryLength(extra))
                <= reserve;
    }

    public int rootCount() {
        return roots.size();
    }

    public int blockCount() {
        return blocks.size();
    }

    /** Bytes of sections written so far (excludes the CARv1 header). */
    public long payloadBytes() {
        return pos - dataEndStart;
    }

    /**
     * Writes the CARv1 header (the roots, or the single placeholder {@link Cid#EMPTY_IDENTITY}),
     * the CARv2 pragma and header and the index; fsyncs if asked; closes the file.
     */
    public SealedCar seal(boolean fsync) throws IOException {
        checkOpen();
        try {
            flush();
            List<Cid> rootList = roots.isEmpty() ? List.of(Cid.EMPTY_IDENTITY) : List.copyOf(roots);
            byte[] v1 = CarFormat.carV1Header(rootList);
            long padding = dataEndStart - CarFormat.PREFIX_SIZE - v1.length;
            long shift =
                    padding >= COMPACT_MIN_PADDING
                                    && padding * COMPACT_PAYLOAD_RATIO > payloadBytes()
                            ? padding
                            : 0;
            if (shift > 0) {
                moveDown(dataEndStart, pos, shift);
            }
            long sectionsStart = dataEndStart - shift;
            long end = pos - shift;
            long dataOffset = sectionsStart - v1.length;
            long dataSize = end - dataOffset;
            long indexOffset = end;

            List<BlockLocation> located = shift == 0 ? blocks : new ArrayList<>(blocks.size());
            List<IndexEntry> entries = new ArrayList<>(blocks.size());
            for (BlockLocation b : blocks) {
                if (shift > 0) {
                    located.add(
                            new BlockLocation(
                                    b.cid(),
                                    b.sectionOffset() - shift,
                                    b.blockOffset() - shift,
                                    b.blockLength()));
                }
                Multihash mh = b.cid().multihash();
                if (CarFormat.indexed(mh)) {
                    entries.add(new IndexEntry(mh, b.sectionOffset() - shift - dataOffset));
                }
            }
            byte[] index = CarFormat.multihashIndexSorted(entries);
            writeFully(ByteBuffer.wrap(index), indexOffset);
            if (shift > 0) {
                ch.truncate(indexOffset + index.length);
            }

            ByteBuffer head = ByteBuffer.allocate((int) sectionsStart);
            head.put(CarFormat.PRAGMA);
            head.put(CarFormat.v2Header(dataOffset, dataSize, indexOffset));
            head.position((int) dataOffset); // zero padding up to the data offset
            head.put(v1);
            head.flip();
            writeFully(head, 0);
            long fileSize = indexOffset + index.length;
            if (fsync) {
                ch.force(true);
            }
            return new SealedCar(
                    file,
                    rootList,
                    dataOffset,
                    dataSize,
                    indexOffset,
                    fileSize,
                    Collections.unmodifiableList(located));
        } finally {
            close();
        }
    }

    /** Closes the file; if not sealed, the file is left incomplete (not a valid CAR). */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            ch.close();
        }
    }

    private void flush() throws IOException {
        staging.flip();
        int n = staging.remaining();
        writeFully(staging, stagedAt);
        stagedAt += n;
        staging.clear();
    }

    /**
     * Moves the bytes in {@code [from, to)} down by {@code shift}, in ascending chunks: each chunk
     * is read before any write can reach it, since writes land below the reads.
     */
    private void moveDown(long from, long to, long shift) throws IOException {
        for (long at = from; at < to; ) {
            staging.clear().limit((int) Math.min(staging.capacity(), to - at));
            while (staging.hasRemaining()) {
                if (ch.read(staging, at + staging.position()) < 0) {
                    throw new IOException("segment " + file + " ends before its payload does");
                }
            }
            staging.flip();
            int n = staging.remaining();
            writeFully(staging, at - shift);
            at += n;
        }
        staging.clear();
    }

    private void writeFully(ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            at += ch.write(b, at);
        }
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("CarV2Writer for " + file + " is closed");
        }
    }

    private void checkOpenUnchecked() {
        if (closed) {
            throw new IllegalStateException("CarV2Writer for " + file + " is closed");
        }
    }
}
