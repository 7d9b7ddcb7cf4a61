package io.artdag.l1.operators;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Inputs named by a URI ({@code s3://BUCKET/KEY}, any scheme Flink's {@link FileSystem} knows but
 * {@code file}) rather than a local path: how a record tells them apart, the confinement of an
 * object to the input prefix it was listed under, and reading one through Flink's FileSystem. Local
 * paths ({@link FilePaths}) never go through here: they keep {@code java.nio} and its real path and
 * symbolic link checks.
 *
 * <p>Object keys are untrusted. A key is read only if it lies under the input's prefix and has no
 * empty, {@code .} or {@code ..} segment ({@link #unsafeReason}), checked on the text the record
 * carries, before a {@link Path} is made of it (which would resolve the dots).
 */
@Internal
public final class InputFiles {
    /** The start of the reason of an input rejected for a key that is not a plain name. */
    public static final String UNSAFE_KEY = "unsafe object key";

    private InputFiles() {}

    /**
     * Whether {@code path} is a URI with a scheme other than {@code file} (an object in a Flink
     * FileSystem), rather than a local path as {@link FilePaths#encode} writes it.
     */
    public static boolean isUri(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) == '/') {
            return false;
        }
        int sep = path.indexOf("://");
        if (sep <= 0) {
            return false;
        }
        for (int i = 0; i < sep; i++) {
            char c = path.charAt(i);
            boolean ok =
                    Character.isLetter(c)
                            || (i > 0
                                    && (Character.isDigit(c) || c == '+' || c == '-' || c == '.'));
            if (!ok || c > 127) {
                return false;
            }
        }
        return !path.substring(0, sep).equalsIgnoreCase("file");
    }

    /**
     * The canonical text of an input URI: what its listing's paths start with ({@link
     * Path#toString()}: no trailing slash, no repeated slashes).
     *
     * @throws IllegalArgumentException if it is not a URI with a scheme and an authority (bucket)
     */
    public static String canonical(String uri) {
        Path p = new Path(uri);
        if (p.toUri().getScheme() == null || p.toUri().getAuthority() == null) {
            throw new IllegalArgumentException(
                    uri + ": not a URI of the form SCHEME://BUCKET/PREFIX");
        }
        return p.toString();
    }

    /**
     * Why the object named {@code entry} must not be read as part of the input {@code root}, or
     * null when it may: it must be {@code root} itself or lie under it (same scheme and bucket, the
     * root's key followed by {@code /}), and the rest of its key must consist of non-empty segments
     * other than {@code .} and {@code ..}. Both are compared as text, exactly.
     *
     * @param root the input, as {@link #canonical} returns it
     */
    public static String unsafeReason(String root, String entry) {
        if (entry.equals(root)) {
            return null;
        }
        String base = root.endsWith("/") ? root : root + "/";
        if (!entry.startsWith(base)) {
            return FilePaths.OUTSIDE_ROOT + ": " + entry;
        }
        String rest = entry.substring(base.length());
        if (rest.isEmpty()) {
            return UNSAFE_KEY + ": it ends with '/'";
        }
        for (String segment : rest.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return UNSAFE_KEY
                        + ": an empty, '.' or '..' segment under the input prefix "
                        + root;
            }
            for (int i = 0; i < segment.length(); i++) {
                if (segment.charAt(i) < 0x20 || segment.charAt(i) == 0x7f) {
                    return UNSAFE_KEY + ": a control character";
                }
            }
        }
        return null;
    }

    /** What the hasher and the writer need to know about an object before reading it. */
    public record Stat(long size, long modifiedMillis, boolean regularFile) {}

    /**
     * The size and modification time of the object at {@code uri}.
     *
     * @throws NoSuchFileException when there is no such object
     */
    public static Stat stat(String uri) throws IOException {
        Path p = new Path(uri);
        FileStatus st;
        try {
            st = p.getFileSystem().getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new NoSuchFileException(uri);
        }
        return new Stat(st.getLen(), st.getModificationTime(), !st.isDir());
    }

    /**
     * Opens the object at {@code uri} for reading.
     *
     * @throws NoSuchFileException when there is no such object
     */
    public static InputStream open(String uri) throws IOException {
        Path p = new Path(uri);
        try {
            return p.getFileSystem().open(p);
        } catch (FileNotFoundException e) {
            throw new NoSuchFileException(uri);
        }
    }
}
