package io.artdag.l1.ipld;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/** Walks a UnixFS file DAG back to its bytes, verifying every block against its CID. */
public final class UnixFsReader {
    private static final int MAX_DEPTH = 64;

    private UnixFsReader() {}

    /**
     * Writes the file rooted at {@code root} to {@code out}; returns the number of bytes written.
     *
     * @throws CorruptBlockException if a block does not match its CID or does not decode, or the
     *     sizes recorded in the DAG are inconsistent with its content
     */
    public static long readFile(Cid root, BlockSource src, OutputStream out) throws IOException {
        return read(root, src, out, 0);
    }

    /** Returns the verified bytes of a block (identity CIDs are answered without the source). */
    public static byte[] verifiedBlock(Cid cid, BlockSource src) throws IOException {
        Multihash mh = cid.multihash();
        if (mh.code() == Multihash.IDENTITY) {
            return mh.digest();
        }
        if (mh.code() != Multihash.SHA2_256) {
            throw new CorruptBlockException(
                    cid, "unsupported multihash " + mh + " (only sha2-256 and identity)");
        }
        byte[] data = src.get(cid);
        if (data == null) {
            throw new IOException("block " + cid + " not found");
        }
        MessageDigest md = Multihash.newSha256();
        if (!Arrays.equals(md.digest(data), mh.digestUnsafe())) {
            throw new CorruptBlockException(cid, "sha2-256 of the block bytes does not match");
        }
        return data;
    }

    private static long read(Cid cid, BlockSource src, OutputStream out, int depth)
            throws IOException {
        if (depth > MAX_DEPTH) {
            throw new CorruptBlockException(cid, "DAG deeper than " + MAX_DEPTH);
        }
        byte[] block = verifiedBlock(cid, src);
        if (cid.codec() == Cid.RAW) {
            out.write(block);
            return block.length;
        }
        if (cid.codec() != Cid.DAG_PB) {
            throw new CorruptBlockException(
                    cid, "unsupported codec 0x" + Long.toHexString(cid.codec()));
        }
        DagPb.PbNode node;
        UnixFsData fs;
        try {
            node = DagPb.decode(block);
            if (node.data() == null) {
                throw new IllegalArgumentException("dag-pb node without UnixFS Data");
            }
            fs = UnixFsData.decode(node.data());
        } catch (IllegalArgumentException e) {
            throw new CorruptBlockException(cid, e.getMessage(), e);
        }
        if (fs.type() != UnixFsData.FILE && fs.type() != UnixFsData.RAW) {
            throw new CorruptBlockException(
                    cid, "UnixFS type " + fs.type() + " is not a file (File=2 or Raw=0)");
        }
        if (!fs.blocksizes().isEmpty() && fs.blocksizes().size() != node.links().size()) {
            throw new CorruptBlockException(cid, "blocksizes count differs from links count");
        }
        long total = 0;
        if (fs.data() != null) {
            out.write(fs.data());
            total += fs.data().length;
        }
        for (int i = 0; i < node.links().size(); i++) {
            long n = read(node.links().get(i).hash(), src, out, depth + 1);
            if (!fs.blocksizes().isEmpty() && fs.blocksizes().get(i) != n) {
                throw new CorruptBlockException(
                        cid,
                        "child "
                                + i
                                + " holds "
                                + n
                                + " bytes but blocksizes says "
                                + fs.blocksizes().get(i));
            }
            total += n;
        }
        if (fs.filesize() != null && fs.filesize() != total) {
            throw new CorruptBlockException(
                    cid, "filesize " + fs.filesize() + " but DAG holds " + total + " bytes");
        }
        return total;
    }
}
