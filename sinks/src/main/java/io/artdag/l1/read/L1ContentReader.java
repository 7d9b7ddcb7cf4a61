package io.artdag.l1.read;

import io.artdag.l1.hash.ContentHashes;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.store.StoreLayout;
import io.artdag.l1.store.StoreReader.CorruptContentException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.Internal;

/**
 * The l1-mode read path: artdag's cache lookup flow (docs/design.md) for one content, by SHA3-256
 * content hash or by root CID.
 *
 * <ol>
 *   <li>the local store ({@code <store>/index.db} and its segments), then the local copies of
 *       content fetched earlier ({@code <store>/fetched/<content_hash>});
 *   <li>Redis {@code <prefix>ipfs_index}: content hash to root CID;
 *   <li>PostgreSQL {@code cache_items}, when Redis has no entry or cannot be reached;
 *   <li>IPFS by that CID: every block is fetched from Kubo with {@code block/get} and checked
 *       against its CID by {@link UnixFsReader}; the whole is hashed while it is written to a
 *       temporary file next to the destination, which is moved into place only when its SHA3-256
 *       equals the content hash;
 *   <li>the verified bytes are kept as {@code <store>/fetched/<content_hash>} (written to a
 *       temporary file, fsynced, renamed), with {@code <store>/fetched/by-cid/<cid>} holding the
 *       content hash, for the next hit.
 * </ol>
 *
 * <p><b>What is verified.</b> Bytes from the local store: every block against its CID and the whole
 * against the content hash and size ({@link StoreReader}). A local copy: its SHA3-256 against the
 * content hash it is named by, every time it is read; a copy that does not verify is deleted and
 * the lookup goes on to Redis, PostgreSQL and IPFS (the result's {@link Result#notes() notes} say
 * so), so a corrupt copy is never served and is replaced by a verified one when the content is
 * still available. Bytes from IPFS: every block against its CID, and the whole against the content
 * hash. A local store that holds corrupt bytes is likewise reported in the notes and skipped (it is
 * not modified; {@code l1 verify} names the damage).
 *
 * <p>A <b>CID argument</b> is looked up in the local store by root CID, then in the local copies
 * ({@code fetched/by-cid/}), then in PostgreSQL by {@code cache_items.ipfs_cid} (indexed) to learn
 * its content hash. Redis is not asked: {@code ipfs_index} maps content hash to CID and has no
 * reverse index. When a content hash is known the bytes are verified against it as above; when none
 * is (the CID is in no index, or PostgreSQL is down), every block is still verified against its CID
 * — which pins down the bytes exactly — and the SHA3-256 is computed and reported ({@link
 * Result#contentHashChecked()} is false).
 *
 * <p>Each tier is its own small class: {@link LocalStoreSource}, {@link LocalCopies}, the {@link
 * CidSource}s ({@link RedisCidSource}, {@link PostgresCidSource}) and {@link IpfsFetch}; every
 * write goes through one {@link HashedStagedFile}. Clients are created on first use, so content
 * answered locally needs no service. Not thread-safe; one instance per caller.
 */
@Internal
public final class L1ContentReader implements AutoCloseable {
    /** Directory under the store holding verified copies of fetched content. */
    public static final String FETCHED_DIR = StoreLayout.FETCHED;

    /** Which step of the lookup flow answered. */
    public enum Tier {
        /** The local store's segments. */
        LOCAL_STORE("local store"),
        /** A verified copy kept by an earlier fetch. */
        LOCAL_COPY("local copy"),
        /** Redis {@code ipfs_index} named the CID; the bytes came from IPFS. */
        REDIS("Redis ipfs_index, then IPFS"),
        /** PostgreSQL {@code cache_items} named the CID (or the content hash of a CID argument). */
        POSTGRES("PostgreSQL cache_items, then IPFS"),
        /** A CID argument that no index knows: fetched from IPFS, verified block by block. */
        IPFS("IPFS by CID");

        private final String description;

        Tier(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        /** True when the bytes were fetched from IPFS. */
        public boolean fetched() {
            return this == REDIS || this == POSTGRES || this == IPFS;
        }
    }

    /**
     * What {@link #get} wrote.
     *
     * @param contentHash the SHA3-256 of the bytes written
     * @param cid the root CID, when known ({@code null} for a local copy found by content hash)
     * @param size bytes written
     * @param tier the step that answered
     * @param contentHashChecked true when the bytes were checked against a content hash known
     *     beforehand (false only for a CID argument no index names a content hash for)
     * @param blocksFetched blocks fetched from Kubo (0 unless {@code tier.fetched()})
     * @param localCopy the local copy kept or read, or {@code null}
     * @param notes what went wrong on the way without stopping the lookup (a service down, a
     *     corrupt local copy removed), for the user to see
     */
    public record Result(
            String contentHash,
            String cid,
            long size,
            Tier tier,
            boolean contentHashChecked,
            long blocksFetched,
            Path localCopy,
            List<String> notes) {}

    /** No step of the lookup flow knows the content. */
    public static final class ContentNotFoundException extends FileNotFoundException {
        private static final long serialVersionUID = 1L;

        public ContentNotFoundException(String message) {
            super(message);
        }
    }

    private final LocalStoreSource localStore;
    private final LocalCopies copies;
    private final RedisCidSource redis;
    private final PostgresCidSource postgres;
    private final IpfsFetch ipfs;

    /**
     * @param store the local store directory (it need not exist; local copies are kept under it)
     * @param settings the services; only the Kubo, Redis and PostgreSQL settings are used
     */
    public L1ContentReader(Path store, L1Settings settings) {
        Objects.requireNonNull(settings, "settings");
        Path root = store.toAbsolutePath().normalize();
        this.localStore = new LocalStoreSource(root);
        this.copies = new LocalCopies(root);
        this.redis = new RedisCidSource(settings.redis());
        this.postgres = new PostgresCidSource(settings.postgres());
        this.ipfs = new IpfsFetch(settings.kubo(), copies);
    }

    /** Where local copies of fetched content live. */
    public Path fetchedDir() {
        return copies.dir();
    }

    /** The local copy of a content hash (it may not exist). */
    public Path localCopy(String contentHash) {
        return copies.copy(contentHash);
    }

    /**
     * Writes the content named by {@code ref} (a SHA3-256 content hash or a root CID) to {@code
     * dest}, replacing it, only once the bytes verify.
     *
     * @throws ContentNotFoundException when no step of the lookup flow knows it (the message lists
     *     what each step said)
     * @throws CorruptContentException when the bytes found do not verify (nothing is written)
     * @throws IllegalArgumentException when {@code ref} is neither a content hash nor a CID
     */
    public Result get(String ref, Path dest) throws IOException {
        Objects.requireNonNull(dest, "dest");
        String r = Objects.requireNonNull(ref, "ref").strip();
        if (ContentHashes.isContentHash(r.toLowerCase(Locale.ROOT))) {
            return getByHash(r.toLowerCase(Locale.ROOT), dest);
        }
        Cid cid;
        try {
            cid = Cid.parse(r);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    r
                            + ": neither a SHA3-256 content hash (64 hex digits) nor a CID ("
                            + e.getMessage()
                            + ")");
        }
        return getByCid(cid, dest);
    }

    private Result getByHash(String hash, Path dest) throws IOException {
        LookupTrail trail = new LookupTrail();
        Optional<Result> local = localStore.serve(hash, null, dest, trail);
        if (local.isPresent()) {
            return local.get();
        }
        Optional<Result> copy = copies.serve(hash, null, dest, trail);
        if (copy.isPresent()) {
            return copy.get();
        }
        for (CidSource source : List.of(redis, postgres)) {
            Optional<String> cid = source.cidOf(hash, trail);
            if (cid.isPresent()) {
                Cid root;
                try {
                    root = Cid.parse(cid.get());
                } catch (IllegalArgumentException e) {
                    throw new CorruptContentException(
                            hash
                                    + ": "
                                    + source.tier().description()
                                    + " names an invalid CID '"
                                    + cid.get()
                                    + "'");
                }
                return ipfs.fetch(hash, root, source.tier(), dest, trail);
            }
        }
        throw new ContentNotFoundException(hash + ": not found (" + trail.misses() + ")");
    }

    private Result getByCid(Cid cid, Path dest) throws IOException {
        LookupTrail trail = new LookupTrail();
        Optional<Result> local = localStore.serve(null, cid, dest, trail);
        if (local.isPresent()) {
            return local.get();
        }
        Optional<String> linked = copies.contentHashOf(cid, trail);
        if (linked.isPresent()) {
            Optional<Result> copy = copies.serve(linked.get(), cid.toString(), dest, trail);
            if (copy.isPresent()) {
                return copy.get();
            }
        }
        String expected = postgres.contentHashOf(cid.toString(), trail).orElse(null);
        try {
            return ipfs.fetch(
                    expected, cid, expected == null ? Tier.IPFS : Tier.POSTGRES, dest, trail);
        } catch (ContentNotFoundException e) {
            trail.miss(e.getMessage());
            throw new ContentNotFoundException(cid + ": not found (" + trail.misses() + ")");
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}
