package io.artdag.l1.hash;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes bytes through to another stream while hashing them with SHA3-256: the one way a reader
 * checks what it writes against a content hash (the store's reader, the l1 read path). Internal.
 */
public final class Sha3OutputStream extends FilterOutputStream {
    private final Sha3Hasher sha3;

    /** Hashes with a new {@link ContentHashes#newSha3_256()}. */
    public Sha3OutputStream(OutputStream out) {
        this(out, ContentHashes.newSha3_256());
    }

    public Sha3OutputStream(OutputStream out, Sha3Hasher sha3) {
        super(out);
        this.sha3 = sha3;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        sha3.update(b, off, len);
        out.write(b, off, len);
    }

    /** The SHA3-256 of everything written so far, in lowercase hex; resets the hasher. */
    public String sha3Hex() {
        return ContentHashes.hex(sha3.digest());
    }
}
