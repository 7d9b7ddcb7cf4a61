package io.artdag.l1.source;

import io.artdag.l1.operators.FileRef;
import io.artdag.l1.source.tree.SpoolSource;
import io.artdag.l1.source.tree.TreeSource;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.file.src.FileSource;

/**
 * Builds the source for one input: a plain tree ({@link TreeSource}: one split per directory with a
 * name cursor, so its state does not grow with the number of files), an artdag cache (its {@code
 * index.json}, one split whose position is the number of entries read: state of one split), or a
 * spool followed continuously ({@link SpoolSource}: a ctime threshold and the nodes not read yet).
 * Each format is given the input as its root: nothing that resolves outside it is read.
 */
public final class InputSources {
    private InputSources() {}

    /** Builds a bounded source for a tree or cache, or a continuous one for a spool. */
    public static Source<FileRef, ?, ?> create(
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
                return new SpoolSource(abs, new SpoolNodeFormat(abs), scanInterval);
            case TREE:
            default:
                return new TreeSource(abs, new TreeFileFormat(abs));
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
}
