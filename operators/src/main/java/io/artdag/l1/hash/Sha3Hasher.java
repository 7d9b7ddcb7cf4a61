package io.artdag.l1.hash;

import java.nio.ByteBuffer;

/**
 * A streaming SHA3-256 hasher (FIPS 202). Not thread-safe; one instance per thread/operator
 * subtask. Obtain instances from {@link ContentHashes#newSha3_256()}.
 */
public interface Sha3Hasher {

    /** Absorbs {@code len} bytes of {@code b} starting at {@code off}. */
    void update(byte[] b, int off, int len);

    /**
     * Absorbs the remaining bytes of {@code buf} (position to limit); on return the buffer's
     * position equals its limit. Works for heap and direct buffers.
     */
    void update(ByteBuffer buf);

    /** Finishes the hash, returns the 32-byte digest and resets this hasher for reuse. */
    byte[] digest();
}
