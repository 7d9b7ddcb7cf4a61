package io.artdag.l1.ipld;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The dag-pb codec (multicodec 0x70): protobuf {@code PBNode { repeated PBLink Links = 2; optional
 * bytes Data = 1; }} and {@code PBLink { optional bytes Hash = 1; optional string Name = 2;
 * optional uint64 Tsize = 3; }}, canonically encoded with all Links first (in list order), then
 * Data; within a link Hash, Name, Tsize in that order (see the ipld dag-pb specification).
 */
public final class DagPb {
    private DagPb() {}

    /** A link; {@code name} and {@code tsize} are null when absent from the encoding. */
    public record PbLink(Cid hash, String name, Long tsize) {}

    /** A node; {@code data} is null when the Data field is absent. */
    public record PbNode(List<PbLink> links, byte[] data) {}

    /** Encodes a node canonically. */
    public static byte[] encode(PbNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PbLink l : node.links()) {
            ByteArrayOutputStream lo = new ByteArrayOutputStream();
            if (l.hash() != null) {
                byte[] c = l.hash().toBytes();
                lo.write(0x0a);
                writeVarint(lo, c.length);
                lo.writeBytes(c);
            }
            if (l.name() != null) {
                byte[] n = l.name().getBytes(StandardCharsets.UTF_8);
                lo.write(0x12);
                writeVarint(lo, n.length);
                lo.writeBytes(n);
            }
            if (l.tsize() != null) {
                lo.write(0x18);
                writeVarint(lo, l.tsize());
            }
            out.write(0x12);
            writeVarint(out, lo.size());
            out.writeBytes(lo.toByteArray());
        }
        if (node.data() != null) {
            out.write(0x0a);
            writeVarint(out, node.data().length);
            out.writeBytes(node.data());
        }
        return out.toByteArray();
    }

    /**
     * Decodes dag-pb bytes strictly: only fields 1 and 2 of PBNode and 1..3 of PBLink with their
     * proper wire types; Data at most once and after all Links.
     *
     * @throws IllegalArgumentException if the bytes are not valid dag-pb
     */
    public static PbNode decode(byte[] b) {
        Pb r = new Pb(b, 0, b.length);
        List<PbLink> links = new ArrayList<>();
        byte[] data = null;
        while (r.more()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (wire != 2) {
                throw new IllegalArgumentException(
                        "dag-pb: PBNode field " + field + " wire type " + wire);
            }
            if (field == 2) {
                if (data != null) {
                    throw new IllegalArgumentException("dag-pb: Links after Data");
                }
                int len = r.length();
                links.add(decodeLink(b, r.pos, len));
                r.pos += len;
            } else if (field == 1) {
                if (data != null) {
                    throw new IllegalArgumentException("dag-pb: duplicate Data");
                }
                data = r.bytes();
            } else {
                throw new IllegalArgumentException("dag-pb: unknown PBNode field " + field);
            }
        }
        return new PbNode(Collections.unmodifiableList(links), data);
    }

    private static PbLink decodeLink(byte[] b, int off, int len) {
        Pb r = new Pb(b, off, off + len);
        Cid hash = null;
        String name = null;
        Long tsize = null;
        int last = 0;
        while (r.more()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field <= last) {
                throw new IllegalArgumentException(
                        "dag-pb: PBLink fields out of order or duplicated");
            }
            last = field;
            switch (field) {
                case 1 -> {
                    expectWire(wire, 2, "Hash");
                    hash = Cid.fromBytes(r.bytes());
                }
                case 2 -> {
                    expectWire(wire, 2, "Name");
                    name = new String(r.bytes(), StandardCharsets.UTF_8);
                }
                case 3 -> {
                    expectWire(wire, 0, "Tsize");
                    tsize = r.varint();
                }
                default ->
                        throw new IllegalArgumentException("dag-pb: unknown PBLink field " + field);
            }
        }
        if (hash == null) {
            throw new IllegalArgumentException("dag-pb: PBLink without Hash");
        }
        return new PbLink(hash, name, tsize);
    }

    private static void expectWire(int wire, int expected, String name) {
        if (wire != expected) {
            throw new IllegalArgumentException("dag-pb: " + name + " has wire type " + wire);
        }
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Minimal protobuf wire reader over a byte range. */
    static final class Pb {
        final byte[] b;
        int pos;
        final int end;

        Pb(byte[] b, int off, int end) {
            this.b = b;
            this.pos = off;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("protobuf: truncated varint");
                }
                int x = b[pos++] & 0xFF;
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("protobuf: varint too long");
        }

        int length() {
            long len = varint();
            if (len < 0 || len > end - pos) {
                throw new IllegalArgumentException("protobuf: length " + len + " exceeds message");
            }
            return (int) len;
        }

        byte[] bytes() {
            int len = length();
            byte[] out = new byte[len];
            System.arraycopy(b, pos, out, 0, len);
            pos += len;
            return out;
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(length());
                case 5 -> advance(4);
                default -> throw new IllegalArgumentException("protobuf: wire type " + wire);
            }
        }

        private void advance(int n) {
            if (n > end - pos) {
                throw new IllegalArgumentException("protobuf: truncated field");
            }
            pos += n;
        }
    }
}
