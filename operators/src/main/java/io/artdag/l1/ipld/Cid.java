package io.artdag.l1.ipld;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A content identifier (CIDv0 or CIDv1). Immutable; ordered by binary form. */
public final class Cid implements Comparable<Cid> {
    public static final long DAG_PB = 0x70;
    public static final long RAW = 0x55;

    /**
     * CIDv1, raw codec, identity multihash with an empty digest ("bafkqaaa"): the placeholder root
     * of a CAR that holds no complete DAG.
     */
    public static final Cid EMPTY_IDENTITY = v1(RAW, Multihash.of(Multihash.IDENTITY, new byte[0]));

    private final int version;
    private final long codec;
    private final Multihash multihash;
    private final byte[] bytes;
    private final int hash;

    private Cid(int version, long codec, Multihash mh) {
        this.version = version;
        this.codec = codec;
        this.multihash = mh;
        if (version == 0) {
            this.bytes = mh.toBytes();
        } else {
            byte[] b = new byte[1 + Varint.size(codec) + mh.encodedLength()];
            int i = Varint.write(1, b, 0);
            i += Varint.write(codec, b, i);
            mh.writeTo(b, i);
            this.bytes = b;
        }
        this.hash = Arrays.hashCode(bytes);
    }

    public static Cid v0(Multihash mh) {
        if (mh.code() != Multihash.SHA2_256 || mh.digestLength() != 32) {
            throw new IllegalArgumentException("CIDv0 requires a sha2-256 multihash, got " + mh);
        }
        return new Cid(0, DAG_PB, mh);
    }

    public static Cid v1(long codec, Multihash mh) {
        if (codec < 0) {
            throw new IllegalArgumentException("negative codec " + codec);
        }
        return new Cid(1, codec, mh);
    }

    /** Parses "Qm..." (CIDv0, base58btc), "b..." (CIDv1 base32) or "z..." (CIDv1 base58btc). */
    public static Cid parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("cannot parse CID from empty string");
        }
        try {
            if (text.length() == 46 && text.startsWith("Qm")) {
                Cid c = fromBytes(Multibase.decodeBase58Btc(text));
                if (c.version != 0) {
                    throw new IllegalArgumentException("not a CIDv0");
                }
                return c;
            }
            byte[] b;
            switch (text.charAt(0)) {
                case 'b' -> b = Multibase.decodeBase32(text.substring(1));
                case 'z' -> b = Multibase.decodeBase58Btc(text.substring(1));
                default ->
                        throw new IllegalArgumentException(
                                "unsupported multibase prefix '"
                                        + text.charAt(0)
                                        + "' (expected Qm... CIDv0, 'b' base32 or 'z' base58btc)");
            }
            Cid c = fromBytes(b);
            if (c.version != 1) {
                throw new IllegalArgumentException("multibase-prefixed CID must be CIDv1");
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid CID \"" + text + "\": " + e.getMessage(), e);
        }
    }

    /** Reads a binary CID from the buffer's position, advancing it past the CID. */
    public static Cid read(ByteBuffer in) {
        int p = in.position();
        if (in.remaining() >= 2 && in.get(p) == 0x12 && in.get(p + 1) == 0x20) {
            return v0(Multihash.read(in));
        }
        long version = Varint.read(in);
        if (version != 1) {
            throw new IllegalArgumentException("unsupported CID version " + version);
        }
        long codec = Varint.read(in);
        return new Cid(1, codec, Multihash.read(in));
    }

    /** Parses a complete binary CID; trailing bytes are an error. */
    public static Cid fromBytes(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        Cid c = read(buf);
        if (buf.hasRemaining()) {
            throw new IllegalArgumentException(
                    buf.remaining() + " trailing byte(s) after binary CID");
        }
        return c;
    }

    public int version() {
        return version;
    }

    public long codec() {
        return codec;
    }

    public Multihash multihash() {
        return multihash;
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Length of {@link #toBytes()}. */
    public int encodedLength() {
        return bytes.length;
    }

    /** Copies the binary form into {@code out} at {@code off}; returns the length. */
    public int writeTo(byte[] out, int off) {
        System.arraycopy(bytes, 0, out, off, bytes.length);
        return bytes.length;
    }

    @Override
    public String toString() {
        return version == 0
                ? Multibase.encodeBase58Btc(bytes)
                : "b" + Multibase.encodeBase32Lower(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cid c && Arrays.equals(c.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(Cid o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }
}
