package io.artdag.l1.ipld;

import java.io.IOException;

/**
 * Receives blocks as they are produced. The array may be reused by the caller after {@code accept}
 * returns: implementations that retain the bytes must copy them.
 */
@FunctionalInterface
public interface BlockSink {
    void accept(Cid cid, byte[] data, int off, int len) throws IOException;

    /** A sink that discards every block. */
    BlockSink DISCARD = (cid, data, off, len) -> {};
}
