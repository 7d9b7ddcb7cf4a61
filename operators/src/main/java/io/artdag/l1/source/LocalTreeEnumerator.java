package io.artdag.l1.source;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;

/**
 * Enumerates a local directory tree into one split per non-directory entry, in a stable order.
 * Unlike Flink's recursive enumerator it does not fail on entries it cannot stat (dangling links,
 * entries that vanish mid-walk, FIFOs): they become splits too, so that the hasher rejects them
 * with a reason instead of the whole job failing. Symbolic links are not followed into directories.
 */
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
            Path root = Paths.get(p.toUri());
            if (!Files.isDirectory(root)) {
                if (Files.exists(root)) {
                    splits.add(split(root, Files.readAttributes(root, BasicFileAttributes.class)));
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
                new org.apache.flink.core.fs.Path(file.toAbsolutePath().normalize().toUri()),
                0,
                size,
                mtime,
                size);
    }
}
