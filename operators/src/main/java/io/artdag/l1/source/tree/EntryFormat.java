package io.artdag.l1.source.tree;

import io.artdag.l1.operators.FileRef;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * What a {@link TreeSource} makes of the entries it finds: which names are outputs, and the {@link
 * FileRef} for one of them (confined to the input root, or rejected with a reason).
 */
public interface EntryFormat extends Serializable {
    /** Whether an entry with this file name (not hidden, not a directory) is an output. */
    boolean accepts(String fileName);

    /** The reference for one accepted entry; never reads render output bytes. */
    FileRef ref(Path entry);

    /** A predicate view of {@link #accepts}. */
    default Predicate<String> names() {
        return this::accepts;
    }
}
