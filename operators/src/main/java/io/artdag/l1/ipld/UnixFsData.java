package io.artdag.l1.ipld;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The UnixFS {@code Data} protobuf carried in a dag-pb node's Data field: {@code Type = 1 (enum),
 * Data = 2 (bytes), filesize = 3 (uint64), blocksizes = 4 (repeated uint64), hashType = 5, fanout =
 * 6, mode = 7, mtime = 8}. Only the fields needed for files are decoded; the others are skipped.
 *
 * @param data null when absent
 * @param filesize null when absent
 */
public record UnixFsData(int type, byte[] data, Long filesize, List<Long> blocksizes) {
    public static final int RAW = 0;
    public static final int DIRECTORY = 1;
    public static final int FILE = 2;
    public static final int METADATA = 3;
    public static final int SYMLINK = 4;
    public static final int HAMT_SHARD = 5;

    /**
     * Encodes as go's proto2 marshaller does (fields in number order, blocksizes unpacked, absent
     * optional fields omitted).
     */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x08);
        DagPb.writeVarint(out, type);
        if (data != null) {
            out.write(0x12);
            DagPb.writeVarint(out, data.length);
            out.writeBytes(data);
        }
        if (filesize != null) {
            out.write(0x18);
            DagPb.writeVarint(out, filesize);
        }
        for (long bs : blocksizes) {
            out.write(0x20);
            DagPb.writeVarint(out, bs);
        }
        return out.toByteArray();
    }

    /**
     * @throws IllegalArgumentException if malformed or Type is missing
     */
    public static UnixFsData decode(byte[] b) {
        DagPb.Pb r = new DagPb.Pb(b, 0, b.length);
        Integer type = null;
        byte[] data = null;
        Long filesize = null;
        List<Long> blocksizes = new ArrayList<>();
        while (r.more()) {
            long key = r.varint();
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field == 1 && wire == 0) {
                type = (int) r.varint();
            } else if (field == 2 && wire == 2) {
                data = r.bytes();
            } else if (field == 3 && wire == 0) {
                filesize = r.varint();
            } else if (field == 4 && wire == 0) {
                blocksizes.add(r.varint());
            } else if (field == 4 && wire == 2) { // packed
                int len = r.length();
                DagPb.Pb p = new DagPb.Pb(b, r.pos, r.pos + len);
                while (p.more()) {
                    blocksizes.add(p.varint());
                }
                r.pos += len;
            } else {
                r.skip(wire);
            }
        }
        if (type == null) {
            throw new IllegalArgumentException("unixfs: Data without Type");
        }
        return new UnixFsData(type, data, filesize, Collections.unmodifiableList(blocksizes));
    }
}
