package io.artdag.l1.source.tree;

import io.artdag.l1.operators.FileRef;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.annotation.Internal;

/**
 * What a {@link TreeSource} makes of the entries it finds: which names are outputs, and the {@link
 * FileRef} for one of them (confined to the input root, or rejected with a reason).
 */
@Internal
public interface EntryFormat extends Serializable {
    /** Whether an entry with this file name (not hidden, not a directory) is an output. */
    boolean accepts(String fileName);

    /** The reference for one accepted entry; never reads render output bytes. */
    FileRef ref(Path entry);

    /**
     * The references a single entry stands for, in a stable order (one by default; an artdag
     * cache's {@code index.json} streams one per entry). Never throws: what cannot be read is a
     * rejected reference. The iterator may be {@link AutoCloseable}.
     */
    default Iterator<FileRef> entryRefs(Path entry) {
        return List.of(ref(entry)).iterator();
    }

    /**
     * The reference for one accepted entry named as its tree's listing names it: a {@link
     * io.artdag.l1.operators.FilePaths#encode}d local path by default.
     */
    default FileRef ref(String entry) {
        return ref(io.artdag.l1.operators.FilePaths.decode(entry));
    }

    /** {@link #entryRefs(Path)} for an entry named as its tree's listing names it. */
    default Iterator<FileRef> entryRefs(String entry) {
        return entryRefs(io.artdag.l1.operators.FilePaths.decode(entry));
    }

    /** A predicate view of {@link #accepts}. */
    default Predicate<String> names() {
        return this::accepts;
    }
}
