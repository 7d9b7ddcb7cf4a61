package io.artdag.l1.car;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.Multihash;
import io.artdag.l1.ipld.Varint;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Reads a CARv2 file: header, roots, sections and the embedded MultihashIndexSorted index. */
public final class CarV2Reader implements Closeable {
    private static final int MAX_V1_HEADER = 1 << 20;

    private final Path file;
    private final FileChannel ch;
    private final long fileSize;
    private final long dataOffset;
    private final long dataSize;
    private final long indexOffset;
    private final long firstSection;
    private final List<Cid> roots;
    private Map<Multihash, Long> indexMap;

    private CarV2Reader(Path file, FileChannel ch) throws IOException {
        this.file = file;
        this.ch = ch;
        this.fileSize = ch.size();
        if (fileSize < CarFormat.PREFIX_SIZE) {
            throw new CarFormatException(
                    file, "too short for a CARv2 pragma and header (" + fileSize + " bytes)");
        }
        byte[] prefix = readAt(0, CarFormat.PREFIX_SIZE);
        if (!Arrays.equals(prefix, 0, CarFormat.PRAGMA_SIZE, CarFormat.PRAGMA, 0, 11)) {
            throw new CarFormatException(file, "not a CARv2 file (pragma mismatch)");
        }
        ByteBuffer h = ByteBuffer.wrap(prefix, 11 + 16, 24).order(ByteOrder.LITTLE_ENDIAN);
        dataOffset = h.getLong();
        dataSize = h.getLong();
        indexOffset = h.getLong();
        if (dataOffset < CarFormat.PREFIX_SIZE
                || dataSize < 0
                || dataOffset + dataSize > fileSize
                || dataOffset + dataSize < dataOffset) {
            throw new CarFormatException(
                    file,
                    "CARv2 header data offset "
                            + dataOffset
                            + " / size "
                            + dataSize
                            + " out of bounds for file of "
                            + fileSize
                            + " bytes");
        }
        if (indexOffset != 0 && (indexOffset < dataOffset + dataSize || indexOffset >= fileSize)) {
            throw new CarFormatException(
                    file, "CARv2 header index offset " + indexOffset + " out of bounds");
        }
        // CARv1 header
        long[] hdr = readVarintAt(dataOffset, dataOffset + dataSize, "CARv1 header length");
        long len = hdr[0];
        if (len <= 0 || len > MAX_V1_HEADER || dataOffset + hdr[1] + len > dataOffset + dataSize) {
            throw new CarFormatException(file, "CARv1 header length " + len + " out of bounds");
        }
        byte[] cbor = readAt(dataOffset + hdr[1], (int) len);
        this.roots = CarFormat.parseV1Header(file, cbor);
        this.firstSection = dataOffset + hdr[1] + len;
    }

    public static CarV2Reader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new CarV2Reader(file, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public List<Cid> roots() {
        return roots;
    }

    public long dataOffset() {
        return dataOffset;
    }

    public long dataSize() {
        return dataSize;
    }

    public long indexOffset() {
        return indexOffset;
    }

    /**
     * Iterates the sections of the CARv1 payload in file order. Format errors surface from the
     * iterator as {@link UncheckedIOException} wrapping a {@link CarFormatException}.
     */
    public Iterator<BlockLocation> sections() throws IOException {
        final long end = dataOffset + dataSize;
        return new Iterator<>() {
            long at = firstSection;

            @Override
            public boolean hasNext() {
                return at < end;
            }

            @Override
            public BlockLocation next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    BlockLocation loc = sectionAt(at, end);
                    at = loc.blockOffset() + loc.blockLength();
                    return loc;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private BlockLocation sectionAt(long at, long end) throws IOException {
        long[] v = readVarintAt(at, end, "section length");
        long len = v[0];
        long start = at + v[1];
        if (len <= 0 || start + len > end) {
            throw new CarFormatException(
                    file, "section at " + at + " has length " + len + " beyond the payload end");
        }
        byte[] head = readAt(start, (int) Math.min(len, 256));
        ByteBuffer hb = ByteBuffer.wrap(head);
        Cid cid;
        try {
            cid = Cid.read(hb);
        } catch (IllegalArgumentException e) {
            throw new CarFormatException(file, "bad CID in section at " + at, e);
        }
        long blockLen = len - hb.position();
        if (blockLen > Integer.MAX_VALUE) {
            throw new CarFormatException(file, "block at " + at + " too large");
        }
        return new BlockLocation(cid, at, start + hb.position(), (int) blockLen);
    }

    public byte[] readBlock(BlockLocation loc) throws IOException {
        return readBlockAt(loc.blockOffset(), loc.blockLength());
    }

    public byte[] readBlockAt(long blockOffset, int length) throws IOException {
        if (blockOffset < firstSection || blockOffset + length > dataOffset + dataSize) {
            throw new CarFormatException(
                    file, "block range " + blockOffset + "+" + length + " outside the CAR payload");
        }
        return readAt(blockOffset, length);
    }

    /** Section offset (relative to the data offset) of the block with this multihash. */
    public Optional<Long> indexLookup(Multihash mh) throws IOException {
        if (indexMap == null) {
            Map<Multihash, Long> m = new HashMap<>();
            for (IndexEntry e : readIndex()) {
                m.putIfAbsent(e.mh(), e.offset());
            }
            indexMap = m;
        }
        return Optional.ofNullable(indexMap.get(mh));
    }

    /** All entries of the embedded MultihashIndexSorted index, in stored order. */
    public List<IndexEntry> readIndex() throws IOException {
        if (indexOffset == 0) {
            throw new CarFormatException(file, "CARv2 has no index");
        }
        long len = fileSize - indexOffset;
        if (len > Integer.MAX_VALUE) {
            throw new CarFormatException(file, "index too large");
        }
        ByteBuffer b = ByteBuffer.wrap(readAt(indexOffset, (int) len));
        List<IndexEntry> out = new ArrayList<>();
        try {
            long codec = Varint.read(b);
            if (codec != CarFormat.MULTIHASH_INDEX_SORTED) {
                throw new CarFormatException(
                        file,
                        "unsupported index codec 0x"
                                + Long.toHexString(codec)
                                + " (expected MultihashIndexSorted 0x401)");
            }
            b.order(ByteOrder.LITTLE_ENDIAN);
            int codes = b.getInt();
            for (int i = 0; i < codes; i++) {
                long code = b.getLong();
                int widths = b.getInt();
                for (int j = 0; j < widths; j++) {
                    int width = b.getInt();
                    long bytes = b.getLong();
                    if (width <= 8 || bytes < 0 || bytes % width != 0 || bytes > b.remaining()) {
                        throw new CarFormatException(
                                file, "bad index bucket width " + width + " length " + bytes);
                    }
                    for (long k = 0; k < bytes / width; k++) {
                        byte[] digest = new byte[width - 8];
                        b.get(digest);
                        out.add(new IndexEntry(Multihash.of((int) code, digest), b.getLong()));
                    }
                }
            }
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new CarFormatException(file, "truncated or malformed index", e);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    private byte[] readAt(long at, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            int n = ch.read(b, at + b.position());
            if (n < 0) {
                throw new EOFException(file + ": unexpected end of file at " + (at + b.position()));
            }
        }
        return b.array();
    }

    /** Returns {value, encodedLength}. */
    private long[] readVarintAt(long at, long end, String what) throws IOException {
        int n = (int) Math.min(Varint.MAX_BYTES, end - at);
        if (n <= 0) {
            throw new CarFormatException(file, "missing " + what + " at " + at);
        }
        ByteBuffer b = ByteBuffer.wrap(readAt(at, n));
        try {
            long v = Varint.read(b);
            return new long[] {v, b.position()};
        } catch (IllegalArgumentException e) {
            throw new CarFormatException(file, "bad " + what + " at " + at + ": " + e.getMessage());
        }
    }

    /** A small strict CBOR decoder, enough for CAR headers. */
    static final class Cbor {
        record Tagged(long tag, Object value) {}

        private final byte[] b;
        int pos;
        private int depth;

        Cbor(byte[] b) {
            this.b = b;
        }

        Object item() {
            if (++depth > 16) {
                throw new IllegalArgumentException("CBOR nesting too deep");
            }
            int ib = b[pos++] & 0xFF;
            int major = ib >>> 5;
            long arg = arg(ib & 31);
            Object r;
            switch (major) {
                case 0 -> r = arg;
                case 1 -> r = -1 - arg;
                case 2 -> r = take(arg);
                case 3 -> r = new String(take(arg), StandardCharsets.UTF_8);
                case 4 -> {
                    List<Object> l = new ArrayList<>();
                    for (long i = 0; i < arg; i++) {
                        l.add(item());
                    }
                    r = l;
                }
                case 5 -> {
                    Map<Object, Object> m = new HashMap<>();
                    for (long i = 0; i < arg; i++) {
                        Object k = item();
                        if (m.put(k, item()) != null) {
                            throw new IllegalArgumentException("duplicate map key " + k);
                        }
                    }
                    r = m;
                }
                case 6 -> r = new Tagged(arg, item());
                default -> {
                    if ((ib & 31) == 20) {
                        r = Boolean.FALSE;
                    } else if ((ib & 31) == 21) {
                        r = Boolean.TRUE;
                    } else if ((ib & 31) == 22) {
                        r = null;
                    } else {
                        throw new IllegalArgumentException("unsupported CBOR simple/float");
                    }
                }
            }
            depth--;
            return r;
        }

        private long arg(int ai) {
            if (ai < 24) {
                return ai;
            }
            int n =
                    switch (ai) {
                        case 24 -> 1;
                        case 25 -> 2;
                        case 26 -> 4;
                        case 27 -> 8;
                        default ->
                                throw new IllegalArgumentException(
                                        "indefinite or reserved CBOR length");
                    };
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | (b[pos++] & 0xFF);
            }
            if (v < 0) {
                throw new IllegalArgumentException("CBOR argument too large");
            }
            return v;
        }

        private byte[] take(long n) {
            if (n > b.length - pos) {
                throw new IllegalArgumentException("CBOR string exceeds header");
            }
            byte[] out = Arrays.copyOfRange(b, pos, pos + (int) n);
            pos += (int) n;
            return out;
        }
    }
}
