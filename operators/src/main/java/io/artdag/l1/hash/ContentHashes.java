package io.artdag.l1.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * artdag content identity: {@code content_hash = lowercase hex(SHA3-256(file bytes))}.
 *
 * <p>No Flink dependency; safe to use from any operator, sink or tool.
 */
public final class ContentHashes {

    /** Length of a SHA3-256 digest in bytes. */
    public static final int DIGEST_LENGTH = 32;

    /** Buffer size used by {@link #sha3Hex(Path)}. */
    static final int FILE_BUFFER_SIZE = 1 << 20;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ContentHashes() {}

    /**
     * A new SHA3-256 hasher backed by the fastest correct implementation available in this JVM, or
     * by the one named by the system property {@value Sha3Implementations#PROPERTY} or the
     * environment variable {@value Sha3Implementations#ENV} ({@code auto}, {@code jdk}, {@code
     * bouncycastle}, {@code openssl}).
     *
     * @throws IllegalStateException if an implementation was requested explicitly and is not
     *     available here (there is no silent fallback)
     */
    public static Sha3Hasher newSha3_256() {
        return Sha3Implementations.selected().create();
    }

    /**
     * A new SHA3-256 hasher of the named implementation ({@code auto} means what {@link
     * #newSha3_256()} would pick without an override).
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws IllegalStateException if that implementation is not available here
     */
    public static Sha3Hasher newSha3_256(String implementation) {
        return Sha3Implementations.get(implementation).create();
    }

    /** Name of the implementation {@link #newSha3_256()} uses, e.g. {@code "openssl"}. */
    public static String implementationName() {
        return Sha3Implementations.selected().name();
    }

    /**
     * Names of the SHA3-256 implementations that load and pass the FIPS 202 self-test in this JVM,
     * fastest first.
     */
    public static java.util.List<String> availableImplementations() {
        return Sha3Implementations.available();
    }

    /** Lowercase hex of {@code digest}. */
    public static String hex(byte[] digest) {
        char[] out = new char[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            int v = digest[i] & 0xff;
            out[2 * i] = HEX[v >>> 4];
            out[2 * i + 1] = HEX[v & 0x0f];
        }
        return new String(out);
    }

    /**
     * Parses hex (upper or lower case) into bytes.
     *
     * @throws IllegalArgumentException naming the input if it is null, of odd length or contains a
     *     non-hex character
     */
    public static byte[] unhex(String hex) {
        if (hex == null) {
            throw new IllegalArgumentException("hex string is null");
        }
        if ((hex.length() & 1) != 0) {
            throw new IllegalArgumentException(
                    "hex string has odd length " + hex.length() + ": \"" + abbreviate(hex) + "\"");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0
                    || lo < 0
                    || !isAsciiHex(hex.charAt(2 * i))
                    || !isAsciiHex(hex.charAt(2 * i + 1))) {
                throw new IllegalArgumentException(
                        "not a hex string (bad character at index "
                                + (hi < 0 || !isAsciiHex(hex.charAt(2 * i)) ? 2 * i : 2 * i + 1)
                                + "): \""
                                + abbreviate(hex)
                                + "\"");
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** True iff {@code s} is exactly 64 lowercase hex characters (a SHA3-256 content hash). */
    public static boolean isContentHash(String s) {
        if (s == null || s.length() != 2 * DIGEST_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** SHA3-256 of a file's bytes as lowercase hex, streamed through a bounded (1 MiB) buffer. */
    public static String sha3Hex(Path file) throws IOException {
        Sha3Hasher hasher = newSha3_256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            FileBytes.stream(ch, FileBytes.bufferForHashing(FILE_BUFFER_SIZE), hasher::update);
        }
        return hex(hasher.digest());
    }

    private static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** JDK {@code MessageDigest("SHA3-256")} (SUN provider). */
    static final class JdkSha3Hasher implements Sha3Hasher {
        private final MessageDigest md;

        JdkSha3Hasher() {
            try {
                md = MessageDigest.getInstance("SHA3-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no SHA3-256 MessageDigest", e);
            }
        }

        @Override
        public void update(byte[] b, int off, int len) {
            md.update(b, off, len);
        }

        @Override
        public void update(ByteBuffer buf) {
            md.update(buf);
        }

        @Override
        public byte[] digest() {
            return md.digest();
        }
    }
}
