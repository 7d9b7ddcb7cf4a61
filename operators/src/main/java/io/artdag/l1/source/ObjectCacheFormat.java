package io.artdag.l1.source;

import io.artdag.l1.operators.FileRef;
import io.artdag.l1.operators.InputFiles;
import io.artdag.l1.source.tree.EntryFormat;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * An artdag cache under a prefix of a Flink FileSystem ({@code s3://BUCKET/PREFIX}), read as the
 * same cache on disk is: its {@code index.json} streamed entry by entry ({@link ArtdagIndexFormat},
 * the same parser and rules, through {@link ObjectCacheFiles}), and the files of its {@code plans/}
 * and {@code analysis/} stored as content of their kind ({@link CacheArtifactFormat.Kind}). Every
 * key is confined to the prefix as text before the store is asked about it.
 */
@Internal
public final class ObjectCacheFormat implements EntryFormat {
    private static final long serialVersionUID = 1L;

    private final String root;

    /** The cache under {@code uri}. */
    public ObjectCacheFormat(String uri) {
        this.root = InputFiles.canonical(uri);
    }

    /** The URI of the cache's {@code index.json}. */
    public String index() {
        return new ObjectCacheFiles(root).child(root, InputLayout.CACHE_INDEX);
    }

    /** The URI of the directory that holds the cache's artifacts of {@code kind}. */
    public String directory(CacheArtifactFormat.Kind kind) {
        return new ObjectCacheFiles(root).child(root, kind.directory);
    }

    @Override
    public boolean accepts(String fileName) {
        return true;
    }

    @Override
    public Iterator<FileRef> entryRefs(String entry) {
        return entry.equals(index())
                ? ArtdagIndexFormat.objectRefs(root)
                : List.of(ref(entry)).iterator();
    }

    /** A file of {@code plans/} or {@code analysis/}, as {@link CacheArtifactFormat} makes it. */
    @Override
    public FileRef ref(String entry) {
        String unsafe = InputFiles.unsafeReason(root, entry);
        CacheArtifactFormat.Kind kind = null;
        for (CacheArtifactFormat.Kind k : CacheArtifactFormat.Kind.values()) {
            if (entry.startsWith(directory(k) + "/")) {
                kind = k;
            }
        }
        if (unsafe == null && kind == null) {
            unsafe = "not part of the cache: " + entry;
        }
        FileRef ref =
                unsafe == null
                        ? FileRef.of(entry, "cache")
                        : FileRef.rejected(entry, "cache", null, unsafe);
        ref.nodeType = kind == null ? null : kind.nodeType;
        ref.root = root;
        return ref;
    }

    /** Entries of an object store are named by URI ({@link #ref(String)}), never by local path. */
    @Override
    public FileRef ref(Path entry) {
        throw new UnsupportedOperationException(
                "objects under " + root + " are named by URI, not by local path: " + entry);
    }
}
