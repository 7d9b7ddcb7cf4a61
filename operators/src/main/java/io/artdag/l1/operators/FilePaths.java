package io.artdag.l1.operators;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.flink.annotation.Internal;

/**
 * Local file paths as the strings records carry ({@link FileRef#path}, {@link HashedFile#path},
 * {@link IngestEvent#path}), and the confinement of paths to the input root they came from.
 *
 * <p>A Unix file name is bytes, not text: {@link Path#toString()} replaces bytes that are not UTF-8
 * and {@link Path#of(String)} then names another file. {@link #encode} is lossless instead: valid
 * UTF-8 stays readable, every other byte becomes {@code %XX} and a literal {@code %} becomes {@code
 * %25}; {@link #decode} rebuilds the same bytes. The raw bytes are taken from {@link Path#toUri()}
 * and given back through {@link Path#of(URI)}, which both keep them as they are.
 */
@Internal
public final class FilePaths {
    /** The start of the reason of every input rejected because it resolves outside its root. */
    public static final String OUTSIDE_ROOT = "outside the input root";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private FilePaths() {}

    /** The lossless text of {@code path}, made absolute. */
    public static String encode(Path path) {
        Path absolute = path.toAbsolutePath();
        String plain = absolute.toString();
        if (isPlain(plain)) {
            // Printable ASCII without '%' reads the same in every file-name charset and is its
            // own encoding: no URI round trip (a fifth of a small-file run's CPU went there).
            return plain;
        }
        return encodeViaUri(absolute);
    }

    /** {@link #encode} without the fast path for plain names. */
    static String encodeViaUri(Path path) {
        String raw = path.toAbsolutePath().toUri().getRawPath();
        // toUri() marks an existing directory with a trailing slash, which is not part of the name.
        if (raw.length() > 1 && raw.endsWith("/")) {
            raw = raw.substring(0, raw.length() - 1);
        }
        return bytesToText(percentDecode(raw));
    }

    /**
     * The path {@code text} stands for: the inverse of {@link #encode}. A {@code %} not followed by
     * two hex digits is taken literally.
     *
     * @throws IllegalArgumentException if the bytes cannot name a file (a NUL byte)
     */
    public static Path decode(String text) {
        if (isPlain(text) && !text.contains("//") && (text.length() < 2 || !text.endsWith("/"))) {
            // The bytes of plain text are its characters; Path.of would normalise "//" and a
            // trailing slash, which the URI route keeps as they are, so those take that route.
            return Path.of(text);
        }
        return decodeViaUri(text);
    }

    /** {@link #decode} without the fast path for plain text. */
    static Path decodeViaUri(String text) {
        byte[] bytes = textToBytes(text);
        if (bytes.length == 0 || bytes[0] != '/') {
            return Path.of(new String(bytes, StandardCharsets.UTF_8));
        }
        StringBuilder uri = new StringBuilder("file://");
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == 0) {
                throw new IllegalArgumentException("a path cannot contain a NUL byte: " + text);
            }
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '/'
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                uri.append((char) c);
            } else {
                uri.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return Path.of(URI.create(uri.toString()));
    }

    /**
     * The real path of {@code file} (symbolic links followed), which must lie under {@code
     * realRoot}, itself a real path.
     *
     * @throws OutsideRootException if it does not
     * @throws java.nio.file.NoSuchFileException if it (or a link's target) does not exist
     */
    public static Path confine(Path file, Path realRoot) throws IOException {
        Path real = file.toRealPath();
        if (!real.startsWith(realRoot)) {
            throw new OutsideRootException(real);
        }
        return real;
    }

    /** The rejection reason of an input that resolves to {@code real}, outside its root. */
    public static String outsideReason(Path real) {
        return OUTSIDE_ROOT + ": " + encode(real);
    }

    /** A path resolved outside the root it must stay under. */
    public static final class OutsideRootException extends IOException {
        private static final long serialVersionUID = 1L;

        private final transient Path real;

        public OutsideRootException(Path real) {
            super(outsideReason(real));
            this.real = real;
        }

        /** Where the path really led. */
        public Path real() {
            return real;
        }
    }

    /** Printable ASCII (no control characters) without {@code %}, and not empty. */
    private static boolean isPlain(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '%') {
                return false;
            }
        }
        return true;
    }

    private static byte[] percentDecode(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && hex(raw, i + 1)) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toByteArray();
    }

    private static boolean hex(String s, int at) {
        return at + 1 < s.length()
                && Character.digit(s.charAt(at), 16) >= 0
                && Character.digit(s.charAt(at + 1), 16) >= 0;
    }

    private static String bytesToText(byte[] bytes) {
        CharsetDecoder utf8 =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer chars = CharBuffer.allocate(bytes.length);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        while (true) {
            chars.clear();
            CoderResult r = utf8.decode(in, chars, true);
            chars.flip();
            for (int i = 0; i < chars.length(); i++) {
                char c = chars.charAt(i);
                if (c == '%') {
                    out.append("%25");
                } else {
                    out.append(c);
                }
            }
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) {
                    int b = in.get() & 0xff;
                    out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
                }
                continue;
            }
            if (!in.hasRemaining()) {
                break;
            }
        }
        return out.toString();
    }

    private static byte[] textToBytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%' && hex(text, i + 1)) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 3;
                continue;
            }
            int cp = text.codePointAt(i);
            byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            i += Character.charCount(cp);
        }
        return out.toByteArray();
    }
}
