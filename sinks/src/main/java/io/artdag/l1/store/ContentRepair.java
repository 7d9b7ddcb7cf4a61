package io.artdag.l1.store;

import io.artdag.l1.hash.ContentHashes;
import io.artdag.l1.hash.Sha3Hasher;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.UnixFsProfile;
import io.artdag.l1.ipld.UnixFsReader;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The content side of {@link StoreRepair}: drops the contents that no longer read back to their
 * hash, and records one content for each root of an adopted segment whose DAG reads back completely
 * (its SHA3-256 and size computed from the bytes).
 */
final class ContentRepair {
    static final String RECOVERED_PATH = "(recovered by l1 verify --repair)";

    private final LocalStore store;
    private final RepairLog log;

    ContentRepair(LocalStore store, RepairLog log) {
        this.store = store;
        this.log = log;
    }

    /** Drops every content that does not read back to its hash through the (reconciled) index. */
    void dropUnreadableContents() throws IOException {
        List<ContentRecord> all = new ArrayList<>();
        store.index().forEachContent(all::add);
        Map<String, Set<String>> rootsBySegment = new HashMap<>();
        for (StoreIndex.SegmentRow r : store.index().segments()) {
            rootsBySegment.put(r.name(), new HashSet<>(r.roots()));
        }
        int n = 0;
        try (StoreReader reader = new StoreReader(store)) {
            for (ContentRecord c : all) {
                if (++n % 100 == 0) {
                    log.progress("content " + n + "/" + all.size());
                }
                String why = null;
                Set<String> roots = rootsBySegment.get(c.segment());
                if (roots == null || !roots.contains(c.rootCid())) {
                    why = "root " + c.rootCid() + " is not listed by segment " + c.segment();
                } else {
                    try {
                        reader.readVerified(c, OutputStream.nullOutputStream());
                    } catch (NotKeptLocallyException e) {
                        // In IPFS only: nothing here to check.
                    } catch (IOException e) {
                        why = e.getMessage();
                    }
                }
                if (why != null) {
                    store.index().dropContent(c.contentHash());
                    log.dropped(c.contentHash(), why);
                }
            }
        }
    }

    /** One content per root of each adopted segment whose DAG reads back completely. */
    void recoverContents() throws IOException {
        List<String> adopted = log.adopted();
        if (adopted.isEmpty()) {
            return;
        }
        Set<String> adoptedSet = new HashSet<>(adopted);
        try (StoreReader reader = new StoreReader(store)) {
            for (StoreIndex.SegmentRow row : store.index().segments()) {
                if (!adoptedSet.contains(row.name())) {
                    continue;
                }
                for (String r : row.roots()) {
                    Cid cid = Cid.parse(r);
                    if (cid.equals(Cid.EMPTY_IDENTITY)
                            || store.index().contentByRoot(r).isPresent()) {
                        continue;
                    }
                    Sha3Hasher sha3 = ContentHashes.newSha3_256();
                    long size;
                    try {
                        size = UnixFsReader.readFile(cid, reader::block, hashing(sha3));
                    } catch (IOException e) {
                        log.note(
                                "root "
                                        + r
                                        + " of segment "
                                        + row.name()
                                        + " does not read back ("
                                        + e.getMessage()
                                        + "); not recorded as a content");
                        continue;
                    }
                    String hash = ContentHashes.hex(sha3.digest());
                    if (store.index().hasContent(hash)) {
                        continue;
                    }
                    store.index()
                            .commitRecords(
                                    List.of(
                                            new ContentRecord(
                                                    hash,
                                                    r,
                                                    size,
                                                    profileOf(cid),
                                                    row.name(),
                                                    null,
                                                    null,
                                                    RECOVERED_PATH,
                                                    null)),
                                    List.of(),
                                    List.of());
                    log.recovered(hash);
                }
            }
        }
    }

    /** The profile a root CID was built with: CIDv0 only by the 2015 profile. */
    static String profileOf(Cid root) {
        return (root.version() == 0 ? UnixFsProfile.V0_2015 : UnixFsProfile.V1_2025).id();
    }

    private static OutputStream hashing(Sha3Hasher sha3) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                sha3.update(b, off, len);
            }
        };
    }
}
