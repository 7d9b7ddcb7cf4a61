package io.artdag.l1.ipld;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A multihash: varint(code) varint(length) digest. Immutable. */
public final class Multihash {
    public static final int SHA2_256 = 0x12;
    public static final int IDENTITY = 0x00;

    /** Upper bound on digest length accepted when reading (guards against garbage input). */
    public static final int MAX_DIGEST_LENGTH = 1 << 16;

    private final int code;
    private final byte[] digest;
    private final int hash;

    private Multihash(int code, byte[] digest) {
        this.code = code;
        this.digest = digest;
        this.hash = 31 * code + Arrays.hashCode(digest);
    }

    public static Multihash of(int code, byte[] digest) {
        if (code < 0) {
            throw new IllegalArgumentException("negative multihash code " + code);
        }
        if (code == SHA2_256 && digest.length != 32) {
            throw new IllegalArgumentException(
                    "sha2-256 digest must be 32 bytes, got " + digest.length);
        }
        return new Multihash(code, digest.clone());
    }

    public static Multihash sha256(byte[] data, int off, int len) {
        MessageDigest md = newSha256();
        md.update(data, off, len);
        return new Multihash(SHA2_256, md.digest());
    }

    /** Wraps an already computed sha2-256 digest without copying. */
    static Multihash sha256Digest(byte[] digest32) {
        return new Multihash(SHA2_256, digest32);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    public int code() {
        return code;
    }

    public byte[] digest() {
        return digest.clone();
    }

    /** Digest length without copying. */
    public int digestLength() {
        return digest.length;
    }

    /** Internal access without a defensive copy; callers must not modify. */
    byte[] digestUnsafe() {
        return digest;
    }

    public int encodedLength() {
        return Varint.size(code) + Varint.size(digest.length) + digest.length;
    }

    public byte[] toBytes() {
        byte[] out = new byte[encodedLength()];
        writeTo(out, 0);
        return out;
    }

    int writeTo(byte[] out, int off) {
        int i = off;
        i += Varint.write(code, out, i);
        i += Varint.write(digest.length, out, i);
        System.arraycopy(digest, 0, out, i, digest.length);
        return i + digest.length - off;
    }

    /**
     * Reads a binary multihash from the buffer's position.
     *
     * @throws IllegalArgumentException if malformed or truncated
     */
    public static Multihash read(ByteBuffer in) {
        long code = Varint.read(in);
        long len = Varint.read(in);
        if (code > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("multihash code too large: " + code);
        }
        if (len > MAX_DIGEST_LENGTH) {
            throw new IllegalArgumentException("multihash digest length too large: " + len);
        }
        if (in.remaining() < len) {
            throw new IllegalArgumentException(
                    "truncated multihash: digest length "
                            + len
                            + " but only "
                            + in.remaining()
                            + " bytes left");
        }
        byte[] d = new byte[(int) len];
        in.get(d);
        if (code == SHA2_256 && len != 32) {
            throw new IllegalArgumentException("sha2-256 multihash with digest length " + len);
        }
        return new Multihash((int) code, d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash m && m.code == code && Arrays.equals(m.digest, digest);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        String name =
                switch (code) {
                    case SHA2_256 -> "sha2-256";
                    case IDENTITY -> "identity";
                    default -> "0x" + Integer.toHexString(code);
                };
        return name + ":" + HexFormat.of().formatHex(digest);
    }
}
