package io.artdag.l1.hash;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The one loop that streams a file's bytes (a local file's channel, or an object's stream from a
 * Flink FileSystem) through a bounded buffer into whatever consumes them: SHA3-256, the UnixFS
 * builder, or both. Used by HashFiles, {@link ContentHashes#sha3Hex}, the segment writer, the
 * UnixFS builder's {@code cidOf} and {@code l1 cid}, so that they read the same bytes the same way.
 */
public final class FileBytes {
    private FileBytes() {}

    /** Takes one chunk: the bytes from the buffer's position to its limit. */
    @FunctionalInterface
    public interface Chunks {
        void accept(ByteBuffer chunk) throws IOException;
    }

    /**
     * A read buffer of {@code size} bytes as the selected SHA3-256 implementation prefers: direct
     * for native code (hashed in place), on the heap for Java code.
     */
    public static ByteBuffer bufferForHashing(int size) {
        return Sha3Implementations.selected().prefersDirectBuffers()
                ? ByteBuffer.allocateDirect(size)
                : ByteBuffer.allocate(size);
    }

    /**
     * Reads {@code in} to its end through {@code buffer}, handing every non-empty chunk to {@code
     * sink}; the caller closes {@code in}.
     *
     * @return the number of bytes read
     */
    public static long stream(ReadableByteChannel in, ByteBuffer buffer, Chunks sink)
            throws IOException {
        long total = 0;
        while (true) {
            buffer.clear();
            int n = in.read(buffer);
            if (n < 0) {
                return total;
            }
            if (n > 0) {
                buffer.flip();
                sink.accept(buffer);
                total += n;
            }
        }
    }

    /**
     * {@link #stream(ReadableByteChannel, ByteBuffer, Chunks)} for a stream (not closed). A heap
     * buffer is read into directly; a direct one is filled through a 64 KiB array.
     */
    public static long stream(InputStream in, ByteBuffer buffer, Chunks sink) throws IOException {
        boolean heap = buffer.hasArray();
        byte[] array = heap ? buffer.array() : new byte[Math.min(buffer.capacity(), 1 << 16)];
        int off = heap ? buffer.arrayOffset() : 0;
        int len = heap ? buffer.capacity() : array.length;
        long total = 0;
        while (true) {
            int n = in.read(array, off, len);
            if (n < 0) {
                return total;
            }
            if (n > 0) {
                buffer.clear();
                if (heap) {
                    buffer.limit(n);
                } else {
                    buffer.put(array, 0, n).flip();
                }
                sink.accept(buffer);
                total += n;
            }
        }
    }

    /**
     * Hands a heap chunk to a consumer of byte arrays (the UnixFS builder) without a copy; the
     * chunk's position is left where it was, so a hasher can take the same chunk after it.
     */
    public static void toArray(ByteBuffer heapChunk, ArrayConsumer out) throws IOException {
        out.write(
                heapChunk.array(),
                heapChunk.arrayOffset() + heapChunk.position(),
                heapChunk.remaining());
    }

    /** Takes bytes from an array, as {@code OutputStream.write(byte[], int, int)} does. */
    @FunctionalInterface
    public interface ArrayConsumer {
        void write(byte[] b, int off, int len) throws IOException;
    }
}
