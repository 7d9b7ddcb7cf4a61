package io.artdag.l1.source;

import io.artdag.l1.operators.FileRef;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.apache.flink.connector.file.src.FileSource;

/**
 * Builds the Flink {@link FileSource} for one input: a plain tree, an artdag cache (its {@code
 * index.json}), or a spool followed continuously. Enumeration yields one split per file, and the
 * source's checkpointed state remembers which were read. Each format is given the input as its
 * root: nothing that resolves outside it is read.
 */
public final class InputSources {
    private InputSources() {}

    /** Builds a bounded source for a tree or cache, or a continuous one for a spool. */
    public static FileSource<FileRef> create(
            Path input, InputLayout layout, Duration scanInterval) {
        Path abs = input.toAbsolutePath().normalize();
        switch (layout) {
            case CACHE:
                FileSource.FileSourceBuilder<FileRef> cache =
                        FileSource.forBulkFileFormat(
                                new ArtdagIndexFormat(abs),
                                flinkPath(abs.resolve(InputLayout.CACHE_INDEX)));
                cache.setFileEnumerator(() -> new LocalTreeEnumerator(new AnyName()));
                return cache.build();
            case SPOOL:
                FileSource.FileSourceBuilder<FileRef> spool =
                        FileSource.forBulkFileFormat(new SpoolNodeFormat(abs), flinkPath(abs));
                spool.setFileEnumerator(() -> new LocalTreeEnumerator(new NodeMetadata()));
                spool.monitorContinuously(scanInterval);
                return spool.build();
            case TREE:
            default:
                FileSource.FileSourceBuilder<FileRef> tree =
                        FileSource.forBulkFileFormat(new TreeFileFormat(abs), flinkPath(abs));
                tree.setFileEnumerator(() -> new LocalTreeEnumerator(new AnyName()));
                return tree.build();
        }
    }

    private static org.apache.flink.core.fs.Path flinkPath(Path p) {
        return LocalTreeEnumerator.toFlink(p);
    }

    /** Every non-hidden entry of a tree is an output. */
    static final class AnyName implements Predicate<String>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean test(String name) {
            return true;
        }
    }

    /** In a spool only a node's {@code metadata.json} marks it ready. */
    static final class NodeMetadata implements Predicate<String>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean test(String name) {
            return name.equals(InputLayout.NODE_METADATA);
        }
    }
}
