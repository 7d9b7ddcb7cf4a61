package io.artdag.l1.store;

import io.artdag.l1.hash.ContentHashes;
import io.artdag.l1.hash.Sha3OutputStream;
import io.artdag.l1.ipld.BlockSource;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.UnixFsReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.apache.flink.annotation.Internal;

/**
 * Reads stored content back by content hash or root CID. Every block is checked against its CID and
 * the whole file against its SHA3-256 content hash before anything is handed out: bytes go to a
 * temporary file first and reach their destination only when they verify.
 */
@Internal
public final class StoreReader implements AutoCloseable {
    private final LocalStore store;
    private final SegmentFiles segments;
    private java.util.Set<String> remote;

    public StoreReader(LocalStore store) {
        this.store = store;
        this.segments = new SegmentFiles(store);
    }

    /** Finds a content by its SHA3-256 hex or by its root CID. */
    public ContentRecord resolve(String ref) throws IOException {
        if (ContentHashes.isContentHash(ref.toLowerCase())) {
            return store.index()
                    .content(ref.toLowerCase())
                    .orElseThrow(
                            () ->
                                    new FileNotFoundException(
                                            ref
                                                    + ": no content with this SHA3-256 in "
                                                    + store.root()));
        }
        Cid cid;
        try {
            cid = Cid.parse(ref);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    ref
                            + ": neither a SHA3-256 content hash (64 hex digits) nor a CID ("
                            + e.getMessage()
                            + ")");
        }
        return store.index()
                .contentByRoot(cid.toString())
                .orElseThrow(
                        () ->
                                new FileNotFoundException(
                                        ref
                                                + ": no stored content has this root CID in "
                                                + store.root()));
    }

    /**
     * Writes the content's bytes to {@code dest} (atomically, only if they verify).
     *
     * @throws CorruptContentException if a block or the whole file does not verify
     */
    public long copyTo(ContentRecord content, Path dest) throws IOException {
        try (StagedFile file = StagedFile.beside(dest, ".l1-get-")) {
            long n;
            try (OutputStream out = file.open()) {
                n = readVerified(content, out);
            }
            file.commit();
            return n;
        }
    }

    /** Writes the content to a stream, but only after it verified in a temporary file. */
    public long copyTo(ContentRecord content, OutputStream dest) throws IOException {
        try (StagedFile file = StagedFile.temporary("l1-get-")) {
            long n;
            try (OutputStream out = file.open()) {
                n = readVerified(content, out);
            }
            file.transferTo(dest);
            return n;
        }
    }

    /**
     * Streams the content to {@code out} while hashing it; throws if it does not hash back to its
     * content hash or has the wrong size. What was written is then unverified and must be dropped.
     */
    public long readVerified(ContentRecord content, OutputStream out) throws IOException {
        return readVerified(content, out, null);
    }

    /**
     * As {@link #readVerified(ContentRecord, OutputStream)}, and hands every block to {@code
     * visitor} right after it verified against its CID, in the order the DAG is read: depth first
     * from the root, each node before its children (a block the DAG links more than once is handed
     * over each time; identity CIDs, which hold their bytes, are not). Whatever the visitor did is
     * unverified until this method returns normally.
     */
    public long readVerified(ContentRecord content, OutputStream out, BlockVisitor visitor)
            throws IOException {
        BlockSource source =
                visitor == null
                        ? this::block
                        : cid -> {
                            byte[] data = UnixFsReader.verifiedBlock(cid, this::block);
                            visitor.visit(cid, data);
                            return data;
                        };
        Sha3OutputStream hashing = new Sha3OutputStream(out); // not closed: out is the caller's
        long n;
        try {
            n = UnixFsReader.readFile(Cid.parse(content.rootCid()), source, hashing);
        } catch (io.artdag.l1.ipld.CorruptBlockException e) {
            throw new CorruptContentException(
                    content.contentHash() + ": corrupt block " + e.cid() + ": " + e.getMessage(),
                    e);
        }
        String actual = hashing.sha3Hex();
        if (!actual.equals(content.contentHash()) || n != content.size()) {
            throw new CorruptContentException(
                    content.contentHash()
                            + ": stored bytes do not verify (read "
                            + n
                            + " bytes hashing to "
                            + actual
                            + ", expected "
                            + content.size()
                            + " bytes)");
        }
        return n;
    }

    /** The raw bytes of a block, as stored (the caller verifies them against the CID). */
    public byte[] block(Cid cid) throws IOException {
        StoreIndex.BlockRef ref =
                store.index()
                        .block(cid.multihash().toBytes())
                        .orElseThrow(
                                () ->
                                        new FileNotFoundException(
                                                "block " + cid + " is not in the store"));
        if (remote == null) {
            remote = store.index().remoteSegments();
        }
        if (remote.contains(ref.segment())) {
            throw new NotKeptLocallyException(
                    "block "
                            + cid
                            + " is in segment "
                            + ref.segment()
                            + ", published to IPFS and not kept in "
                            + store.root()
                            + " (l1.segment.retain-local is false): read it with --mode l1");
        }
        SegmentFiles.Section s = segments.read(ref.segment(), ref.sectionOffset());
        if (!s.cid().multihash().equals(cid.multihash())) {
            throw new CorruptContentException(
                    store.segmentFile(ref.segment())
                            + ": index points block "
                            + cid
                            + " at a section holding "
                            + s.cid());
        }
        return s.data();
    }

    @Override
    public void close() {
        segments.close();
    }

    /** Receives the blocks of a DAG as {@link #readVerified} reads and verifies them. */
    @FunctionalInterface
    public interface BlockVisitor {
        void visit(Cid cid, byte[] data) throws IOException;
    }

    /** Stored bytes that do not match their CID or content hash. */
    public static class CorruptContentException extends StoreException {
        private static final long serialVersionUID = 1L;

        public CorruptContentException(String message) {
            super(message);
        }

        public CorruptContentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
