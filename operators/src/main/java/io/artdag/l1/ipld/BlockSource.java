package io.artdag.l1.ipld;

import java.io.IOException;

/** Looks blocks up by CID (for the read path). */
@FunctionalInterface
public interface BlockSource {
    /** Returns the block's bytes; throws (e.g. {@link java.io.FileNotFoundException}) if absent. */
    byte[] get(Cid cid) throws IOException;
}
