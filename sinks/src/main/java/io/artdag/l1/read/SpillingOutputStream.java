package io.artdag.l1.read;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Collects bytes in memory up to a limit and in a temporary file beyond it; {@link #finish()} turns
 * them into a {@link VerifiedBody} once the caller has verified them, {@link #discard()} drops
 * them.
 */
final class SpillingOutputStream extends OutputStream {
    private final Path dir;
    private final int memoryLimit;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path file;
    private OutputStream fileOut;
    private long size;

    SpillingOutputStream(Path dir, int memoryLimit) {
        this.dir = dir;
        this.memoryLimit = memoryLimit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (fileOut == null && memory.size() + (long) len > memoryLimit) {
            file = Files.createTempFile(dir, "body-", ".tmp");
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            memory.writeTo(fileOut);
            memory = null;
        }
        if (fileOut != null) {
            fileOut.write(b, off, len);
        } else {
            memory.write(b, off, len);
        }
        size += len;
    }

    /** The bytes written, to be served: call only once they verified. */
    VerifiedBody finish() throws IOException {
        if (fileOut == null) {
            return VerifiedBody.of(memory.toByteArray());
        }
        fileOut.close();
        return VerifiedBody.ofTemporaryFile(file, size);
    }

    /** Drops what was written (bytes that did not verify, or a failed read). */
    void discard() {
        memory = null;
        if (fileOut != null) {
            try {
                fileOut.close();
            } catch (IOException ignored) {
                // deleted below
            }
        }
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the server's temporary directory is removed when it stops
            }
        }
    }
}
