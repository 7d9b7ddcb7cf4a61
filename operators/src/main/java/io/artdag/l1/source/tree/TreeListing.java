package io.artdag.l1.source.tree;

import io.artdag.l1.operators.FilePaths;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * How a tree is walked, shared by its enumerator and readers: hidden entries (a name starting with
 * {@code .}) are skipped; a directory is entered, never through a symbolic link (a link is an entry
 * of its own, which the hasher confines to the input root); every other entry — a file, a link, a
 * FIFO, a dangling link — is handed on, so that what cannot be read is rejected with a reason
 * instead of failing the job. Paths are {@link FilePaths#encode}d.
 */
final class TreeListing {
    private TreeListing() {}

    /** The directories and the accepted other entries directly in one directory. */
    record Entries(List<String> directories, List<String> others) {}

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
