package io.artdag.l1.hash;

import java.nio.ByteBuffer;
import org.bouncycastle.crypto.digests.SHA3Digest;

/** BouncyCastle's pure-Java {@link SHA3Digest} (lightweight API, no JCA provider needed). */
final class BouncyCastleSha3Hasher implements Sha3Hasher {

    private final SHA3Digest d = new SHA3Digest(256);
    private byte[] tmp;

    @Override
    public void update(byte[] b, int off, int len) {
        d.update(b, off, len);
    }

    @Override
    public void update(ByteBuffer buf) {
        if (buf.hasArray()) {
            int pos = buf.position();
            d.update(buf.array(), buf.arrayOffset() + pos, buf.limit() - pos);
            buf.position(buf.limit());
            return;
        }
        if (tmp == null) {
            tmp = new byte[16 * 1024];
        }
        while (buf.hasRemaining()) {
            int n = Math.min(buf.remaining(), tmp.length);
            buf.get(tmp, 0, n);
            d.update(tmp, 0, n);
        }
    }

    @Override
    public byte[] digest() {
        byte[] out = new byte[ContentHashes.DIGEST_LENGTH];
        d.doFinal(out, 0); // doFinal resets
        return out;
    }
}
