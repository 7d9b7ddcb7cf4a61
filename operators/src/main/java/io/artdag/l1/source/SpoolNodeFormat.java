package io.artdag.l1.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.operators.FileRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a spool node's {@code metadata.json} (written last by the renderer) and emits a reference
 * to the node's output file with that metadata.
 */
public class SpoolNodeFormat extends FileRefFormat {
    private static final long serialVersionUID = 1L;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected Iterator<FileRef> refs(Path metadataFile) {
        Path nodeDir = metadataFile.toAbsolutePath().normalize().getParent();
        String nodeId = nodeDir.getFileName().toString();
        String where = metadataFile.toAbsolutePath().normalize().toString();
        FileRef ref;
        try {
            JsonNode meta = JSON.readTree(metadataFile.toFile());
            ref = ArtdagEntries.toFileRef(meta, nodeDir, nodeId, where, "spool");
        } catch (IOException e) {
            ref =
                    FileRef.rejected(
                            where,
                            "spool",
                            nodeId,
                            "bad metadata: metadata.json is not valid JSON: "
                                    + firstLine(e.getMessage()));
        }
        return List.of(ref).iterator();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
