package io.artdag.l1.store;

import io.artdag.l1.car.BlockLocation;
import io.artdag.l1.car.CarV2Reader;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.Multihash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One pass over a segment file's sections, the part of a segment's check that {@link StoreVerifier}
 * and {@link StoreRepair} share: every block must hash to its CID and appear once. What the pass
 * records, where each block's section is and which CIDs are present, is what the embedded index,
 * the header roots and the store index are then checked against.
 */
final class SegmentSections {
    /** What is wrong with a section. */
    enum Problem {
        BAD_HASH("does not hash to its CID"),
        TWICE("appears twice");

        final String what;

        Problem(String what) {
            this.what = what;
        }
    }

    /** A section that fails a check. */
    record Bad(BlockLocation section, Problem problem) {}

    private final Map<ByteBuffer, Long> offsets = new HashMap<>();
    private final Set<String> present = new HashSet<>();
    private long sectionsRead;

    /**
     * Reads the sections of {@code car} in order, telling {@code readOn} of each one that fails a
     * check: the pass stops there when it answers false, and returns that section; null when every
     * section was read.
     */
    Bad read(CarV2Reader car, Predicate<Bad> readOn) throws IOException {
        Iterator<BlockLocation> it = car.sections();
        while (it.hasNext()) {
            BlockLocation loc = it.next();
            byte[] data = car.readBlock(loc);
            Cid cid = loc.cid();
            if (!hashes(cid, data)) {
                Bad bad = new Bad(loc, Problem.BAD_HASH);
                if (!readOn.test(bad)) {
                    return bad;
                }
            }
            ByteBuffer key = ByteBuffer.wrap(cid.multihash().toBytes());
            if (offsets.put(key, loc.sectionOffset() - car.dataOffset()) != null) {
                Bad bad = new Bad(loc, Problem.TWICE);
                if (!readOn.test(bad)) {
                    return bad;
                }
            }
            present.add(cid.toString());
            sectionsRead++;
        }
        return null;
    }

    /** The sections read so far. */
    long sectionsRead() {
        return sectionsRead;
    }

    /** The distinct blocks read. */
    int blocks() {
        return offsets.size();
    }

    /** Whether a section of the block {@code multihash} starts at {@code offset} in the payload. */
    boolean holdsAt(byte[] multihash, long offset) {
        Long at = offsets.get(ByteBuffer.wrap(multihash));
        return at != null && at == offset;
    }

    /** Whether a header root names no block of the segment (the empty identity CID needs none). */
    boolean lacksRoot(Cid root) {
        return !root.equals(Cid.EMPTY_IDENTITY) && !present.contains(root.toString());
    }

    private static boolean hashes(Cid cid, byte[] data) {
        Multihash mh = cid.multihash();
        if (mh.code() == Multihash.IDENTITY) {
            return Arrays.equals(mh.digest(), data);
        }
        return mh.code() == Multihash.SHA2_256 && Multihash.sha256(data, 0, data.length).equals(mh);
    }
}
