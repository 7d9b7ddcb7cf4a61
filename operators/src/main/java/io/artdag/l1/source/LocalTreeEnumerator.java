package io.artdag.l1.source;

import io.artdag.l1.operators.FilePaths;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;

/**
 * Enumerates a local directory tree into one split per non-directory entry, in a stable order.
 * Unlike Flink's recursive enumerator it does not fail on entries it cannot stat (dangling links,
 * entries that vanish mid-walk, FIFOs): they become splits too, so that the hasher rejects them
 * with a reason instead of the whole job failing. Symbolic links are not followed into directories:
 * a link is a split of its own, which the format confines to the input root.
 *
 * <p>A split's path carries the {@link FilePaths#encode}d file name as its URI path ({@link
 * #toFlink}, {@link #fromFlink}), so that a name that is not UTF-8 survives the split's
 * serialization, which decodes and re-encodes the URI.
 */
@Internal
public final class LocalTreeEnumerator implements FileEnumerator {
    private final Predicate<String> acceptFileName;
    private long nextId;

    public LocalTreeEnumerator(Predicate<String> acceptFileName) {
        this.acceptFileName = acceptFileName;
    }

    @Override
    public Collection<FileSourceSplit> enumerateSplits(
            org.apache.flink.core.fs.Path[] paths, int minDesiredSplits) throws IOException {
        List<FileSourceSplit> splits = new ArrayList<>();
        for (org.apache.flink.core.fs.Path p : paths) {
            Path root = fromFlink(p);
            if (!Files.isDirectory(root)) {
                if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                    BasicFileAttributes a;
                    try {
                        a = Files.readAttributes(root, BasicFileAttributes.class);
                    } catch (IOException e) {
                        a = null; // a dangling link: the format reports it
                    }
                    splits.add(split(root, a));
                }
                continue;
            }
            Files.walkFileTree(
                    root,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                            return dir.equals(root) || !hidden(dir)
                                    ? FileVisitResult.CONTINUE
                                    : FileVisitResult.SKIP_SUBTREE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                            if (!hidden(file)
                                    && acceptFileName.test(file.getFileName().toString())) {
                                splits.add(split(file, a));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            if (!hidden(file)
                                    && acceptFileName.test(file.getFileName().toString())) {
                                splits.add(split(file, null));
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        }
        return splits;
    }

    private static boolean hidden(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith(".");
    }

    private FileSourceSplit split(Path file, BasicFileAttributes a) {
        long size = a == null || !a.isRegularFile() ? 0 : a.size();
        long mtime = a == null ? 0 : a.lastModifiedTime().toMillis();
        return new FileSourceSplit(
                String.valueOf(nextId++),
                toFlink(file.toAbsolutePath().normalize()),
                0,
                size,
                mtime,
                size);
    }

    /** A Flink path whose URI path is the lossless text of {@code file}. */
    static org.apache.flink.core.fs.Path toFlink(Path file) {
        try {
            return new org.apache.flink.core.fs.Path(
                    new URI("file", null, FilePaths.encode(file), null));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The local path a {@link #toFlink} path stands for. */
    static Path fromFlink(org.apache.flink.core.fs.Path path) {
        return FilePaths.decode(path.toUri().getPath());
    }
}
