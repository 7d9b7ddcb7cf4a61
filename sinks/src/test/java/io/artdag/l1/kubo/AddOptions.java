package io.artdag.l1.kubo;

import io.artdag.l1.ipld.UnixFsProfile;
import org.apache.flink.annotation.Internal;

/**
 * UnixFS import parameters of Kubo's {@code add}: {@code cid-version}, {@code raw-leaves}, {@code
 * chunker=size-<chunkSize>} and {@code max-file-links} (Kubo's {@code --max-file-links}; {@code
 * null} leaves Kubo's default, {@code Import.UnixFSFileMaxLinks}, which is 174 unless configured).
 * Layout is always balanced (not trickle), hash sha2-256, no inlining.
 */
@Internal
public record AddOptions(int cidVersion, boolean rawLeaves, int chunkSize, Integer maxFileLinks) {
    public AddOptions {
        if (cidVersion != 0 && cidVersion != 1) {
            throw new IllegalArgumentException("cidVersion must be 0 or 1, got " + cidVersion);
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be positive, got " + chunkSize);
        }
        if (maxFileLinks != null && maxFileLinks < 2) {
            throw new IllegalArgumentException("maxFileLinks must be >= 2, got " + maxFileLinks);
        }
    }

    /** The parameters that make Kubo build the same DAG as the L1 store under {@code p}. */
    public static AddOptions of(UnixFsProfile p) {
        return new AddOptions(p.cidVersion(), p.rawLeaves(), p.chunkSize(), p.maxLinks());
    }

    /** The same without {@code max-file-links}: Kubo's configured/default width. */
    public AddOptions withKuboDefaultMaxLinks() {
        return new AddOptions(cidVersion, rawLeaves, chunkSize, null);
    }
}
