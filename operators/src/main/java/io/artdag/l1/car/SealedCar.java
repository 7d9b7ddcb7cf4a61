package io.artdag.l1.car;

import io.artdag.l1.ipld.Cid;
import java.nio.file.Path;
import java.util.List;

/** The result of {@link CarV2Writer#seal(boolean)}; all offsets are absolute file offsets. */
public record SealedCar(
        Path file,
        List<Cid> roots,
        long dataOffset,
        long dataSize,
        long indexOffset,
        long fileSize,
        List<BlockLocation> blocks) {

    /** The blocks the index lists: all but identity-hashed ones, as a CAR reader counts them. */
    public long indexedBlocks() {
        long n = 0;
        for (BlockLocation b : blocks) {
            if (CarFormat.indexed(b.cid().multihash())) {
                n++;
            }
        }
        return n;
    }
}
