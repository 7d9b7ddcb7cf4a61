package io.artdag.l1.store;

import io.artdag.l1.car.BlockLocation;
import io.artdag.l1.car.CarV2Reader;
import io.artdag.l1.car.CarV2Writer;
import io.artdag.l1.car.SealedCar;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.Multihash;
import io.artdag.l1.ipld.Varint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Rewrites a committed segment without some of its blocks and roots, for {@link StoreRepair}: the
 * kept blocks are copied in their order into {@code <name>.car.tmp} next to the segment, with the
 * same header reserve, written the way the segment writer writes a segment ({@link CarV2Writer}:
 * the kept roots, or the placeholder {@link Cid#EMPTY_IDENTITY} when none is left, and a
 * MultihashIndexSorted index); it is fsynced, renamed over the segment, and the directory fsynced.
 * A crash leaves either the old file or the new one (and a {@code .tmp} that {@link
 * LocalStore#repair} deletes); the caller then brings the index in line with the file.
 */
final class SegmentRewriter {
    /** CARv2 pragma and header: the payload's first section is at this plus the reserve. */
    private static final int PREFIX_SIZE = 51;

    private SegmentRewriter() {}

    /** What {@link #rewrite} wrote: the new file's header roots, index entries and size. */
    record Result(
            List<String> roots,
            List<StoreIndex.BlockEntry> entries,
            long fileSize,
            int blocksKept,
            int blocksDropped,
            List<String> rootsDropped) {}

    /** What a rewrite would drop from a segment file: blocks and header roots. */
    record Garbage(int blocks, List<String> roots) {
        boolean none() {
            return blocks == 0 && roots.isEmpty();
        }
    }

    /** The blocks and roots of {@code file} that {@link #rewrite} would drop. */
    static Garbage garbage(Path file, Predicate<Multihash> keepBlock, Predicate<Cid> keepRoot)
            throws IOException {
        try (CarV2Reader car = CarV2Reader.open(file)) {
            int blocks = 0;
            Set<Cid> present = new HashSet<>();
            Iterator<BlockLocation> it = car.sections();
            while (it.hasNext()) {
                Cid cid = it.next().cid();
                if (keepBlock.test(cid.multihash())) {
                    present.add(cid);
                } else {
                    blocks++;
                }
            }
            List<String> roots = new ArrayList<>();
            for (Cid r : car.roots()) {
                if (!r.equals(Cid.EMPTY_IDENTITY) && !keeps(r, present, keepRoot)) {
                    roots.add(r.toString());
                }
            }
            return new Garbage(blocks, roots);
        }
    }

    /** A root stays only when its block stays in the segment too. */
    private static boolean keeps(Cid root, Set<Cid> present, Predicate<Cid> keepRoot) {
        return keepRoot.test(root) && present.contains(root);
    }

    /**
     * Replaces {@code file} by a copy holding only the blocks {@code keepBlock} accepts and the
     * header roots {@code keepRoot} accepts (and whose block is kept).
     */
    static Result rewrite(Path file, Predicate<Multihash> keepBlock, Predicate<Cid> keepRoot)
            throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        SealedCar sealed;
        int dropped = 0;
        List<String> rootsDropped = new ArrayList<>();
        try (CarV2Reader in = CarV2Reader.open(file)) {
            CarV2Writer out = new CarV2Writer(tmp, headerReserve(file, in.dataOffset()));
            try {
                Set<Cid> present = new HashSet<>();
                Iterator<BlockLocation> it = in.sections();
                while (it.hasNext()) {
                    BlockLocation loc = it.next();
                    if (!keepBlock.test(loc.cid().multihash())) {
                        dropped++;
                        continue;
                    }
                    byte[] data = in.readBlock(loc);
                    out.put(loc.cid(), data, 0, data.length);
                    present.add(loc.cid());
                }
                for (Cid r : in.roots()) {
                    if (r.equals(Cid.EMPTY_IDENTITY)) {
                        continue;
                    }
                    if (keeps(r, present, keepRoot)) {
                        out.addRoot(r);
                    } else {
                        rootsDropped.add(r.toString());
                    }
                }
                sealed = out.seal(true);
            } catch (IOException | RuntimeException e) {
                out.close();
                Files.deleteIfExists(tmp);
                throw e;
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LocalStore.fsyncDirectory(file.getParent());
        List<String> roots = new ArrayList<>();
        sealed.roots().forEach(r -> roots.add(r.toString()));
        List<StoreIndex.BlockEntry> entries = new ArrayList<>();
        for (BlockLocation b : sealed.blocks()) {
            Multihash mh = b.cid().multihash();
            if (mh.code() != Multihash.IDENTITY) { // as the writer's index: no identity CIDs
                entries.add(
                        new StoreIndex.BlockEntry(
                                mh.toBytes(), b.sectionOffset() - sealed.dataOffset()));
            }
        }
        return new Result(
                roots,
                entries,
                sealed.fileSize(),
                sealed.blocks().size(),
                dropped,
                List.copyOf(rootsDropped));
    }

    /** The header reserve the segment was written with: its CARv1 header ends at 51 + reserve. */
    private static int headerReserve(Path file, long dataOffset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(Varint.MAX_BYTES);
            while (b.hasRemaining() && ch.read(b, dataOffset + b.position()) > 0) {
                // read the varint's bytes
            }
            b.flip();
            long headerLength = Varint.read(b);
            return Math.toIntExact(dataOffset + b.position() + headerLength - PREFIX_SIZE);
        }
    }
}
