package io.artdag.l1.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.FileRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns artdag's per-node metadata (an {@code index.json} entry or a node's {@code metadata.json}:
 * node_id, output_path, node_type, content_hash, ...) into a {@link FileRef}.
 *
 * <p>Metadata is untrusted: a node id must be one safe path segment, the string fields must be
 * strings, and the output it names must resolve (symbolic links followed) under the input root. An
 * {@code output_path} that leads outside the root is not read; the output is then looked for in the
 * node's directory (a moved cache), and the entry is rejected as {@value FilePaths#OUTSIDE_ROOT}
 * when it is not there.
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
     * @param root the input root (absolute); {@code realRoot} is its real path
     * @param readNodeMetadata whether to check the node directory's {@code metadata.json} (a cache
     *     entry: it is optional there, but when present it must be a JSON object)
     */
    static FileRef toFileRef(
            JsonNode meta,
            Path nodeDir,
            String fallbackNodeId,
            String where,
            String origin,
            Path root,
            Path realRoot,
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
            Path dir = declaredId == null ? nodeDir : nodeDir.resolveSibling(declaredId);
            if (readNodeMetadata) {
                checkNodeMetadata(nodeDir, root, realRoot);
                if (!dir.equals(nodeDir)) {
                    checkNodeMetadata(dir, root, realRoot);
                }
            }
            Path output = resolveOutput(outputPath, nodeDir, dir, realRoot);
            if (output == null) {
                throw new Rejected("vanished: no output file found for node " + nodeId);
            }
            FileRef ref = FileRef.of(FilePaths.encode(output.toAbsolutePath().normalize()), origin);
            ref.root = FilePaths.encode(root);
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
     * object and must resolve under {@code realRoot}.
     *
     * @param label how reasons name the file, e.g. {@code n1/metadata.json}
     */
    static JsonNode readMetadata(Path file, Path realRoot, String label)
            throws Rejected, IOException {
        Path real;
        try {
            real = FilePaths.confine(file, realRoot);
        } catch (FilePaths.OutsideRootException e) {
            throw new Rejected(e.getMessage());
        } catch (NoSuchFileException e) {
            throw new Rejected("bad metadata: " + label + " vanished or is a dangling link");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new Rejected("bad metadata: " + label + " is not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
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

    private static void checkNodeMetadata(Path dir, Path root, Path realRoot)
            throws Rejected, IOException {
        Path file = dir.resolve(InputLayout.NODE_METADATA);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            readMetadata(file, realRoot, label(root, file));
        }
    }

    /** {@code file} relative to {@code root} for messages, e.g. {@code n1/metadata.json}. */
    static String label(Path root, Path file) {
        String text = FilePaths.encode(file.toAbsolutePath().normalize());
        String base = FilePaths.encode(root) + "/";
        return text.startsWith(base) ? text.substring(base.length()) : text;
    }

    /**
     * The output file: the declared {@code output_path} if it resolves under the root, else the
     * file of that name in the node directory, else the node directory's {@code output*}. Null if
     * there is none; rejected if the only candidates resolve outside the root.
     */
    private static Path resolveOutput(String outputPath, Path nodeDir, Path dir, Path realRoot)
            throws Rejected, IOException {
        Path outside = null;
        Path declared = null;
        if (outputPath != null && !outputPath.isEmpty()) {
            Path p;
            try {
                p = Path.of(outputPath);
            } catch (InvalidPathException e) {
                throw new Rejected(
                        "bad metadata: output_path '"
                                + InputNames.display(outputPath)
                                + "' is not a path");
            }
            declared = p.isAbsolute() ? p : nodeDir.getParent().resolve(p);
            List<Path> candidates = new ArrayList<>();
            candidates.add(declared);
            // A cache copied elsewhere keeps stale absolute paths: look next to the metadata.
            Path name = p.getFileName();
            if (name != null && !name.toString().equals("..") && !name.toString().equals(".")) {
                candidates.add(nodeDir.resolve(name));
            }
            for (Path c : candidates) {
                if (!Files.exists(c)) {
                    continue;
                }
                try {
                    FilePaths.confine(c, realRoot);
                    return c;
                } catch (FilePaths.OutsideRootException e) {
                    outside = outside == null ? e.real() : outside;
                }
            }
        }
        for (Path d : new Path[] {nodeDir, dir}) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            List<Path> outputs = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, "output*")) {
                ds.forEach(outputs::add);
            }
            outputs.sort(null);
            for (Path c : outputs) {
                try {
                    FilePaths.confine(c, realRoot);
                    return c;
                } catch (FilePaths.OutsideRootException e) {
                    outside = outside == null ? e.real() : outside;
                } catch (NoSuchFileException e) {
                    // A dangling link: the hasher reports it if nothing better is found.
                }
            }
        }
        if (outside != null) {
            throw new Rejected(FilePaths.outsideReason(outside));
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
