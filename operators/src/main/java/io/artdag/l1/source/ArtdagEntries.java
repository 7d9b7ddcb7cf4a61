package io.artdag.l1.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.artdag.l1.operators.FileRef;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns artdag's per-node metadata (an {@code index.json} entry or a node's {@code metadata.json}:
 * node_id, output_path, node_type, content_hash, ...) into a {@link FileRef}.
 */
final class ArtdagEntries {
    private ArtdagEntries() {}

    /**
     * @param nodeDir the node's directory ({@code <root>/<node_id>}), where outputs normally live
     * @param where names the metadata for error messages
     */
    static FileRef toFileRef(
            JsonNode meta, Path nodeDir, String fallbackNodeId, String where, String origin) {
        if (meta == null || !meta.isObject()) {
            return FileRef.rejected(
                    where, origin, fallbackNodeId, "bad metadata: expected a JSON object");
        }
        String nodeId = text(meta, "node_id");
        if (nodeId == null) {
            nodeId = fallbackNodeId;
        }
        String declared = text(meta, "content_hash");
        if (declared != null && !declared.matches("[0-9a-fA-F]{64}")) {
            return FileRef.rejected(
                    where,
                    origin,
                    nodeId,
                    "bad metadata: content_hash '" + declared + "' is not a SHA3-256 hex digest");
        }
        Path dir = nodeId == null ? nodeDir : nodeDir.resolveSibling(nodeId);
        Path output;
        try {
            output = resolveOutput(text(meta, "output_path"), nodeDir, dir);
        } catch (IOException e) {
            return FileRef.rejected(where, origin, nodeId, "unreadable: " + e.getMessage());
        }
        if (output == null) {
            return FileRef.rejected(
                    where, origin, nodeId, "vanished: no output file found for node " + nodeId);
        }
        FileRef ref = FileRef.of(output.toAbsolutePath().normalize().toString(), origin);
        ref.nodeId = nodeId;
        ref.nodeType = text(meta, "node_type");
        ref.declaredHash = declared == null ? null : declared.toLowerCase();
        ref.metadataJson = meta.toString();
        return ref;
    }

    private static Path resolveOutput(String outputPath, Path nodeDir, Path dir)
            throws IOException {
        if (outputPath != null && !outputPath.isEmpty()) {
            Path p = Path.of(outputPath);
            Path candidate = p.isAbsolute() ? p : nodeDir.getParent().resolve(p);
            if (Files.exists(candidate)) {
                return candidate;
            }
            // A cache copied elsewhere keeps stale absolute paths: look next to the metadata.
            Path local = nodeDir.resolve(p.getFileName());
            if (Files.exists(local)) {
                return local;
            }
        }
        for (Path d : new Path[] {nodeDir, dir}) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, "output*")) {
                for (Path p : ds) {
                    return p;
                }
            }
        }
        return outputPath == null
                ? null
                : (Path.of(outputPath).isAbsolute()
                        ? Path.of(outputPath)
                        : nodeDir.getParent().resolve(outputPath));
    }

    private static String text(JsonNode meta, String field) {
        JsonNode v = meta.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
