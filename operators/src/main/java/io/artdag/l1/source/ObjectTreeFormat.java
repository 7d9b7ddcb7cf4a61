package io.artdag.l1.source;

import io.artdag.l1.operators.FileRef;
import io.artdag.l1.operators.InputFiles;
import io.artdag.l1.source.tree.EntryFormat;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * Every object under a prefix of a Flink FileSystem ({@code s3://BUCKET/PREFIX}) is one render
 * output, as every file of a local tree is ({@link TreeFileFormat}). References carry the object's
 * URI and the prefix as their root; an object whose key is not a plain name under the prefix
 * ({@link InputFiles#unsafeReason}) is rejected with the reason, never read.
 */
@Internal
public final class ObjectTreeFormat implements EntryFormat {
    private static final long serialVersionUID = 1L;

    private final String root;

    /** The objects under {@code uri}. */
    public ObjectTreeFormat(String uri) {
        this.root = InputFiles.canonical(uri);
    }

    @Override
    public boolean accepts(String fileName) {
        return true;
    }

    @Override
    public FileRef ref(String entry) {
        String unsafe = InputFiles.unsafeReason(root, entry);
        FileRef ref =
                unsafe == null
                        ? FileRef.of(entry, "tree")
                        : FileRef.rejected(entry, "tree", null, unsafe);
        ref.root = root;
        return ref;
    }

    @Override
    public Iterator<FileRef> entryRefs(String entry) {
        return List.of(ref(entry)).iterator();
    }

    /** Entries of an object store are named by URI ({@link #ref(String)}), never by local path. */
    @Override
    public FileRef ref(Path entry) {
        throw new UnsupportedOperationException(
                "objects under " + root + " are named by URI, not by local path: " + entry);
    }
}
