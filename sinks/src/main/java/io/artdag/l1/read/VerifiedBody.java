package io.artdag.l1.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.flink.annotation.Internal;

/**
 * Bytes that have been verified and may be served: held in memory, or in a temporary file that
 * {@link #close()} deletes. Any part of them can be written out any number of times.
 */
@Internal
public final class VerifiedBody implements AutoCloseable {
    private final byte[] memory;
    private final Path file;
    private final long size;

    private VerifiedBody(byte[] memory, Path file, long size) {
        this.memory = memory;
        this.file = file;
        this.size = size;
    }

    /** Bytes in memory (the array is not copied: the caller hands it over). */
    public static VerifiedBody of(byte[] bytes) {
        return new VerifiedBody(bytes, null, bytes.length);
    }

    /** A temporary file of {@code size} bytes, owned by the body from now on. */
    public static VerifiedBody ofTemporaryFile(Path file, long size) {
        return new VerifiedBody(null, file, size);
    }

    public long size() {
        return size;
    }

    /** The temporary file holding the bytes, or null when they are in memory. */
    public Path file() {
        return file;
    }

    /** All the bytes, in a new array (for small bodies and tests). */
    public byte[] bytes() throws IOException {
        return memory != null ? memory.clone() : Files.readAllBytes(file);
    }

    /** Writes {@code length} bytes starting at {@code offset} to {@code out}. */
    public void writeTo(OutputStream out, long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException(
                    "range " + offset + "+" + length + " outside " + size + " bytes");
        }
        if (memory != null) {
            out.write(memory, (int) offset, (int) length);
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(offset);
            InputStream in = Channels.newInputStream(ch);
            byte[] buf = new byte[1 << 16];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException(file + ": shorter than the " + size + " bytes verified");
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }
}
