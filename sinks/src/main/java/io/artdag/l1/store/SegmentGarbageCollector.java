package io.artdag.l1.store;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.DagPb;
import io.artdag.l1.ipld.Multihash;
import io.artdag.l1.ipld.UnixFsReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The last step of {@link StoreRepair}: once contents were dropped, or a segment lists a root no
 * content of it has, rewrites every segment that holds blocks or lists roots that no remaining
 * content needs ({@link SegmentRewriter}), so that nothing of a dropped content stays listed.
 */
final class SegmentGarbageCollector {
    private final LocalStore store;
    private final RepairLog log;

    SegmentGarbageCollector(LocalStore store, RepairLog log) {
        this.store = store;
        this.log = log;
    }

    /**
     * Rewrites every segment that holds a block no remaining content's DAG needs or lists a root
     * that is not the root of a content recorded with it. Runs when this repair dropped a content
     * or some segment lists such a root (also what a repair that was interrupted after dropping
     * contents left behind); a store without either is not touched.
     */
    void dropWhatNoContentNeeds() throws IOException {
        List<ContentRecord> all = new ArrayList<>();
        store.index().forEachContent(all::add);
        Map<String, Set<String>> owned = new HashMap<>();
        for (ContentRecord c : all) {
            owned.computeIfAbsent(c.segment(), k -> new HashSet<>()).add(c.rootCid());
        }
        List<StoreIndex.SegmentRow> rows = store.index().segments();
        boolean strayRoot = false;
        for (StoreIndex.SegmentRow row : rows) {
            Set<String> own = owned.getOrDefault(row.name(), Set.of());
            for (String r : row.roots()) {
                strayRoot |= !r.equals(Cid.EMPTY_IDENTITY.toString()) && !own.contains(r);
            }
        }
        if (!log.droppedAny() && !strayRoot) {
            return;
        }
        Set<ByteBuffer> live = liveBlocks(all);
        Set<String> remote = store.index().remoteSegments();
        int n = 0;
        for (StoreIndex.SegmentRow row : rows) {
            if (remote.contains(row.name())) {
                continue; // no local file to rewrite
            }
            log.progress("collecting garbage " + ++n + "/" + rows.size() + " " + row.name());
            Path file = store.segmentFile(row.name());
            Set<String> own = owned.getOrDefault(row.name(), Set.of());
            Predicate<Multihash> keepBlock = mh -> live.contains(ByteBuffer.wrap(mh.toBytes()));
            Predicate<Cid> keepRoot = r -> own.contains(r.toString());
            if (SegmentRewriter.garbage(file, keepBlock, keepRoot).none()) {
                continue;
            }
            SegmentRewriter.Result r = SegmentRewriter.rewrite(file, keepBlock, keepRoot);
            store.index().reconcileSegment(row.name(), r.fileSize(), r.roots(), r.entries());
            String what =
                    "segment "
                            + row.name()
                            + " rewritten without "
                            + (r.rootsDropped().isEmpty()
                                    ? ""
                                    : plural(r.rootsDropped().size(), "root")
                                            + " "
                                            + String.join(" ", r.rootsDropped())
                                            + " and ")
                            + plural(r.blocksDropped(), "block")
                            + " that no remaining content has ("
                            + plural(r.blocksKept(), "block")
                            + " kept)";
            log.rewritten(what);
        }
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /**
     * The multihashes of every block the contents' DAGs link to, walked from their roots through
     * the index (raw leaves are not read: the link names them).
     */
    private Set<ByteBuffer> liveBlocks(List<ContentRecord> contents) throws IOException {
        Set<ByteBuffer> live = new HashSet<>();
        Deque<Cid> todo = new ArrayDeque<>();
        int n = 0;
        try (StoreReader reader = new StoreReader(store)) {
            for (ContentRecord c : contents) {
                if (++n % 100 == 0) {
                    log.progress("walking content " + n + "/" + contents.size());
                }
                todo.push(Cid.parse(c.rootCid()));
                while (!todo.isEmpty()) {
                    Cid cid = todo.pop();
                    if (!live.add(ByteBuffer.wrap(cid.multihash().toBytes()))
                            || cid.codec() != Cid.DAG_PB) {
                        continue;
                    }
                    byte[] block;
                    try {
                        block = UnixFsReader.verifiedBlock(cid, reader::block);
                    } catch (NotKeptLocallyException e) {
                        // Published and not kept: its subtree was written before it, so it is
                        // in segments kept in IPFS only too.
                        continue;
                    }
                    List<DagPb.PbLink> links;
                    try {
                        links = DagPb.decode(block).links();
                    } catch (IllegalArgumentException e) {
                        throw new StoreException(
                                c.contentHash()
                                        + ": block "
                                        + cid
                                        + " does not decode: "
                                        + e.getMessage(),
                                e);
                    }
                    for (DagPb.PbLink l : links) {
                        todo.push(l.hash());
                    }
                }
            }
        }
        return live;
    }
}
