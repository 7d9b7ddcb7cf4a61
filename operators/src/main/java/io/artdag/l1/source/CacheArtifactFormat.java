package io.artdag.l1.source;

import io.artdag.l1.operators.FileRef;
import java.nio.file.Path;
import org.apache.flink.annotation.Internal;

/**
 * The files an artdag cache keeps beside its node outputs: cached execution plans ({@code
 * plans/{plan_id}.json}) and analysis results ({@code analysis/{hash}.json}). Each non-hidden file
 * there is stored as content of its kind (node type {@code plan} or {@code analysis}, no node id),
 * confined to the cache directory like every other cache entry: a {@code plans/} that is a link out
 * of the cache, or a file linking outside it, is rejected, never read.
 */
@Internal
public class CacheArtifactFormat extends TreeFileFormat {
    private static final long serialVersionUID = 1L;

    /** A kind of artifact and the cache subdirectory that holds it. */
    public enum Kind {
        /** {@code plans/{plan_id}.json}: execution plans. */
        PLAN("plans", "plan"),
        /** {@code analysis/{hash}.json}: analysis results. */
        ANALYSIS("analysis", "analysis");

        /** The subdirectory of the cache. */
        public final String directory;

        /** The node type its files are recorded with. */
        public final String nodeType;

        Kind(String directory, String nodeType) {
            this.directory = directory;
            this.nodeType = nodeType;
        }
    }

    private final Kind kind;

    /** The {@code kind} files of the artdag cache at {@code cacheRoot}. */
    public CacheArtifactFormat(Path cacheRoot, Kind kind) {
        super(cacheRoot);
        this.kind = kind;
    }

    /** The kind of artifact this format reads. */
    public Kind kind() {
        return kind;
    }

    @Override
    public FileRef ref(Path file) {
        FileRef ref = super.ref(file);
        ref.origin = "cache";
        ref.nodeType = kind.nodeType;
        return ref;
    }
}
