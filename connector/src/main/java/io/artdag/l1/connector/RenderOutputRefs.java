package io.artdag.l1.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.FileRef;
import io.artdag.l1.source.InputNames;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Turns a {@link RenderOutput} into the file reference HashFiles reads ({@link FileRef}, origin
 * {@value #ORIGIN}): path and root encoded losslessly, run fields as the compact JSON {@code
 * run_cache} takes. An output that cannot be used becomes a rejected reference naming the reason,
 * worded as the other inputs' (README "Inputs").
 */
final class RenderOutputRefs implements MapFunction<RenderOutput, FileRef> {
    private static final long serialVersionUID = 1L;

    /** {@link FileRef#origin} of outputs handed over by a job. */
    static final String ORIGIN = "job";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public FileRef map(RenderOutput output) {
        return toFileRef(output);
    }

    static FileRef toFileRef(RenderOutput o) {
        String where = o.path == null ? "(no path)" : o.path;
        boolean unsafeId = o.nodeId != null && !InputNames.safeSegment(o.nodeId);
        String nodeId = unsafeId ? null : o.nodeId;
        try {
            Path file = absolute(o.path, "path");
            where = FilePaths.encode(file);
            if (unsafeId) {
                throw new Rejected(
                        "bad metadata: unsafe node_id '" + InputNames.display(o.nodeId) + "'");
            }
            Path root = o.root == null ? file.getParent() : absolute(o.root, "root");
            if (root == null) {
                throw new Rejected("not a regular file");
            }
            if (o.contentHash != null && !o.contentHash.matches("[0-9a-fA-F]{64}")) {
                throw new Rejected(
                        "bad metadata: content_hash '"
                                + InputNames.display(o.contentHash)
                                + "' is not a SHA3-256 hex digest");
            }
            FileRef ref = FileRef.of(where, ORIGIN);
            ref.root = FilePaths.encode(root);
            ref.nodeId = nodeId;
            ref.nodeType = o.nodeType;
            ref.declaredHash = o.contentHash == null ? null : o.contentHash.toLowerCase();
            ref.metadataJson = metadata(o.metadataJson);
            ref.run = run(o);
            return ref;
        } catch (Rejected e) {
            return FileRef.rejected(where, ORIGIN, nodeId, e.getMessage());
        }
    }

    private static Path absolute(String text, String field) throws Rejected {
        if (text == null || text.isEmpty()) {
            throw new Rejected("bad metadata: no " + field);
        }
        Path p;
        try {
            p = Path.of(text);
        } catch (InvalidPathException e) {
            throw new Rejected("bad metadata: " + field + " is not a file path");
        }
        if (!p.isAbsolute()) {
            throw new Rejected(
                    "bad metadata: "
                            + field
                            + " '"
                            + InputNames.display(text)
                            + "' is not absolute");
        }
        return p;
    }

    /** The metadata as compact JSON text, or null. */
    private static String metadata(String text) throws Rejected {
        if (text == null) {
            return null;
        }
        JsonNode m = parse(text, "metadata");
        if (m.isNull()) {
            return null;
        }
        if (!m.isObject()) {
            throw new Rejected("bad metadata: metadata must be a JSON object");
        }
        return m.toString();
    }

    /**
     * {@code {"run_id","recipe","inputs","actor_id"}} as compact JSON, or null without a run id.
     */
    private static String run(RenderOutput o) throws Rejected {
        if (o.runId == null) {
            return null;
        }
        ObjectNode run = JSON.createObjectNode();
        run.put("run_id", o.runId);
        if (o.recipe != null) {
            run.put("recipe", o.recipe);
        }
        if (o.inputsJson != null) {
            JsonNode inputs = parse(o.inputsJson, "inputs");
            if (!inputs.isNull()) {
                if (!inputs.isArray() && !inputs.isObject()) {
                    throw new Rejected("bad metadata: inputs must be a JSON array or object");
                }
                run.set("inputs", inputs);
            }
        }
        if (o.actorId != null) {
            run.put("actor_id", o.actorId);
        }
        return run.toString();
    }

    private static JsonNode parse(String text, String field) throws Rejected {
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || n.isMissingNode()) {
                throw new Rejected("bad metadata: " + field + " is not valid JSON (empty)");
            }
            return n;
        } catch (JsonProcessingException e) {
            String m = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
            throw new Rejected("bad metadata: " + field + " is not valid JSON (" + m + ")");
        }
    }

    private static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message);
        }
    }
}
