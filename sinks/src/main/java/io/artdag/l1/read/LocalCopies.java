package io.artdag.l1.read;

import io.artdag.l1.hash.ContentHashes;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.read.L1ContentReader.Result;
import io.artdag.l1.read.L1ContentReader.Tier;
import io.artdag.l1.store.StagedFile;
import io.artdag.l1.store.StoreLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The copies l1 mode keeps of content it fetched: {@code <store>/fetched/<content_hash>}, and
 * {@code fetched/by-cid/<cid>} holding the content hash of a root CID. A copy is checked against
 * the hash it is named by every time it is served; one that does not verify is deleted.
 */
final class LocalCopies {
    private final Path dir;

    LocalCopies(Path store) {
        this.dir = store.resolve(StoreLayout.FETCHED);
    }

    Path dir() {
        return dir;
    }

    /** The local copy of a content hash (it may not exist). */
    Path copy(String contentHash) {
        return dir.resolve(contentHash);
    }

    /**
     * The content hash {@code fetched/by-cid/<cid>} records, if any; a link that holds no content
     * hash is noted and ignored.
     */
    Optional<String> contentHashOf(Cid cid, LookupTrail trail) throws IOException {
        Path link = dir.resolve("by-cid").resolve(cid.toString());
        if (!Files.isRegularFile(link)) {
            return Optional.empty();
        }
        String hash = Files.readString(link, StandardCharsets.US_ASCII).strip();
        if (!ContentHashes.isContentHash(hash)) {
            trail.note(link + " does not hold a content hash: ignored");
            return Optional.empty();
        }
        return Optional.of(hash);
    }

    /** Serves the copy of {@code hash} into {@code dest} if it is there and still verifies. */
    Optional<Result> serve(String hash, String cid, Path dest, LookupTrail trail)
            throws IOException {
        Path copy = copy(hash);
        if (!Files.isRegularFile(copy)) {
            trail.miss("local copy " + copy + ": none");
            return Optional.empty();
        }
        try (HashedStagedFile staged = new HashedStagedFile(dest)) {
            long n;
            try (InputStream in = Files.newInputStream(copy);
                    OutputStream out = staged.open()) {
                n = in.transferTo(out);
            }
            String actual = staged.sha3Hex();
            if (!actual.equals(hash)) {
                Files.deleteIfExists(copy);
                trail.problem(
                        "local copy "
                                + copy
                                + " is corrupt (its "
                                + n
                                + " bytes hash to "
                                + actual
                                + "): deleted, looking further");
                return Optional.empty();
            }
            staged.commit();
            return Optional.of(
                    new Result(hash, cid, n, Tier.LOCAL_COPY, true, 0, copy, trail.notes()));
        }
    }

    /**
     * Copies verified bytes to {@code fetched/<hash>} (temporary file, fsync, rename, directory
     * fsync) and records {@code fetched/by-cid/<cid>}. A failure is a note, not an error: the
     * caller still gets its bytes.
     *
     * @return the copy, or null when it could not be kept
     */
    Path keep(Path verified, String hash, Cid cid, LookupTrail trail) {
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
            trail.note("could not keep a local copy in " + dir + ": " + LookupTrail.message(e));
            return null;
        }
    }
}
