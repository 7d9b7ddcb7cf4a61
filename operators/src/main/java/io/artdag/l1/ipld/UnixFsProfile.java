package io.artdag.l1.ipld;

import java.util.Arrays;
import java.util.stream.Collectors;

/** UnixFS import profiles (IPIP-499 names). */
public enum UnixFsProfile {
    /** CIDv1, raw leaves, 1 MiB chunks, 1024 links per node, sha2-256. */
    V1_2025("unixfs-v1-2025", 1, true, 1 << 20, 1024),
    /** Kubo's classic default: CIDv0, dag-pb leaves, 256 KiB chunks, 174 links per node. */
    V0_2015("unixfs-v0-2015", 0, false, 256 * 1024, 174);

    public static final UnixFsProfile DEFAULT = V1_2025;

    private final String id;
    private final int cidVersion;
    private final boolean rawLeaves;
    private final int chunkSize;
    private final int maxLinks;

    UnixFsProfile(String id, int cidVersion, boolean rawLeaves, int chunkSize, int maxLinks) {
        this.id = id;
        this.cidVersion = cidVersion;
        this.rawLeaves = rawLeaves;
        this.chunkSize = chunkSize;
        this.maxLinks = maxLinks;
    }

    public static UnixFsProfile defaultProfile() {
        return DEFAULT;
    }

    public String id() {
        return id;
    }

    public int cidVersion() {
        return cidVersion;
    }

    public boolean rawLeaves() {
        return rawLeaves;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int maxLinks() {
        return maxLinks;
    }

    public static UnixFsProfile fromId(String id) {
        for (UnixFsProfile p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown UnixFS profile \""
                        + id
                        + "\"; valid ids: "
                        + Arrays.stream(values())
                                .map(UnixFsProfile::id)
                                .collect(Collectors.joining(", ")));
    }
}
