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
        List<BlockLocation> blocks) {}
