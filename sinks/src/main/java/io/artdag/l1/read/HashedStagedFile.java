package io.artdag.l1.read;

import io.artdag.l1.hash.Sha3OutputStream;
import io.artdag.l1.store.StagedFile;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The read path's one verified write: bytes go to a {@link StagedFile} beside the destination and
 * through SHA3-256 on the way, so the caller checks {@link #sha3Hex()} before {@link #commit()}
 * moves the file into place (fsynced, atomically). Closed without a commit, nothing is written.
 */
final class HashedStagedFile implements Closeable {
    private final StagedFile staged;
    private Sha3OutputStream hashing;
    private String hex;

    HashedStagedFile(Path dest) throws IOException {
        this.staged = StagedFile.beside(dest, ".l1-get-");
    }

    /** A stream that hashes what it writes into the temporary file; close it before checking. */
    OutputStream open() throws IOException {
        hashing = new Sha3OutputStream(new BufferedOutputStream(staged.open(), 1 << 16));
        return hashing;
    }

    /** The SHA3-256 of what was written, in lowercase hex (once the stream is closed). */
    String sha3Hex() {
        if (hex == null) {
            hex = hashing.sha3Hex();
        }
        return hex;
    }

    /** The temporary file, for a copy made before the commit. */
    Path path() {
        return staged.path();
    }

    /** Moves the verified file into place. */
    void commit() throws IOException {
        staged.commit();
    }

    @Override
    public void close() throws IOException {
        staged.close();
    }
}
