package io.artdag.l1.source.tree;

import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.InputFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.core.fs.FileStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a tree is walked, shared by its enumerator and readers: hidden entries (a name starting with
 * {@code .}) are skipped; a directory is entered, never through a symbolic link (a link is an entry
 * of its own, which the hasher confines to the input root); every other entry — a file, a link, a
 * FIFO, a dangling link — is handed on, so that what cannot be read is rejected with a reason
 * instead of failing the job. Paths are {@link FilePaths#encode}d.
 */
final class TreeListing {
    private static final Logger LOG = LoggerFactory.getLogger(TreeListing.class);

    private TreeListing() {}

    /** The directories and the accepted other entries directly in one directory. */
    record Entries(List<String> directories, List<String> others) {}

    /**
     * Lists the directory named {@code dir}: a {@link FilePaths#encode}d local path, or the URI of
     * a prefix in a Flink FileSystem ({@link InputFiles#isUri}), whose entries are then URIs too.
     *
     * @throws IOException when the directory cannot be listed
     */
    static Entries list(String dir, boolean wantDirectories, Predicate<String> accept)
            throws IOException {
        return InputFiles.isUri(dir)
                ? listObjects(dir, wantDirectories, accept)
                : list(FilePaths.decode(dir), wantDirectories, accept);
    }

    /**
     * Lists a prefix through Flink's FileSystem, with the same rules as a local directory (hidden
     * names skipped). An entry the listing names outside the listed prefix (a key with a {@code ..}
     * segment, which the FileSystem's paths resolve) is never entered nor handed on.
     */
    private static Entries listObjects(
            String dir, boolean wantDirectories, Predicate<String> accept) throws IOException {
        org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(dir);
        FileStatus[] statuses = path.getFileSystem().listStatus(path);
        if (statuses == null) {
            throw new FileNotFoundException(dir);
        }
        List<String> dirs = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (FileStatus st : statuses) {
            org.apache.flink.core.fs.Path entry = st.getPath();
            String name = entry.getName();
            if (name.isEmpty() || name.startsWith(".")) {
                continue;
            }
            String text = entry.toString();
            if (!directlyUnder(entry, path)) {
                LOG.warn("Skipping {}: listed under {} but not directly in it", text, dir);
                continue;
            }
            if (st.isDir()) {
                if (wantDirectories) {
                    dirs.add(text);
                }
            } else if (accept.test(name)) {
                others.add(text);
            }
        }
        dirs.sort(null);
        others.sort(null);
        return new Entries(dirs, others);
    }

    private static boolean directlyUnder(
            org.apache.flink.core.fs.Path entry, org.apache.flink.core.fs.Path dir) {
        org.apache.flink.core.fs.Path parent = entry.getParent();
        if (parent == null) {
            return false;
        }
        java.net.URI a = parent.toUri();
        java.net.URI b = dir.toUri();
        return java.util.Objects.equals(a.getScheme(), b.getScheme())
                && java.util.Objects.equals(a.getAuthority(), b.getAuthority())
                && stripSlash(a.getPath()).equals(stripSlash(b.getPath()));
    }

    private static String stripSlash(String p) {
        String s = p == null ? "" : p;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /**
     * Lists {@code dir}.
     *
     * @param wantDirectories whether to collect the subdirectories
     * @param accept which other entries to collect, by file name
     * @throws IOException when the directory cannot be listed
     */
    static Entries list(Path dir, boolean wantDirectories, Predicate<String> accept)
            throws IOException {
        List<String> dirs = new ArrayList<>();
        List<String> others = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    if (wantDirectories) {
                        dirs.add(FilePaths.encode(entry));
                    }
                } else if (accept.test(name)) {
                    others.add(FilePaths.encode(entry));
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        dirs.sort(null);
        others.sort(null);
        return new Entries(dirs, others);
    }
}
