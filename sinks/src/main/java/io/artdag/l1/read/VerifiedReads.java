package io.artdag.l1.read;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.CorruptBlockException;
import io.artdag.l1.ipld.Multihash;
import io.artdag.l1.ipld.UnixFsReader;
import io.artdag.l1.read.L1ContentReader.ContentNotFoundException;
import io.artdag.l1.read.ReadFailure.Kind;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreException;
import io.artdag.l1.store.StoreReader;
import io.artdag.l1.store.StoreReader.CorruptContentException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lookups behind {@code l1 serve}: content by SHA3-256 content hash, blocks and CARs by CID,
 * answered only with bytes that verified. Local mode reads the local store; l1 mode (with {@link
 * L1Settings}) also follows {@code l1 get --mode l1}'s lookup flow ({@link L1ContentReader}: local
 * copies, Redis, PostgreSQL, IPFS) for contents, and asks Kubo ({@code block/get}) for blocks the
 * store lacks (only those Kubo holds: {@link KuboLocalBlocks}). Thread-safe: each thread gets its
 * own {@link StoreReader} and {@link L1ContentReader} over one shared read-only store index.
 */
@Internal
public final class VerifiedReads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VerifiedReads.class);

    private final Path store;
    private final L1Settings settings;
    private final Path tmpDir;
    private final int memoryLimit;
    private final KuboLocalBlocks kubo;
    private final List<AutoCloseable> perThread = new ArrayList<>();
    private final ThreadLocal<StoreReader> readers = new ThreadLocal<>();
    private final ThreadLocal<L1ContentReader> l1Readers = new ThreadLocal<>();
    private LocalStore local;
    private boolean closed;

    /**
     * @param store the local store (in l1 mode it need not exist yet: it is opened once it does)
     * @param settings the services for l1 mode, or null for local mode
     * @param tmpDir where bodies larger than {@code memoryLimit} are kept while they are served
     */
    public VerifiedReads(Path store, L1Settings settings, Path tmpDir, int memoryLimit) {
        this.store = store.toAbsolutePath().normalize();
        this.settings = settings;
        this.tmpDir = tmpDir;
        this.memoryLimit = memoryLimit;
        this.kubo = settings == null ? null : new KuboLocalBlocks(settings.kubo());
    }

    /** True in l1 mode. */
    public boolean l1() {
        return settings != null;
    }

    /**
     * The bytes of a content, verified against its SHA3-256 (and every block against its CID).
     *
     * @param hash 64 lowercase hex digits
     * @throws ReadFailure NOT_FOUND, CORRUPT (never the bytes) or UNAVAILABLE
     */
    public VerifiedBody content(String hash) throws IOException {
        String localCorrupt = null;
        LocalStore s = localStore();
        if (s != null) {
            Optional<ContentRecord> rec = s.index().content(hash);
            if (rec.isPresent()) {
                SpillingOutputStream out = new SpillingOutputStream(tmpDir, memoryLimit);
                try {
                    reader(s).readVerified(rec.get(), out);
                    return out.finish();
                } catch (CorruptContentException e) {
                    out.discard();
                    localCorrupt = ReadFailure.oneLine(e);
                    LOG.warn("local store {}: {} (run l1 verify)", store, localCorrupt);
                } catch (IOException | RuntimeException e) {
                    out.discard();
                    throw e;
                }
            }
        }
        if (settings == null) {
            if (localCorrupt != null) {
                throw new ReadFailure(Kind.CORRUPT, localCorrupt);
            }
            throw new ReadFailure(Kind.NOT_FOUND, hash + ": no such content in the store");
        }
        return fromServices(hash, localCorrupt);
    }

    /** l1 mode: {@code l1 get --mode l1}'s lookup flow into a temporary file. */
    private VerifiedBody fromServices(String hash, String localCorrupt) throws IOException {
        Path dest = Files.createTempFile(tmpDir, "content-", ".tmp");
        boolean served = false;
        try {
            L1ContentReader.Result r = l1Reader().get(hash, dest);
            for (String note : r.notes()) {
                LOG.warn("{}: {}", hash, note);
            }
            LOG.debug("{}: {} ({} bytes)", hash, r.tier().description(), r.size());
            served = true;
            return VerifiedBody.ofTemporaryFile(dest, r.size());
        } catch (ContentNotFoundException e) {
            LOG.debug("{}", ReadFailure.oneLine(e));
            if (localCorrupt != null) {
                throw new ReadFailure(Kind.CORRUPT, localCorrupt, e);
            }
            throw new ReadFailure(
                    Kind.NOT_FOUND,
                    hash + ": not found (local store, Redis," + " PostgreSQL, IPFS)",
                    e);
        } catch (CorruptContentException e) {
            throw new ReadFailure(Kind.CORRUPT, ReadFailure.oneLine(e), e);
        } catch (IOException e) {
            LOG.warn("{}: {}", hash, ReadFailure.oneLine(e));
            throw new ReadFailure(
                    Kind.UNAVAILABLE,
                    hash + ": cannot be fetched now (a service failed; see the server log)",
                    e);
        } finally {
            if (!served) {
                Files.deleteIfExists(dest);
            }
        }
    }

    /**
     * One block, verified against its CID: from the local store, else (l1 mode) from Kubo.
     *
     * @throws ReadFailure NOT_FOUND, CORRUPT, UNAVAILABLE, or UNSUPPORTED for a multihash other
     *     than sha2-256 and identity (which cannot be verified here)
     */
    public byte[] block(Cid cid) throws IOException {
        int code = cid.multihash().code();
        if (code == Multihash.IDENTITY) {
            return cid.multihash().digest();
        }
        if (code != Multihash.SHA2_256) {
            throw new ReadFailure(
                    Kind.UNSUPPORTED,
                    cid
                            + ": multihash 0x"
                            + Integer.toHexString(code)
                            + " cannot be verified"
                            + " here (sha2-256 and identity only)");
        }
        String localCorrupt = null;
        LocalStore s = localStore();
        if (s != null) {
            try {
                return UnixFsReader.verifiedBlock(cid, reader(s)::block);
            } catch (FileNotFoundException e) {
                // not in the store
            } catch (CorruptBlockException | CorruptContentException e) {
                localCorrupt =
                        cid + ": the local store's copy does not verify: " + ReadFailure.oneLine(e);
                LOG.warn("local store {}: {} (run l1 verify)", store, localCorrupt);
            }
        }
        if (kubo == null) {
            if (localCorrupt != null) {
                throw new ReadFailure(Kind.CORRUPT, localCorrupt);
            }
            throw new ReadFailure(Kind.NOT_FOUND, cid + ": no such block in the store");
        }
        return kuboBlock(cid, localCorrupt);
    }

    /** True when the local store holds the block (for {@code Cache-Control: only-if-cached}). */
    public boolean hasLocalBlock(Cid cid) throws IOException {
        if (cid.multihash().code() == Multihash.IDENTITY) {
            return true;
        }
        LocalStore s = localStore();
        return s != null && s.index().block(cid.multihash().toBytes()).isPresent();
    }

    private byte[] kuboBlock(Cid cid, String localCorrupt) throws IOException {
        Optional<byte[]> data;
        try {
            data = kubo.get(cid);
        } catch (ReadFailure e) {
            if (e.kind() == Kind.UNAVAILABLE) {
                LOG.warn("{}", e.getMessage());
                throw new ReadFailure(
                        Kind.UNAVAILABLE, cid + ": Kubo failed (see the server log)", e);
            }
            throw e;
        }
        if (data.isEmpty()) {
            if (localCorrupt != null) {
                throw new ReadFailure(Kind.CORRUPT, localCorrupt);
            }
            throw new ReadFailure(Kind.NOT_FOUND, cid + ": no such block (local store, Kubo)");
        }
        try {
            return UnixFsReader.verifiedBlock(cid, c -> data.get());
        } catch (CorruptBlockException e) {
            throw new ReadFailure(
                    Kind.CORRUPT, cid + ": Kubo's block does not verify: " + e.getMessage(), e);
        }
    }

    /**
     * A CARv1 of the DAG under {@code root} (see {@link DagCar}), every block verified before it is
     * written; the whole CAR is built before anything is served.
     */
    public VerifiedBody car(Cid root, DagCar.Scope scope, boolean dups) throws IOException {
        SpillingOutputStream out = new SpillingOutputStream(tmpDir, memoryLimit);
        try {
            DagCar.write(root, scope, dups, this::block, out);
            return out.finish();
        } catch (IOException | RuntimeException e) {
            out.discard();
            throw e;
        }
    }

    // ------------------------------------------------------------------ plumbing

    /** The shared store, opened once it exists (null until then). */
    private synchronized LocalStore localStore() throws StoreException {
        if (closed) {
            throw new StoreException("the reader is closed");
        }
        if (local == null
                && Files.isDirectory(io.artdag.l1.store.StoreLayout.segments(store))
                && Files.isRegularFile(LocalStore.indexFile(store))) {
            local = LocalStore.openExisting(store);
        }
        return local;
    }

    private StoreReader reader(LocalStore s) {
        StoreReader r = readers.get();
        if (r == null) {
            r = new StoreReader(s);
            readers.set(r);
            register(r);
        }
        return r;
    }

    private L1ContentReader l1Reader() {
        L1ContentReader r = l1Readers.get();
        if (r == null) {
            r = new L1ContentReader(store, settings);
            l1Readers.set(r);
            register(r);
        }
        return r;
    }

    private synchronized void register(AutoCloseable c) {
        perThread.add(c);
    }

    /** Closes every thread's readers and the store; call once no request is running. */
    @Override
    public synchronized void close() {
        closed = true;
        for (AutoCloseable c : perThread) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing {}: {}", c, e.toString());
            }
        }
        perThread.clear();
        if (local != null) {
            try {
                local.close();
            } catch (StoreException e) {
                LOG.debug("closing {}: {}", store, e.toString());
            }
            local = null;
        }
    }
}
