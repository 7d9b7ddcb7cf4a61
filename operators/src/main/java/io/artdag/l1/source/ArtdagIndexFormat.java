package io.artdag.l1.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.FileRef;
import io.artdag.l1.operators.InputFiles;
import io.artdag.l1.source.tree.EntryFormat;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.flink.annotation.Internal;

/**
 * Reads an artdag cache's {@code index.json} as a stream of entries, one {@link FileRef} per entry,
 * without loading the whole index. A malformed index yields the entries before the damage and then
 * one rejected reference that says where it broke. Each entry is confined to the cache directory
 * (see {@link ArtdagEntries}); an {@code index.json} that resolves outside it is not read.
 */
@Internal
public class ArtdagIndexFormat extends FileRefFormat implements EntryFormat {
    private static final long serialVersionUID = 1L;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A cache whose root is the directory of the index it reads. */
    public ArtdagIndexFormat() {}

    /** The cache at {@code root} (its {@code index.json}). */
    public ArtdagIndexFormat(Path root) {
        super(root);
    }

    @Override
    public boolean accepts(String fileName) {
        return fileName.equals(InputLayout.CACHE_INDEX);
    }

    /** Not used: an index stands for many references ({@link #entryRefs}). */
    @Override
    public FileRef ref(Path entry) {
        throw new UnsupportedOperationException("an index.json is read with entryRefs");
    }

    @Override
    public Iterator<FileRef> entryRefs(Path indexFile) {
        try {
            return refs(indexFile);
        } catch (IOException e) {
            return List.of(
                            FileRef.rejected(
                                    FilePaths.encode(indexFile.toAbsolutePath().normalize()),
                                    "cache",
                                    null,
                                    "unreadable: " + e.getMessage()))
                    .iterator();
        }
    }

    @Override
    protected Iterator<FileRef> refs(Path indexFile) throws IOException {
        Path index = indexFile.toAbsolutePath().normalize();
        Path root = root(index.getParent());
        String reason;
        try {
            Path real = FilePaths.confine(index, realRoot(root));
            return new Entries<>(
                    FilePaths.encode(index),
                    Files.newInputStream(real),
                    root,
                    new LocalCacheFiles(root, realRoot(root)));
        } catch (FilePaths.OutsideRootException e) {
            reason = e.getMessage();
        } catch (NoSuchFileException e) {
            reason = "vanished: index.json no longer exists";
        } catch (IOException e) {
            reason = "unreadable: " + e.getMessage();
        }
        return List.of(FileRef.rejected(FilePaths.encode(index), "cache", null, reason)).iterator();
    }

    /**
     * The entries of the {@code index.json} of a cache under a prefix of a Flink FileSystem, read
     * with the same rules as one on disk ({@link ObjectCacheFiles}).
     *
     * @param root the prefix, as {@link InputFiles#canonical} returns it
     */
    static Iterator<FileRef> objectRefs(String root) {
        ObjectCacheFiles files = new ObjectCacheFiles(root);
        String index = files.child(root, InputLayout.CACHE_INDEX);
        String reason;
        try {
            return new Entries<>(index, InputFiles.open(index), root, files);
        } catch (NoSuchFileException e) {
            reason = "vanished: index.json no longer exists";
        } catch (IOException e) {
            reason = "unreadable: " + e.getMessage();
        }
        FileRef rejected = FileRef.rejected(index, "cache", null, reason);
        rejected.root = root;
        return List.of(rejected).iterator();
    }

    /** The entries of one index, read from {@code in} (closed with the iterator). */
    private static final class Entries<L> implements Iterator<FileRef>, Closeable {
        private final String indexText;
        private final L root;
        private final CacheFiles<L> files;
        private final JsonParser parser;
        private FileRef next;
        private boolean done;

        Entries(String indexText, InputStream in, L root, CacheFiles<L> files) throws IOException {
            this.indexText = indexText;
            this.root = root;
            this.files = files;
            try {
                this.parser = JSON.createParser(in);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
            try {
                if (!seekEntries()) {
                    next =
                            FileRef.rejected(
                                    indexText,
                                    "cache",
                                    null,
                                    "bad metadata: index.json has no \"entries\" object");
                    done = true;
                }
            } catch (IOException e) {
                next = broken(e);
                done = true;
            }
        }

        private boolean seekEntries() throws IOException {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("entries".equals(name) && value == JsonToken.START_OBJECT) {
                    return true;
                }
                parser.skipChildren();
            }
            return false;
        }

        private FileRef broken(IOException e) {
            return FileRef.rejected(
                    indexText,
                    "cache",
                    null,
                    "bad metadata: index.json is not valid JSON: "
                            + SpoolNodeFormat.firstLine(e.getMessage()));
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (done) {
                return false;
            }
            try {
                if (parser.nextToken() != JsonToken.FIELD_NAME) {
                    done = true;
                    return false;
                }
                String key = parser.currentName();
                parser.nextToken();
                JsonNode entry = parser.readValueAsTree();
                String where = indexText + "#entries/" + InputNames.display(key);
                // An unsafe key is rejected before it is used as a path segment.
                L nodeDir = InputNames.safeSegment(key) ? files.child(root, key) : root;
                next = ArtdagEntries.toFileRef(entry, nodeDir, key, where, "cache", files, true);
            } catch (IOException e) {
                next = broken(e);
                done = true;
            }
            return true;
        }

        @Override
        public FileRef next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            FileRef r = next;
            next = null;
            return r;
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}
