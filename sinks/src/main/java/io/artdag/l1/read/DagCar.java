package io.artdag.l1.read;

import io.artdag.l1.car.CarV1Writer;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.DagPb;
import io.artdag.l1.ipld.Multihash;
import io.artdag.l1.ipld.UnixFsData;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.annotation.Internal;

/**
 * Writes the DAG under a root CID as a CARv1 whose single root is that CID, in the trustless
 * gateway's {@code order=dfs}: depth first from the root, each node before its children, children
 * in link order; with {@code dups=n} each block once (its first occurrence), with {@code dups=y}
 * every time the walk meets it. Blocks come from a {@link Blocks} source that has verified them
 * against their CIDs. Identity CIDs are walked but never written (the trustless gateway
 * specification excludes them). Links are followed in dag-pb and raw blocks only.
 */
@Internal
public final class DagCar {
    private DagCar() {}

    /** How much of the DAG a CAR holds (the trustless gateway's {@code dag-scope}). */
    public enum Scope {
        /** The root block only. */
        BLOCK,
        /** A UnixFS file's (or raw block's) every block; for other nodes, the root block. */
        ENTITY,
        /** Every block reachable from the root. */
        ALL;

        /** Parses {@code block}, {@code entity} or {@code all}. */
        public static Scope parse(String s) {
            for (Scope v : values()) {
                if (v.name().toLowerCase(Locale.ROOT).equals(s)) {
                    return v;
                }
            }
            throw new IllegalArgumentException(
                    "dag-scope '" + s + "': expected block, entity or all");
        }
    }

    /** Verified blocks by CID. */
    @FunctionalInterface
    public interface Blocks {
        /**
         * The block's bytes, verified against {@code cid}.
         *
         * @throws ReadFailure NOT_FOUND when no source has it
         */
        byte[] get(Cid cid) throws IOException;
    }

    /**
     * Writes the CAR to {@code out}; returns the number of blocks written. The root block is
     * fetched first, so a root nobody has fails with NOT_FOUND before anything is written; a
     * missing child fails with CORRUPT (the DAG is incomplete).
     */
    public static long write(Cid root, Scope scope, boolean dups, Blocks blocks, OutputStream out)
            throws IOException {
        byte[] rootData = fetch(root, blocks);
        try (CarV1Writer car = new CarV1Writer(out, List.of(root))) {
            Set<Cid> seen = new HashSet<>();
            Deque<Cid> stack = new ArrayDeque<>();
            stack.push(root);
            boolean first = true;
            while (!stack.isEmpty()) {
                Cid c = stack.pop();
                if (!dups && !seen.add(c)) {
                    continue;
                }
                byte[] data;
                if (first) {
                    data = rootData;
                } else {
                    try {
                        data = fetch(c, blocks);
                    } catch (ReadFailure e) {
                        if (e.kind() != ReadFailure.Kind.NOT_FOUND) {
                            throw e;
                        }
                        throw new ReadFailure(
                                ReadFailure.Kind.CORRUPT,
                                root + ": the DAG is incomplete: " + e.getMessage(),
                                e);
                    }
                }
                if (c.multihash().code() != Multihash.IDENTITY) {
                    car.put(c, data);
                }
                if (first && !followLinks(root, rootData, scope)) {
                    break;
                }
                first = false;
                List<Cid> links = links(c, data);
                for (int i = links.size() - 1; i >= 0; i--) {
                    stack.push(links.get(i));
                }
            }
            return car.blockCount();
        }
    }

    private static byte[] fetch(Cid cid, Blocks blocks) throws IOException {
        if (cid.multihash().code() == Multihash.IDENTITY) {
            return cid.multihash().digest();
        }
        return blocks.get(cid);
    }

    private static boolean followLinks(Cid root, byte[] data, Scope scope) throws ReadFailure {
        switch (scope) {
            case BLOCK:
                return false;
            case ALL:
                return true;
            default:
                if (root.codec() != Cid.DAG_PB) {
                    return false;
                }
                int type = unixFsType(root, data);
                return type == UnixFsData.FILE || type == UnixFsData.RAW;
        }
    }

    private static int unixFsType(Cid cid, byte[] data) throws ReadFailure {
        try {
            DagPb.PbNode node = DagPb.decode(data);
            return node.data() == null ? -1 : UnixFsData.decode(node.data()).type();
        } catch (IllegalArgumentException e) {
            throw new ReadFailure(
                    ReadFailure.Kind.CORRUPT,
                    "block " + cid + " is not valid dag-pb: " + e.getMessage(),
                    e);
        }
    }

    private static List<Cid> links(Cid cid, byte[] data) throws ReadFailure {
        if (cid.codec() == Cid.RAW) {
            return List.of();
        }
        if (cid.codec() != Cid.DAG_PB) {
            throw new ReadFailure(
                    ReadFailure.Kind.UNSUPPORTED,
                    "block "
                            + cid
                            + ": codec 0x"
                            + Long.toHexString(cid.codec())
                            + " is not walked (dag-pb and raw only); ask for dag-scope=block");
        }
        try {
            return DagPb.decode(data).links().stream().map(DagPb.PbLink::hash).toList();
        } catch (IllegalArgumentException e) {
            throw new ReadFailure(
                    ReadFailure.Kind.CORRUPT,
                    "block " + cid + " is not valid dag-pb: " + e.getMessage(),
                    e);
        }
    }
}
