package io.artdag.l1.car;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.Multihash;
import io.artdag.l1.ipld.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Byte-level pieces of the CARv1/CARv2 formats shared by the writer and the reader. */
final class CarFormat {
    /** CARv2 pragma: varint(10) then dag-cbor {"version": 2}. */
    static final byte[] PRAGMA = {0x0a, (byte) 0xa1, 0x67, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x02};

    static final int PRAGMA_SIZE = 11;
    static final int HEADER_SIZE = 40;
    static final int PREFIX_SIZE = PRAGMA_SIZE + HEADER_SIZE; // 51
    static final long MULTIHASH_INDEX_SORTED = 0x0401;

    private CarFormat() {}

    /**
     * The varint-prefixed CARv1 header: dag-cbor {"roots": [CID...], "version": 1}. dag-cbor orders
     * map keys by length then bytes, so "roots" (5) precedes "version" (7). A CID is tag 42 over a
     * byte string holding 0x00 followed by the binary CID.
     */
    static byte[] carV1Header(List<Cid> roots) {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        c.write(0xa2); // map(2)
        cborHead(c, 3, 5);
        c.writeBytes("roots".getBytes(StandardCharsets.US_ASCII));
        cborHead(c, 4, roots.size());
        for (Cid r : roots) {
            c.write(0xd8); // tag(42), one-byte argument
            c.write(42);
            byte[] b = r.toBytes();
            cborHead(c, 2, b.length + 1);
            c.write(0x00);
            c.writeBytes(b);
        }
        cborHead(c, 3, 7);
        c.writeBytes("version".getBytes(StandardCharsets.US_ASCII));
        c.write(0x01); // uint(1)
        byte[] cbor = c.toByteArray();
        byte[] out = new byte[Varint.size(cbor.length) + cbor.length];
        int n = Varint.write(cbor.length, out, 0);
        System.arraycopy(cbor, 0, out, n, cbor.length);
        return out;
    }

    /**
     * The length of {@link #carV1Header} for {@code rootCount} roots whose {@link
     * #rootEntryLength}s add up to {@code rootEntriesLength}, without encoding it: the writer asks
     * this for every root it adds, so it must not cost more with every root.
     */
    static long carV1HeaderLength(int rootCount, long rootEntriesLength) {
        long cbor =
                1 // map(2)
                        + 1
                        + 5 // "roots"
                        + cborHeadLength(rootCount)
                        + rootEntriesLength
                        + 1
                        + 7 // "version"
                        + 1; // uint(1)
        return Varint.size(cbor) + cbor;
    }

    /** The bytes one root takes in the header's roots array: tag(42), then bytes(0x00 ‖ CID). */
    static int rootEntryLength(Cid root) {
        int b = root.toBytes().length + 1;
        return 2 + cborHeadLength(b) + b;
    }

    /** The length of {@link #cborHead}'s output for {@code arg}. */
    static int cborHeadLength(long arg) {
        if (arg < 24) {
            return 1;
        } else if (arg < 0x100) {
            return 2;
        } else if (arg < 0x10000) {
            return 3;
        } else if (arg < 0x100000000L) {
            return 5;
        }
        return 9;
    }

    /** CBOR initial byte(s) with the shortest argument encoding. */
    static void cborHead(ByteArrayOutputStream out, int major, long arg) {
        int mt = major << 5;
        if (arg < 24) {
            out.write(mt | (int) arg);
        } else if (arg < 0x100) {
            out.write(mt | 24);
            out.write((int) arg);
        } else if (arg < 0x10000) {
            out.write(mt | 25);
            out.write((int) (arg >>> 8));
            out.write((int) arg);
        } else if (arg < 0x100000000L) {
            out.write(mt | 26);
            for (int s = 24; s >= 0; s -= 8) {
                out.write((int) (arg >>> s));
            }
        } else {
            out.write(mt | 27);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (arg >>> s));
            }
        }
    }

    /** The 40-byte CARv2 header: 16 bytes characteristics (zero), then three uint64 LE. */
    static byte[] v2Header(long dataOffset, long dataSize, long indexOffset) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0).putLong(0).putLong(dataOffset).putLong(dataSize).putLong(indexOffset);
        return b.array();
    }

    /**
     * A MultihashIndexSorted index (with its multicodec varint prefix) in go-car v2's layout: int32
     * LE bucket count; per multihash code ascending: uint64 LE code, int32 LE width-bucket count;
     * per width (digest length + 8) ascending: uint32 LE width, int64 LE byte length, then entries
     * of digest || uint64 LE offset sorted by digest (unsigned bytewise).
     */
    static byte[] multihashIndexSorted(List<IndexEntry> entries) {
        Map<Integer, Map<Integer, List<IndexEntry>>> byCode = new TreeMap<>();
        for (IndexEntry e : entries) {
            byCode.computeIfAbsent(e.mh().code(), k -> new TreeMap<>())
                    .computeIfAbsent(e.mh().digestLength() + 8, k -> new ArrayList<>())
                    .add(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Varint.encode(MULTIHASH_INDEX_SORTED));
        ByteBuffer le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        out.write(le.clear().putInt(byCode.size()).array(), 0, 4);
        for (var code : byCode.entrySet()) {
            out.write(le.clear().putLong(code.getKey()).array(), 0, 8);
            out.write(le.clear().putInt(code.getValue().size()).array(), 0, 4);
            for (var width : code.getValue().entrySet()) {
                List<IndexEntry> list = new ArrayList<>(width.getValue());
                list.sort(
                        Comparator.comparing(
                                (IndexEntry e) -> e.mh().digest(), Arrays::compareUnsigned));
                int w = width.getKey();
                out.write(le.clear().putInt(w).array(), 0, 4);
                out.write(le.clear().putLong((long) w * list.size()).array(), 0, 8);
                for (IndexEntry e : list) {
                    out.writeBytes(e.mh().digest());
                    out.write(le.clear().putLong(e.offset()).array(), 0, 8);
                }
            }
        }
        return out.toByteArray();
    }

    static boolean indexed(Multihash mh) {
        // go-car leaves identity CIDs out of generated indexes unless StoreIdentityCIDs is set.
        return mh.code() != Multihash.IDENTITY;
    }

    /**
     * Parses a CARv1 header (the dag-cbor map after its length varint) and returns its roots;
     * errors name {@code file}.
     */
    static List<Cid> parseV1Header(Path file, byte[] cbor) throws CarFormatException {
        Object v;
        try {
            CarV2Reader.Cbor c = new CarV2Reader.Cbor(cbor);
            v = c.item();
            if (c.pos != cbor.length) {
                throw new IllegalArgumentException("trailing bytes");
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new CarFormatException(file, "malformed CARv1 header: " + e.getMessage(), e);
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new CarFormatException(file, "CARv1 header is not a map");
        }
        if (!Long.valueOf(1).equals(m.get("version"))) {
            throw new CarFormatException(
                    file, "CARv1 header version is " + m.get("version") + ", expected 1");
        }
        if (!(m.get("roots") instanceof List<?> l)) {
            throw new CarFormatException(file, "CARv1 header has no roots list");
        }
        List<Cid> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof CarV2Reader.Cbor.Tagged t)
                    || t.tag() != 42
                    || !(t.value() instanceof byte[] b)
                    || b.length < 2
                    || b[0] != 0) {
                throw new CarFormatException(file, "CARv1 header root is not a CID link");
            }
            try {
                out.add(Cid.fromBytes(Arrays.copyOfRange(b, 1, b.length)));
            } catch (IllegalArgumentException e) {
                throw new CarFormatException(file, "bad root CID: " + e.getMessage(), e);
            }
        }
        return Collections.unmodifiableList(out);
    }
}
