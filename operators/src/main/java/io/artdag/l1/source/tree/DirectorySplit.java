package io.artdag.l1.source.tree;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A unit of a tree's enumeration: the non-directory entries directly in one directory (or one entry
 * on its own), and how far a reader has got through them. The cursor is the last entry emitted in
 * name order, so a restored reader resumes after it even if the directory has changed meanwhile;
 * the split's state does not grow with the number of files.
 *
 * @param path the directory (or the single entry), {@link io.artdag.l1.operators.FilePaths#encode}d
 * @param single whether {@code path} is one entry to emit as it is, not a directory to list
 * @param after the encoded path of the last entry emitted, or null when none was
 */
@Internal
public record DirectorySplit(String path, boolean single, String after) implements SourceSplit {

    /** The split of the files directly in {@code dir}, none read yet. */
    public static DirectorySplit directory(String dir) {
        return new DirectorySplit(dir, false, null);
    }

    /** The split of one entry (a file given as the input, or a directory that cannot be read). */
    public static DirectorySplit entry(String path) {
        return new DirectorySplit(path, true, null);
    }

    /** This split with its cursor after {@code emitted}. */
    public DirectorySplit after(String emitted) {
        return new DirectorySplit(path, single, emitted);
    }

    @Override
    public String splitId() {
        return (single ? "entry:" : "dir:") + path;
    }
}
