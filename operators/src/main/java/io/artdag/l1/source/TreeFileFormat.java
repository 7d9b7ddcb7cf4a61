package io.artdag.l1.source;

import io.artdag.l1.operators.FileRef;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** Every enumerated file of a plain directory tree is one render output. */
public class TreeFileFormat extends FileRefFormat {
    private static final long serialVersionUID = 1L;

    @Override
    protected Iterator<FileRef> refs(Path file) {
        return List.of(FileRef.of(file.toAbsolutePath().normalize().toString(), "tree")).iterator();
    }
}
