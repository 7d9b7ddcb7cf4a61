package io.artdag.l1.ipld;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Unsigned LEB128 varints as specified by multiformats/unsigned-varint: at most 9 bytes (63 bits of
 * payload) and minimally encoded.
 */
public final class Varint {
    /** Maximum encoded length in bytes. */
    public static final int MAX_BYTES = 9;

    private Varint() {}

    /** Writes {@code v} at {@code out[off]}; returns the number of bytes written. */
    public static int write(long v, byte[] out, int off) {
        checkRange(v);
        int i = off;
        while ((v & ~0x7FL) != 0) {
            out[i++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[i++] = (byte) v;
        return i - off;
    }

    public static byte[] encode(long v) {
        byte[] b = new byte[size(v)];
        write(v, b, 0);
        return b;
    }

    public static int size(long v) {
        checkRange(v);
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    /**
     * Reads a varint from the buffer's position, advancing it.
     *
     * @throws IllegalArgumentException on truncation, more than 9 bytes, or a non-minimal encoding
     */
    public static long read(ByteBuffer in) {
        long v = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            int b;
            try {
                b = in.get() & 0xFF;
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("truncated varint after " + i + " byte(s)");
            }
            v |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new IllegalArgumentException("varint is not minimally encoded");
                }
                return v;
            }
        }
        throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
    }

    private static void checkRange(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("varint value out of range (negative): " + v);
        }
    }
}
