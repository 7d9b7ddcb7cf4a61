package io.artdag.l1.source;

import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.FileRef;
import io.artdag.l1.source.tree.EntryFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * Every enumerated file of a plain directory tree is one render output. An entry that resolves
 * (through symbolic links) outside the tree's root is rejected, never read.
 */
@Internal
public class TreeFileFormat extends FileRefFormat implements EntryFormat {
    private static final long serialVersionUID = 1L;

    /** A tree whose root is not known: each file is confined to its own directory. */
    public TreeFileFormat() {}

    /** The files of the tree at {@code root}. */
    public TreeFileFormat(Path root) {
        super(root);
    }

    @Override
    protected Iterator<FileRef> refs(Path file) {
        return List.of(ref(file)).iterator();
    }

    @Override
    public boolean accepts(String fileName) {
        return true;
    }

    @Override
    public FileRef ref(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path root = root(abs.getParent() == null ? abs : abs.getParent());
        String path = FilePaths.encode(abs);
        FileRef ref;
        try {
            FilePaths.confine(abs, realRoot(root));
            ref = FileRef.of(path, "tree");
        } catch (FilePaths.OutsideRootException e) {
            ref = FileRef.rejected(path, "tree", null, e.getMessage());
        } catch (IOException e) {
            // Vanished, a dangling link, unreadable: the hasher says which, with the same check.
            ref = FileRef.of(path, "tree");
        }
        ref.root = FilePaths.encode(root);
        return ref;
    }
}
