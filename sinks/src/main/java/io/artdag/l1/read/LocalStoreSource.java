package io.artdag.l1.read;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.read.L1ContentReader.Result;
import io.artdag.l1.read.L1ContentReader.Tier;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.NotKeptLocallyException;
import io.artdag.l1.store.StoreLayout;
import io.artdag.l1.store.StoreReader;
import io.artdag.l1.store.StoreReader.CorruptContentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The first tier: the local store's index and segments, read with {@link StoreReader} (every block
 * against its CID, the whole against content hash and size). A store holding corrupt bytes is
 * reported in the trail and skipped, never modified.
 */
final class LocalStoreSource {
    private final Path store;

    LocalStoreSource(Path store) {
        this.store = store;
    }

    /** By content hash ({@code hash} set) or by root CID ({@code cid} set). */
    Optional<Result> serve(String hash, Cid cid, Path dest, LookupTrail trail) throws IOException {
        if (!Files.isDirectory(StoreLayout.segments(store))
                || !Files.isRegularFile(LocalStore.indexFile(store))) {
            trail.miss("local store " + store + ": none");
            return Optional.empty();
        }
        try (LocalStore s = LocalStore.openExisting(store);
                StoreReader reader = new StoreReader(s)) {
            Optional<ContentRecord> rec =
                    hash != null
                            ? s.index().content(hash)
                            : s.index().contentByRoot(cid.toString());
            if (rec.isEmpty()) {
                trail.miss("local store " + store + ": no such content");
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
                                trail.notes()));
            } catch (NotKeptLocallyException e) {
                trail.miss("local store " + store + ": published to IPFS, not kept locally");
                return Optional.empty();
            } catch (CorruptContentException e) {
                trail.problem(
                        "local store "
                                + store
                                + " holds corrupt bytes for "
                                + (hash != null ? hash : cid.toString())
                                + " (run l1 verify): "
                                + LookupTrail.message(e));
                return Optional.empty();
            }
        }
    }
}
