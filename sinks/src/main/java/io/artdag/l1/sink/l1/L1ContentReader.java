package io.artdag.l1.sink.l1;

import io.artdag.l1.hash.ContentHashes;
import io.artdag.l1.hash.Sha3Hasher;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.CorruptBlockException;
import io.artdag.l1.ipld.UnixFsReader;
import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.kubo.KuboException;
import io.artdag.l1.postgres.ProvenanceRows.CacheItem;
import io.artdag.l1.postgres.ProvenanceStore;
import io.artdag.l1.redis.RedisIndex;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StagedFile;
import io.artdag.l1.store.StoreReader;
import io.artdag.l1.store.StoreReader.CorruptContentException;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
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
 * <p>Clients are created on first use, so content answered locally needs no service. Not
 * thread-safe; one instance per caller.
 */
@Internal
public final class L1ContentReader implements AutoCloseable {
    /** Directory under the store holding verified copies of fetched content. */
    public static final String FETCHED_DIR = io.artdag.l1.store.StoreLayout.FETCHED;

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

    private final Path store;
    private final L1Settings settings;
    private KuboClient kubo;
    private RedisIndex redis;
    private ProvenanceStore postgres;
    private long blocksFetched;

    /**
     * @param store the local store directory (it need not exist; local copies are kept under it)
     * @param settings the services; only the Kubo, Redis and PostgreSQL settings are used
     */
    public L1ContentReader(Path store, L1Settings settings) {
        this.store = store.toAbsolutePath().normalize();
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Where local copies of fetched content live. */
    public Path fetchedDir() {
        return store.resolve(FETCHED_DIR);
    }

    /** The local copy of a content hash (it may not exist). */
    public Path localCopy(String contentHash) {
        return fetchedDir().resolve(contentHash);
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
        List<String> notes = new ArrayList<>();
        List<String> misses = new ArrayList<>();
        Optional<Result> local = fromLocalStore(hash, null, dest, notes, misses);
        if (local.isPresent()) {
            return local.get();
        }
        Optional<Result> copy = fromLocalCopy(hash, null, dest, notes, misses);
        if (copy.isPresent()) {
            return copy.get();
        }
        String cid = null;
        Tier tier = null;
        try {
            Optional<String> c = redis().ipfsCid(hash);
            if (c.isPresent()) {
                cid = c.get();
                tier = Tier.REDIS;
            } else {
                misses.add("Redis " + redis().ipfsIndexKey() + ": no entry");
            }
        } catch (RuntimeException e) {
            String m = "Redis " + settings.redis().safeUrl() + " unavailable: " + message(e);
            notes.add(m);
            misses.add(m);
        }
        if (cid == null) {
            try {
                Optional<CacheItem> row = postgres().cacheItem(hash);
                if (row.isPresent()) {
                    cid = row.get().ipfsCid();
                    tier = Tier.POSTGRES;
                } else {
                    misses.add(
                            "PostgreSQL cache_items (schema "
                                    + settings.postgres().schema()
                                    + "): no row");
                }
            } catch (RuntimeException e) {
                String m = "PostgreSQL " + settings.postgres().jdbcUrl() + ": " + message(e);
                notes.add(m);
                misses.add(m);
            }
        }
        if (cid == null) {
            throw new ContentNotFoundException(
                    hash + ": not found (" + String.join("; ", misses) + ")");
        }
        Cid root;
        try {
            root = Cid.parse(cid);
        } catch (IllegalArgumentException e) {
            throw new CorruptContentException(
                    hash + ": " + tier.description() + " names an invalid CID '" + cid + "'");
        }
        return fetch(hash, root, tier, dest, notes);
    }

    private Result getByCid(Cid cid, Path dest) throws IOException {
        List<String> notes = new ArrayList<>();
        List<String> misses = new ArrayList<>();
        Optional<Result> local = fromLocalStore(null, cid, dest, notes, misses);
        if (local.isPresent()) {
            return local.get();
        }
        Path link = fetchedDir().resolve("by-cid").resolve(cid.toString());
        if (Files.isRegularFile(link)) {
            String hash = Files.readString(link, StandardCharsets.US_ASCII).strip();
            if (ContentHashes.isContentHash(hash)) {
                Optional<Result> copy = fromLocalCopy(hash, cid.toString(), dest, notes, misses);
                if (copy.isPresent()) {
                    return copy.get();
                }
            } else {
                notes.add(link + " does not hold a content hash: ignored");
            }
        }
        String expected = null;
        try {
            Optional<CacheItem> row = postgres().cacheItemByCid(cid.toString());
            if (row.isPresent()) {
                expected = row.get().contentHash();
            }
        } catch (RuntimeException e) {
            notes.add(
                    "PostgreSQL "
                            + settings.postgres().jdbcUrl()
                            + ": "
                            + message(e)
                            + " (content hash unknown; blocks verified against the CID)");
        }
        try {
            return fetch(expected, cid, expected == null ? Tier.IPFS : Tier.POSTGRES, dest, notes);
        } catch (ContentNotFoundException e) {
            misses.add(e.getMessage());
            throw new ContentNotFoundException(
                    cid + ": not found (" + String.join("; ", misses) + ")");
        }
    }

    // ------------------------------------------------------------------ steps

    private Optional<Result> fromLocalStore(
            String hash, Cid cid, Path dest, List<String> notes, List<String> misses)
            throws IOException {
        String label = hash != null ? hash : cid.toString();
        if (!Files.isDirectory(io.artdag.l1.store.StoreLayout.segments(store))
                || !Files.isRegularFile(LocalStore.indexFile(store))) {
            misses.add("local store " + store + ": none");
            return Optional.empty();
        }
        try (LocalStore s = LocalStore.openExisting(store);
                StoreReader reader = new StoreReader(s)) {
            Optional<ContentRecord> rec =
                    hash != null
                            ? s.index().content(hash)
                            : s.index().contentByRoot(cid.toString());
            if (rec.isEmpty()) {
                misses.add("local store " + store + ": no such content");
                return Optional.empty();
            }
            try {
                long n = reader.copyTo(rec.get(), dest);
                return Optional.of(
                        new Result(
                                rec.get().contentHash(),
                                rec.get().rootCid(),
                                n,
                                Tier.LOCAL_STORE,
                                true,
                                0,
                                null,
                                List.copyOf(notes)));
            } catch (io.artdag.l1.store.NotKeptLocallyException e) {
                misses.add("local store " + store + ": published to IPFS, not kept locally");
                return Optional.empty();
            } catch (CorruptContentException e) {
                String m =
                        "local store "
                                + store
                                + " holds corrupt bytes for "
                                + label
                                + " (run l1 verify): "
                                + message(e);
                notes.add(m);
                misses.add(m);
                return Optional.empty();
            }
        }
    }

    /** Serves a local copy if it is there and still hashes to its name; deletes it otherwise. */
    private Optional<Result> fromLocalCopy(
            String hash, String cid, Path dest, List<String> notes, List<String> misses)
            throws IOException {
        Path copy = localCopy(hash);
        if (!Files.isRegularFile(copy)) {
            misses.add("local copy " + copy + ": none");
            return Optional.empty();
        }
        try (StagedFile staged = StagedFile.beside(dest, ".l1-get-")) {
            Sha3Hasher sha3 = ContentHashes.newSha3_256();
            long n;
            try (InputStream in = Files.newInputStream(copy);
                    OutputStream out = new HashingOutputStream(staged.open(), sha3)) {
                n = in.transferTo(out);
            }
            String actual = ContentHashes.hex(sha3.digest());
            if (!actual.equals(hash)) {
                Files.deleteIfExists(copy);
                String m =
                        "local copy "
                                + copy
                                + " is corrupt (its "
                                + n
                                + " bytes hash to "
                                + actual
                                + "): deleted, looking further";
                notes.add(m);
                misses.add(m);
                return Optional.empty();
            }
            staged.commit();
            return Optional.of(
                    new Result(hash, cid, n, Tier.LOCAL_COPY, true, 0, copy, List.copyOf(notes)));
        }
    }

    /**
     * Fetches {@code root}'s DAG from Kubo block by block, verifying each block against its CID and
     * the whole against {@code expected} (when not null); keeps a local copy; then moves the bytes
     * into {@code dest}.
     */
    private Result fetch(String expected, Cid root, Tier tier, Path dest, List<String> notes)
            throws IOException {
        String label = expected != null ? expected : root.toString();
        blocksFetched = 0;
        try (StagedFile staged = StagedFile.beside(dest, ".l1-get-")) {
            Sha3Hasher sha3 = ContentHashes.newSha3_256();
            long n;
            try (OutputStream out =
                    new HashingOutputStream(
                            new BufferedOutputStream(staged.open(), 1 << 16), sha3)) {
                n = UnixFsReader.readFile(root, this::kuboBlock, out);
            } catch (CorruptBlockException e) {
                throw new CorruptContentException(
                        label
                                + ": IPFS block "
                                + e.cid()
                                + " of "
                                + root
                                + " does not verify ("
                                + e.getMessage()
                                + "); nothing written",
                        e);
            } catch (KuboException e) {
                String m = message(e);
                if (m.contains("not found") || m.contains("could not find")) {
                    throw new ContentNotFoundException(
                            label
                                    + ": "
                                    + (tier == Tier.IPFS
                                            ? "Kubo "
                                            : tier.description() + " names " + root + ", but Kubo ")
                                    + settings.kubo().apiUrl()
                                    + " does not have it: "
                                    + m);
                }
                throw new IOException(
                        label
                                + ": cannot fetch "
                                + root
                                + " from Kubo "
                                + settings.kubo().apiUrl()
                                + ": "
                                + m,
                        e);
            }
            String actual = ContentHashes.hex(sha3.digest());
            if (expected != null && !actual.equals(expected)) {
                throw new CorruptContentException(
                        expected
                                + ": the "
                                + n
                                + " bytes of "
                                + root
                                + " (named by "
                                + tier.description()
                                + ") hash to "
                                + actual
                                + ", not to the content hash; nothing written");
            }
            Path kept = keepLocalCopy(staged.path(), actual, root, notes);
            staged.commit();
            return new Result(
                    actual,
                    root.toString(),
                    n,
                    tier,
                    expected != null,
                    blocksFetched,
                    kept,
                    List.copyOf(notes));
        }
    }

    private byte[] kuboBlock(Cid cid) throws IOException {
        byte[] b = kubo().blockGet(cid.toString());
        blocksFetched++;
        return b;
    }

    /**
     * Copies verified bytes to {@code fetched/<hash>} (temporary file, fsync, rename, directory
     * fsync) and records {@code fetched/by-cid/<cid>}. A failure is a note, not an error: the
     * caller still gets its bytes.
     */
    private Path keepLocalCopy(Path verified, String hash, Cid cid, List<String> notes) {
        Path dir = fetchedDir();
        Path byCid = dir.resolve("by-cid");
        try {
            Files.createDirectories(byCid);
            try (StagedFile copy = StagedFile.beside(dir.resolve(hash), ".fetch-")) {
                Files.copy(verified, copy.path(), StandardCopyOption.REPLACE_EXISTING);
                copy.commit();
            }
            try (StagedFile link = StagedFile.beside(byCid.resolve(cid.toString()), ".link-")) {
                Files.writeString(link.path(), hash + "\n", StandardCharsets.US_ASCII);
                link.commit();
            }
            return dir.resolve(hash);
        } catch (IOException e) {
            notes.add("could not keep a local copy in " + dir + ": " + message(e));
            return null;
        }
    }

    // ------------------------------------------------------------------ plumbing

    private static String message(Throwable e) {
        String m = e.getMessage();
        if ((m == null || m.isBlank()) && e.getCause() != null) {
            return message(e.getCause());
        }
        m = m == null ? e.getClass().getSimpleName() : m;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private KuboClient kubo() {
        if (kubo == null) {
            kubo = new KuboClient(settings.kubo());
        }
        return kubo;
    }

    private RedisIndex redis() {
        if (redis == null) {
            redis = new RedisIndex(settings.redis());
        }
        return redis;
    }

    private ProvenanceStore postgres() {
        if (postgres == null) {
            postgres = new ProvenanceStore(settings.postgres());
        }
        return postgres;
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }

    /** Passes bytes through while hashing them. */
    private static final class HashingOutputStream extends FilterOutputStream {
        private final Sha3Hasher sha3;

        HashingOutputStream(OutputStream out, Sha3Hasher sha3) {
            super(out);
            this.sha3 = sha3;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            sha3.update(b, off, len);
            out.write(b, off, len);
        }
    }
}
