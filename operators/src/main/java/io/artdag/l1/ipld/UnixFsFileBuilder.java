package io.artdag.l1.ipld;

import io.artdag.l1.hash.FileBytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a UnixFS file DAG exactly as Kubo's {@code ipfs add} does with the balanced layout (boxo
 * {@code ipld/unixfs/importer/balanced}) and a fixed-size chunker.
 *
 * <p>Streaming, bottom-up: there is one list of pending links per tree level. A leaf is appended to
 * level 0; whenever a level holds {@code maxLinks} links they are wrapped into a parent node that
 * is appended to the level above. At {@link #finish()} every non-empty level below the top is
 * wrapped (even when it holds a single link) and appended to the level above; the top level is the
 * root if it holds exactly one link, otherwise it is wrapped into the root. This yields the same
 * tree as boxo's balanced builder, which fills complete subtrees left to right and leaves the
 * right-most path possibly under-full but never collapsed (only a single-leaf file has the leaf as
 * its root). Memory is one chunk buffer plus at most {@code maxLinks} links per level.
 *
 * <p>Blocks go to the sink as soon as they are complete (leaves first, then each parent once its
 * children are all emitted); the last block emitted is the root block. Leaf blocks are passed in
 * the builder's chunk buffer, which is reused: sinks must copy what they keep.
 *
 * <p>Encodings (from boxo): internal nodes and, without raw leaves, leaves are dag-pb nodes whose
 * Data is UnixFS {@code {Type: File, Data: chunk (leaves only), filesize, blocksizes (one per
 * child)}}; links carry Name "" (encoded, not omitted) and Tsize = the child's cumulative size
 * (encoded length plus its children's Tsizes; a raw leaf's is its length). An empty file is a
 * single leaf: an empty raw block, or a dag-pb node with UnixFS {@code {Type: File, filesize: 0}}
 * and no Data field.
 */
public final class UnixFsFileBuilder {
    private record Link(Cid cid, long tsize, long fileSize) {}

    private final UnixFsProfile profile;
    private final BlockSink sink;
    private final byte[] chunk;
    private int fill;
    private long written;
    private long leaves;
    private boolean finished;
    private final List<List<Link>> levels = new ArrayList<>();

    public UnixFsFileBuilder(UnixFsProfile profile, BlockSink sink) {
        this(profile, sink, new byte[profile.chunkSize()]);
    }

    /**
     * A builder that chunks into {@code chunkBuffer} (exactly the profile's chunk size), so that a
     * caller building one file after another reuses one buffer instead of allocating a chunk per
     * file (with 1 MiB chunks, a "humongous" allocation for the G1 collector every file). The
     * buffer must not be used by anything else until this builder has finished.
     */
    public UnixFsFileBuilder(UnixFsProfile profile, BlockSink sink, byte[] chunkBuffer) {
        if (chunkBuffer.length != profile.chunkSize()) {
            throw new IllegalArgumentException(
                    "chunk buffer of "
                            + chunkBuffer.length
                            + " bytes for a profile with "
                            + profile.chunkSize()
                            + "-byte chunks");
        }
        this.profile = profile;
        this.sink = sink;
        this.chunk = chunkBuffer;
    }

    public void write(byte[] b, int off, int len) throws IOException {
        checkOpen();
        if (off < 0 || len < 0 || off + len > b.length) {
            throw new IndexOutOfBoundsException();
        }
        while (len > 0) {
            int n = Math.min(len, chunk.length - fill);
            System.arraycopy(b, off, chunk, fill, n);
            fill += n;
            off += n;
            len -= n;
            written += n;
            if (fill == chunk.length) {
                emitLeaf(fill);
                fill = 0;
            }
        }
    }

    public Cid finish() throws IOException {
        checkOpen();
        finished = true;
        if (fill > 0 || leaves == 0) {
            emitLeaf(fill);
            fill = 0;
        }
        int top = levels.size() - 1;
        while (levels.get(top).isEmpty()) {
            top--;
        }
        for (int level = 0; level < top; level++) {
            List<Link> pending = levels.get(level);
            if (!pending.isEmpty()) {
                Link node = emitNode(pending);
                pending.clear();
                levels.get(level + 1).add(node);
            }
        }
        List<Link> last = levels.get(top);
        Cid root = last.size() == 1 ? last.get(0).cid() : emitNode(last).cid();
        levels.clear();
        return root;
    }

    public long bytesWritten() {
        return written;
    }

    /** The root CID of a file under the given profile; the blocks are discarded. */
    public static Cid cidOf(Path file, UnixFsProfile p) throws IOException {
        UnixFsFileBuilder b = new UnixFsFileBuilder(p, BlockSink.DISCARD);
        try (InputStream in = Files.newInputStream(file)) {
            FileBytes.stream(
                    in, ByteBuffer.allocate(1 << 20), chunk -> FileBytes.toArray(chunk, b::write));
        }
        return b.finish();
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("UnixFsFileBuilder already finished");
        }
    }

    private void emitLeaf(int len) throws IOException {
        leaves++;
        Link link;
        if (profile.rawLeaves()) {
            Cid cid = Cid.v1(Cid.RAW, Multihash.sha256(chunk, 0, len));
            sink.accept(cid, chunk, 0, len);
            link = new Link(cid, len, len);
        } else {
            byte[] data = new byte[len];
            System.arraycopy(chunk, 0, data, 0, len);
            UnixFsData fs =
                    new UnixFsData(UnixFsData.FILE, len == 0 ? null : data, (long) len, List.of());
            byte[] block = DagPb.encode(new DagPb.PbNode(List.of(), fs.encode()));
            Cid cid = pbCid(block);
            sink.accept(cid, block, 0, block.length);
            link = new Link(cid, block.length, len);
        }
        add(0, link);
    }

    private void add(int level, Link link) throws IOException {
        while (levels.size() <= level) {
            levels.add(new ArrayList<>());
        }
        List<Link> pending = levels.get(level);
        pending.add(link);
        if (pending.size() == profile.maxLinks()) {
            Link node = emitNode(pending);
            pending.clear();
            add(level + 1, node);
        }
    }

    private Link emitNode(List<Link> children) throws IOException {
        List<DagPb.PbLink> links = new ArrayList<>(children.size());
        List<Long> sizes = new ArrayList<>(children.size());
        long fileSize = 0;
        long childTsize = 0;
        for (Link c : children) {
            links.add(new DagPb.PbLink(c.cid(), "", c.tsize()));
            sizes.add(c.fileSize());
            fileSize += c.fileSize();
            childTsize += c.tsize();
        }
        byte[] data = new UnixFsData(UnixFsData.FILE, null, fileSize, sizes).encode();
        byte[] block = DagPb.encode(new DagPb.PbNode(links, data));
        Cid cid = pbCid(block);
        sink.accept(cid, block, 0, block.length);
        return new Link(cid, block.length + childTsize, fileSize);
    }

    private Cid pbCid(byte[] block) {
        Multihash mh = Multihash.sha256(block, 0, block.length);
        return profile.cidVersion() == 0 ? Cid.v0(mh) : Cid.v1(Cid.DAG_PB, mh);
    }
}
