package io.artdag.l1.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.operators.FileRef;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns artdag's per-node metadata (an {@code index.json} entry or a node's {@code metadata.json}:
 * node_id, output_path, node_type, content_hash, ...) into a {@link FileRef}.
 *
 * <p>Metadata is untrusted: a node id must be one safe path segment, the string fields must be
 * strings, and the output it names must resolve under the input root ({@link CacheFiles}: on disk
 * with symbolic links followed, in an object store by its key). An {@code output_path} that leads
 * outside the root is not read; the output is then looked for in the node's directory (a moved
 * cache), and the entry is rejected as {@value io.artdag.l1.operators.FilePaths#OUTSIDE_ROOT} when
 * it is not there.
 */
final class ArtdagEntries {
    /** The largest {@code metadata.json} that is read. */
    static final long MAX_METADATA_BYTES = 16L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ArtdagEntries() {}

    /** Why an input is rejected, thrown where it is found. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * @param nodeDir the node's directory ({@code <root>/<node_id>}), where outputs normally live
     * @param fallbackNodeId the node id the layout gives (index key, spool directory name)
     * @param where names the metadata for error messages
     * @param files how the input's files are reached and confined
     * @param readNodeMetadata whether to check the node directory's {@code metadata.json} (a cache
     *     entry: it is optional there, but when present it must be a JSON object)
     */
    static <L> FileRef toFileRef(
            JsonNode meta,
            L nodeDir,
            String fallbackNodeId,
            String where,
            String origin,
            CacheFiles<L> files,
            boolean readNodeMetadata) {
        String nodeId = fallbackNodeId;
        try {
            if (fallbackNodeId != null) {
                checkNodeId(fallbackNodeId);
            }
            if (meta == null || !meta.isObject()) {
                throw new Rejected("bad metadata: expected a JSON object");
            }
            String declaredId = text(meta, "node_id");
            if (declaredId != null) {
                checkNodeId(declaredId);
                nodeId = declaredId;
            }
            String outputPath = text(meta, "output_path");
            String nodeType = text(meta, "node_type");
            String declared = text(meta, "content_hash");
            if (declared != null && !declared.matches("[0-9a-fA-F]{64}")) {
                throw new Rejected(
                        "bad metadata: content_hash '"
                                + InputNames.display(declared)
                                + "' is not a SHA3-256 hex digest");
            }
            L dir = declaredId == null ? nodeDir : files.sibling(nodeDir, declaredId);
            if (readNodeMetadata) {
                checkNodeMetadata(files, nodeDir);
                if (!dir.equals(nodeDir)) {
                    checkNodeMetadata(files, dir);
                }
            }
            L output = resolveOutput(files, outputPath, nodeDir, dir);
            if (output == null) {
                throw new Rejected(
                        "vanished: no output file found for node " + InputNames.display(nodeId));
            }
            FileRef ref = FileRef.of(files.text(output), origin);
            ref.root = files.root();
            ref.nodeId = nodeId;
            ref.nodeType = nodeType;
            ref.declaredHash = declared == null ? null : declared.toLowerCase();
            ref.metadataJson = meta.toString();
            try {
                ref.run = RunFields.of(meta);
            } catch (IllegalArgumentException e) {
                throw new Rejected("bad metadata: " + e.getMessage());
            }
            return ref;
        } catch (Rejected e) {
            // An unsafe node id is never recorded as one.
            String id = nodeId != null && InputNames.safeSegment(nodeId) ? nodeId : null;
            return FileRef.rejected(where, origin, id, e.getMessage());
        } catch (IOException e) {
            return FileRef.rejected(
                    where,
                    origin,
                    nodeId != null && InputNames.safeSegment(nodeId) ? nodeId : null,
                    "unreadable: " + e.getMessage());
        }
    }

    /**
     * Reads a {@code metadata.json} of at most {@link #MAX_METADATA_BYTES}, which must be a JSON
     * object and must be confined to the input ({@link CacheFiles#openMetadata}).
     *
     * @param label how reasons name the file, e.g. {@code n1/metadata.json}
     */
    static <L> JsonNode readMetadata(CacheFiles<L> files, L file, String label)
            throws Rejected, IOException {
        byte[] bytes;
        try (InputStream in = files.openMetadata(file, label)) {
            bytes = in.readNBytes((int) MAX_METADATA_BYTES + 1);
        }
        if (bytes.length > MAX_METADATA_BYTES) {
            throw new Rejected("bad metadata: " + label + " larger than 16 MiB");
        }
        JsonNode meta;
        try {
            meta = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new Rejected(
                    "bad metadata: "
                            + label
                            + " is not valid JSON: "
                            + SpoolNodeFormat.firstLine(e.getMessage()));
        }
        if (meta == null || !meta.isObject()) {
            throw new Rejected("bad metadata: " + label + " is not a JSON object");
        }
        return meta;
    }

    private static <L> void checkNodeMetadata(CacheFiles<L> files, L dir)
            throws Rejected, IOException {
        L file = files.child(dir, InputLayout.NODE_METADATA);
        if (files.exists(file)) {
            readMetadata(files, file, files.label(file));
        }
    }

    /**
     * The output file: the declared {@code output_path} if it resolves under the root, else the
     * file of that name in the node directory, else the node directory's {@code output*}. Null if
     * there is none; rejected if the only candidates resolve outside the root.
     */
    private static <L> L resolveOutput(CacheFiles<L> files, String outputPath, L nodeDir, L dir)
            throws Rejected, IOException {
        String outside = null;
        L declared = null;
        List<L> candidates = new ArrayList<>();
        if (outputPath != null && !outputPath.isEmpty()) {
            declared = files.declared(outputPath, nodeDir);
            if (declared != null) {
                candidates.add(declared);
            }
            // A cache copied elsewhere keeps stale absolute paths: look next to the metadata.
            String name = files.fileName(outputPath);
            if (name != null) {
                candidates.add(files.child(nodeDir, name));
            }
        }
        for (int pass = 0; pass < 3; pass++) {
            // Listed only when the declared path did not lead to the output.
            List<L> list = candidates;
            if (pass > 0) {
                try {
                    list = files.outputs(pass == 1 ? nodeDir : dir);
                } catch (CacheFiles.Outside e) {
                    outside = outside == null ? e.getMessage() : outside;
                    continue;
                }
            }
            for (L c : list) {
                try {
                    L found = files.confined(c);
                    if (found != null) {
                        return found;
                    }
                } catch (CacheFiles.Outside e) {
                    outside = outside == null ? e.getMessage() : outside;
                }
            }
        }
        if (outside != null) {
            throw new Rejected(outside);
        }
        // Nothing there: named so that the hasher reports it vanished (checking the root again).
        return declared;
    }

    private static String text(JsonNode meta, String field) throws Rejected {
        JsonNode v = meta.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Rejected("bad metadata: " + field + " must be a string");
        }
        return v.textValue();
    }

    private static void checkNodeId(String nodeId) throws Rejected {
        if (!InputNames.safeSegment(nodeId)) {
            throw new Rejected("bad metadata: unsafe node_id '" + InputNames.display(nodeId) + "'");
        }
    }
}
