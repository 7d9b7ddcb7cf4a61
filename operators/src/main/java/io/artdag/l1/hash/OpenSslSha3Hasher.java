package io.artdag.l1.hash;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;

/**
 * SHA3-256 by the system's OpenSSL {@code libcrypto} (1.1.1 or 3.x) through JNA direct mapping.
 *
 * <p>Direct {@link ByteBuffer}s are hashed in place; heap bytes are copied through a native staging
 * buffer (a memcpy, negligible next to Keccak). One native {@code EVP_MD_CTX} per hasher, freed by
 * a {@link Cleaner} when the hasher becomes unreachable.
 */
final class OpenSslSha3Hasher implements Sha3Hasher {

    private static final int STAGING = 64 * 1024;
    private static final Cleaner CLEANER = Cleaner.create();

    /** Loaded libcrypto + the SHA3-256 EVP_MD; initialised once, or throws. */
    static final class Lib {
        static final String LIBRARY;
        static final Pointer MD;
        static final String VERSION;

        static {
            if (Native.SIZE_T_SIZE != 8) {
                throw new UnsatisfiedLinkError("only 64-bit platforms are supported");
            }
            NativeLibrary lib = null;
            Throwable last = null;
            for (String name :
                    new String[] {"crypto", "libcrypto.so.3", "libcrypto.so.1.1", "libcrypto"}) {
                try {
                    lib = NativeLibrary.getInstance(name);
                    break;
                } catch (UnsatisfiedLinkError e) {
                    last = e;
                }
            }
            if (lib == null) {
                throw new UnsatisfiedLinkError("no OpenSSL libcrypto found: " + last);
            }
            Native.register(Lib.class, lib);
            LIBRARY = lib.getFile() != null ? lib.getFile().toString() : lib.getName();
            Pointer md = null;
            try {
                // OpenSSL 3: fetch the provider implementation once instead of at every init
                md =
                        lib.getFunction("EVP_MD_fetch")
                                .invokePointer(new Object[] {null, "SHA3-256", null});
            } catch (UnsatisfiedLinkError e) {
                // OpenSSL 1.1.1
            }
            if (md == null) {
                md = lib.getFunction("EVP_sha3_256").invokePointer(new Object[0]);
            }
            if (md == null) {
                throw new UnsatisfiedLinkError(LIBRARY + " has no SHA3-256");
            }
            MD = md;
            String v;
            try {
                v = lib.getFunction("OpenSSL_version").invokeString(new Object[] {0}, false);
            } catch (UnsatisfiedLinkError e) {
                v = "unknown";
            }
            VERSION = v;
        }

        static native Pointer EVP_MD_CTX_new();

        static native void EVP_MD_CTX_free(Pointer ctx);

        static native int EVP_DigestInit_ex(Pointer ctx, Pointer md, Pointer engine);

        static native int EVP_DigestUpdate(Pointer ctx, Pointer d, long cnt);

        static native int EVP_DigestFinal_ex(Pointer ctx, byte[] md, Pointer size);

        private Lib() {}
    }

    private final Pointer ctx;
    private final Memory staging = new Memory(STAGING);

    OpenSslSha3Hasher() {
        Pointer c = Lib.EVP_MD_CTX_new();
        if (c == null) {
            throw new OutOfMemoryError("EVP_MD_CTX_new failed");
        }
        ctx = c;
        CLEANER.register(this, () -> Lib.EVP_MD_CTX_free(c));
        init();
    }

    private void init() {
        check(Lib.EVP_DigestInit_ex(ctx, Lib.MD, null), "EVP_DigestInit_ex");
    }

    private static void check(int rc, String what) {
        if (rc != 1) {
            throw new IllegalStateException(what + " failed (OpenSSL returned " + rc + ")");
        }
    }

    @Override
    public void update(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            int n = Math.min(len, STAGING);
            staging.write(0, b, off, n);
            check(Lib.EVP_DigestUpdate(ctx, staging, n), "EVP_DigestUpdate");
            off += n;
            len -= n;
        }
    }

    @Override
    public void update(ByteBuffer buf) {
        int len = buf.remaining();
        if (len == 0) {
            return;
        }
        if (buf.isDirect()) {
            Pointer p = Native.getDirectBufferPointer(buf);
            check(Lib.EVP_DigestUpdate(ctx, p.share(buf.position()), len), "EVP_DigestUpdate");
            buf.position(buf.limit());
        } else if (buf.hasArray()) {
            update(buf.array(), buf.arrayOffset() + buf.position(), len);
            buf.position(buf.limit());
        } else {
            byte[] tmp = new byte[Math.min(len, STAGING)];
            while (buf.hasRemaining()) {
                int n = Math.min(buf.remaining(), tmp.length);
                buf.get(tmp, 0, n);
                update(tmp, 0, n);
            }
        }
    }

    @Override
    public byte[] digest() {
        byte[] out = new byte[ContentHashes.DIGEST_LENGTH];
        check(Lib.EVP_DigestFinal_ex(ctx, out, null), "EVP_DigestFinal_ex");
        init();
        return out;
    }
}
