package io.artdag.l1.source;

import io.artdag.l1.operators.FileRef;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;

/**
 * Builds the Flink {@link FileSource} for one input: a plain tree, an artdag cache (its {@code
 * index.json}), or a spool followed continuously. Enumeration yields one split per file, and the
 * source's checkpointed state remembers which were read.
 */
public final class InputSources {
    private InputSources() {}

    /** Builds a bounded source for a tree or cache, or a continuous one for a spool. */
    public static FileSource<FileRef> create(
            Path input, InputLayout layout, Duration scanInterval) {
        Path abs = input.toAbsolutePath().normalize();
        switch (layout) {
            case CACHE:
                return FileSource.forBulkFileFormat(
                                new ArtdagIndexFormat(),
                                flinkPath(abs.resolve(InputLayout.CACHE_INDEX)))
                        .build();
            case SPOOL:
                FileSource.FileSourceBuilder<FileRef> spool =
                        FileSource.forBulkFileFormat(new SpoolNodeFormat(), flinkPath(abs));
                spool.setFileEnumerator(
                        () -> new NonSplittingRecursiveEnumerator(new SpoolFilter()));
                spool.monitorContinuously(scanInterval);
                return spool.build();
            case TREE:
            default:
                FileSource.FileSourceBuilder<FileRef> tree =
                        FileSource.forBulkFileFormat(new TreeFileFormat(), flinkPath(abs));
                tree.setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(new TreeFilter()));
                return tree.build();
        }
    }

    private static org.apache.flink.core.fs.Path flinkPath(Path p) {
        return new org.apache.flink.core.fs.Path(p.toUri());
    }

    /** Skips hidden entries (names starting with '.'): editors' and copiers' temporaries. */
    static final class TreeFilter
            implements Predicate<org.apache.flink.core.fs.Path>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean test(org.apache.flink.core.fs.Path path) {
            return !path.getName().startsWith(".");
        }
    }

    /**
     * Lets the enumerator descend into node directories and yields only their {@code
     * metadata.json}: a node counts once its metadata exists.
     */
    static final class SpoolFilter
            implements Predicate<org.apache.flink.core.fs.Path>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean test(org.apache.flink.core.fs.Path path) {
            String name = path.getName();
            if (name.startsWith(".")) {
                return false;
            }
            return name.equals(InputLayout.NODE_METADATA)
                    || java.nio.file.Files.isDirectory(java.nio.file.Paths.get(path.toUri()));
        }
    }
}
