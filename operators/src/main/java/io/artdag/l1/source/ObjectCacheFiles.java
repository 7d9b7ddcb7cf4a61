package io.artdag.l1.source;

import io.artdag.l1.operators.InputFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.flink.core.fs.FileStatus;

/**
 * A cache under a prefix of a Flink FileSystem ({@code s3://BUCKET/PREFIX}), its files named by
 * URI. There are no links: the key is all there is to confine. An absolute {@code output_path} is a
 * path on the machine that wrote the cache, never a key: only its file name is looked for in the
 * node's directory; a relative one, or an {@code s3://} URI, names a key. Every location is
 * normalised as text ({@code .} and empty segments dropped, {@code ..} taken back) and must then
 * pass {@link InputFiles#unsafeReason} against the prefix before the store is asked anything about
 * it, so an object outside the prefix is never listed, looked up or read.
 */
final class ObjectCacheFiles implements CacheFiles<String> {
    private final String root;

    /** {@code scheme://bucket}: where a relative {@code output_path} is resolved as a key. */
    private final String bucket;

    /** The cache under {@code root}, as {@link InputFiles#canonical} returns it. */
    ObjectCacheFiles(String root) {
        this.root = root;
        int slash = root.indexOf('/', root.indexOf("://") + 3);
        this.bucket = slash < 0 ? root : root.substring(0, slash);
    }

    @Override
    public String root() {
        return root;
    }

    @Override
    public String child(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    @Override
    public String sibling(String dir, String name) {
        return dir.substring(0, dir.lastIndexOf('/')) + "/" + name;
    }

    @Override
    public String declared(String outputPath, String nodeDir) throws ArtdagEntries.Rejected {
        if (outputPath.indexOf('\0') >= 0) {
            throw new ArtdagEntries.Rejected(
                    "bad metadata: output_path '"
                            + InputNames.display(outputPath)
                            + "' is not a path");
        }
        if (InputFiles.isUri(outputPath)) {
            int slash = outputPath.indexOf('/', outputPath.indexOf("://") + 3);
            return slash < 0
                    ? outputPath
                    : normalize(outputPath.substring(0, slash), outputPath.substring(slash));
        }
        if (outputPath.startsWith("/")) {
            // A path on the machine that wrote the cache, not a key: never looked up as one.
            return null;
        }
        String parent = nodeDir.substring(0, nodeDir.lastIndexOf('/'));
        return normalize(bucket, parent.substring(bucket.length()) + "/" + outputPath);
    }

    /**
     * {@code base} and the key {@code path} with {@code .}, empty and {@code ..} segments resolved.
     */
    private static String normalize(String base, String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String s : path.split("/", -1)) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                segments.pollLast(); // above the bucket's root stays there, as "/.." is "/"
            } else {
                segments.addLast(s);
            }
        }
        StringBuilder b = new StringBuilder(base);
        for (String s : segments) {
            b.append('/').append(s);
        }
        return b.toString();
    }

    @Override
    public String fileName(String outputPath) {
        String[] segments = outputPath.split("/");
        for (int i = segments.length - 1; i >= 0; i--) {
            String s = segments[i];
            if (!s.isEmpty()) {
                return s.equals(".") || s.equals("..") ? null : s;
            }
        }
        return null;
    }

    @Override
    public String confined(String candidate) throws Outside, IOException {
        String unsafe = unsafe(candidate);
        if (unsafe != null) {
            throw new Outside(unsafe);
        }
        try {
            InputFiles.stat(candidate);
            return candidate;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Why {@code location} may not be read, or null: only what lies strictly under the root. */
    private String unsafe(String location) {
        return location.equals(root)
                ? InputFiles.UNSAFE_KEY + ": the input prefix itself"
                : InputFiles.unsafeReason(root, location);
    }

    @Override
    public List<String> outputs(String dir) throws Outside, IOException {
        List<String> outputs = new ArrayList<>();
        String unsafe = unsafe(dir);
        if (unsafe != null) {
            throw new Outside(unsafe);
        }
        org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(dir);
        FileStatus[] statuses;
        try {
            statuses = path.getFileSystem().listStatus(path);
        } catch (FileNotFoundException e) {
            return outputs;
        }
        if (statuses == null) {
            return outputs;
        }
        for (FileStatus st : statuses) {
            String name = st.getPath().getName();
            String text = st.getPath().toString();
            // Only what lies directly in dir under its own name (a key with dots resolves away).
            if (!st.isDir() && name.startsWith("output") && text.equals(dir + "/" + name)) {
                outputs.add(text);
            }
        }
        outputs.sort(null);
        return outputs;
    }

    @Override
    public boolean exists(String file) throws IOException {
        if (unsafe(file) != null) {
            return false;
        }
        try {
            InputFiles.stat(file);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public InputStream openMetadata(String file, String label)
            throws ArtdagEntries.Rejected, IOException {
        String unsafe = unsafe(file);
        if (unsafe != null) {
            throw new ArtdagEntries.Rejected(unsafe);
        }
        InputFiles.Stat st;
        try {
            st = InputFiles.stat(file);
        } catch (NoSuchFileException e) {
            throw new ArtdagEntries.Rejected(
                    "bad metadata: " + label + " vanished or is a dangling link");
        }
        if (!st.regularFile()) {
            throw new ArtdagEntries.Rejected("bad metadata: " + label + " is not a regular file");
        }
        return InputFiles.open(file);
    }

    @Override
    public String label(String file) {
        String base = root.endsWith("/") ? root : root + "/";
        return file.startsWith(base) ? file.substring(base.length()) : file;
    }

    @Override
    public String text(String file) {
        return file;
    }
}
