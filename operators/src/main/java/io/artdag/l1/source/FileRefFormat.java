package io.artdag.l1.source;

import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.FileRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;

/**
 * Base of the formats that turn one enumerated file into {@link FileRef}s without reading render
 * output bytes. A split's position is the number of references already emitted, so a restored
 * reader skips exactly those.
 *
 * <p>A format knows the input root its files come from: every path it reads, and every path it
 * hands on, must resolve under that root's real path ({@link FilePaths#confine}); the references it
 * emits carry the root so that the hasher checks again before it opens the file.
 */
@Internal
public abstract class FileRefFormat implements BulkFormat<FileRef, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    private static final int BATCH = 512;

    /** The input root, {@link FilePaths#encode}d (Serializable), or null: derived per file. */
    private final String root;

    private transient String realRootOf;
    private transient Path realRoot;

    /** A format with no known root: each file's root is derived from its place. */
    protected FileRefFormat() {
        this(null);
    }

    /** A format for the files under {@code root}. */
    protected FileRefFormat(Path root) {
        this.root = root == null ? null : FilePaths.encode(root.toAbsolutePath().normalize());
    }

    /** The references one enumerated file stands for, in a stable order. */
    protected abstract Iterator<FileRef> refs(Path file) throws IOException;

    /** The input root (absolute), or {@code fallback} when this format was given none. */
    protected Path root(Path fallback) {
        return root == null ? fallback.toAbsolutePath().normalize() : FilePaths.decode(root);
    }

    /** The real path of {@code root} (as {@link #root(Path)} returned it). */
    protected Path realRoot(Path root) throws IOException {
        String key = FilePaths.encode(root);
        if (!key.equals(realRootOf)) {
            realRoot = root.toRealPath();
            realRootOf = key;
        }
        return realRoot;
    }

    @Override
    public Reader<FileRef> createReader(Configuration config, FileSourceSplit split)
            throws IOException {
        return new RefReader(refs(LocalTreeEnumerator.fromFlink(split.path())), 0);
    }

    @Override
    public Reader<FileRef> restoreReader(Configuration config, FileSourceSplit split)
            throws IOException {
        long skip =
                split.getReaderPosition()
                        .map(CheckpointedPosition::getRecordsAfterOffset)
                        .orElse(0L);
        return new RefReader(refs(LocalTreeEnumerator.fromFlink(split.path())), skip);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<FileRef> getProducedType() {
        return TypeInformation.of(FileRef.class);
    }

    private static final class RefReader implements Reader<FileRef> {
        private final Iterator<FileRef> refs;
        private long emitted;

        RefReader(Iterator<FileRef> refs, long skip) {
            this.refs = refs;
            while (emitted < skip && refs.hasNext()) {
                refs.next();
                emitted++;
            }
        }

        @Override
        public RecordIterator<FileRef> readBatch() {
            if (!refs.hasNext()) {
                return null;
            }
            Object[] batch = new Object[BATCH];
            int n = 0;
            while (n < BATCH && refs.hasNext()) {
                batch[n++] = refs.next();
            }
            long first = emitted;
            emitted += n;
            int count = n;
            return new RecordIterator<>() {
                private int i;

                @Override
                @SuppressWarnings("unchecked")
                public RecordAndPosition<FileRef> next() {
                    if (i >= count) {
                        return null;
                    }
                    FileRef ref = (FileRef) batch[i++];
                    return new RecordAndPosition<>(ref, CheckpointedPosition.NO_OFFSET, first + i);
                }

                @Override
                public void releaseBatch() {}
            };
        }

        @Override
        public void close() throws IOException {
            if (refs instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) refs).close();
                } catch (IOException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
    }
}
