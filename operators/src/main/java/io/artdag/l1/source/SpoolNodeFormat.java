package io.artdag.l1.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.FileRef;
import io.artdag.l1.source.tree.EntryFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * Reads a spool node's {@code metadata.json} (written last by the renderer) and emits a reference
 * to the node's output file with that metadata.
 */
@Internal
public class SpoolNodeFormat extends FileRefFormat implements EntryFormat {
    private static final long serialVersionUID = 1L;

    /** A spool whose root is the parent of each node directory. */
    public SpoolNodeFormat() {}

    /** The spool at {@code root}. */
    public SpoolNodeFormat(Path root) {
        super(root);
    }

    @Override
    public boolean accepts(String fileName) {
        return fileName.equals(InputLayout.NODE_METADATA);
    }

    @Override
    protected Iterator<FileRef> refs(Path metadataFile) {
        return List.of(ref(metadataFile)).iterator();
    }

    @Override
    public FileRef ref(Path metadataFile) {
        Path file = metadataFile.toAbsolutePath().normalize();
        Path nodeDir = file.getParent();
        String nodeId = nodeDir.getFileName().toString();
        Path root = root(nodeDir.getParent());
        String where = FilePaths.encode(file);
        String safeId = InputNames.safeSegment(nodeId) ? nodeId : null;
        FileRef ref;
        try {
            LocalCacheFiles files = new LocalCacheFiles(root, realRoot(root));
            JsonNode meta = ArtdagEntries.readMetadata(files, file, InputLayout.NODE_METADATA);
            ref = ArtdagEntries.toFileRef(meta, nodeDir, nodeId, where, "spool", files, false);
        } catch (ArtdagEntries.Rejected e) {
            ref = FileRef.rejected(where, "spool", safeId, e.getMessage());
        } catch (IOException e) {
            ref = FileRef.rejected(where, "spool", safeId, "unreadable: " + e.getMessage());
        }
        return ref;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
