package io.artdag.l1.connector;

import java.nio.file.Path;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * One render output a job hands to {@link L1Store#sinkFrom}: where the file is and what its
 * producer knows about it (README "Using the store from your own Flink job"). A reference, never
 * the bytes.
 *
 * <p>A public-field POJO (Flink serializes it with its POJO serializer); the {@code with…} methods
 * set a field and return this object. Only {@link #path} is required; an output that cannot be used
 * (no or a relative path, an unsafe node id, a malformed hash or JSON field, a file outside its
 * root, a declared hash that does not match the bytes) is recorded as a rejected input with its
 * reason, and the job goes on.
 */
@PublicEvolving
public class RenderOutput {
    /** Absolute local path of the output file; every TaskManager must be able to read it. */
    public String path;

    /**
     * Absolute directory the file must stay under (its real path, symbolic links followed, is
     * checked right before it is read), or null for the file's parent directory.
     */
    public String root;

    /** artdag node id of the step that produced it, or null. */
    public String nodeId;

    /** artdag node type (e.g. {@code render}), or null. */
    public String nodeType;

    /** SHA3-256 the producer declares (64 hex digits), checked against the bytes; or null. */
    public String contentHash;

    /** The producer's metadata, a JSON object as text, kept for provenance; or null. */
    public String metadataJson;

    /** The run that produced it ({@code run_cache.run_id}); the next three count only with it. */
    public String runId;

    /** The run's recipe, or null. */
    public String recipe;

    /** The run's inputs, a JSON array or object as text, or null. */
    public String inputsJson;

    /** The run's actor ({@code item_types.actor_id}), or null. */
    public String actorId;

    public RenderOutput() {}

    /** The output at {@code file}, confined to its parent directory. */
    public static RenderOutput of(Path file, String nodeId) {
        RenderOutput o = new RenderOutput();
        o.path = file.toAbsolutePath().toString();
        o.nodeId = nodeId;
        return o;
    }

    /** The output at {@code file}, which must stay under {@code root}. */
    public static RenderOutput under(Path root, Path file, String nodeId) {
        RenderOutput o = of(file, nodeId);
        o.root = root.toAbsolutePath().toString();
        return o;
    }

    public RenderOutput withNodeType(String nodeType) {
        this.nodeType = nodeType;
        return this;
    }

    public RenderOutput withContentHash(String contentHash) {
        this.contentHash = contentHash;
        return this;
    }

    public RenderOutput withMetadataJson(String metadataJson) {
        this.metadataJson = metadataJson;
        return this;
    }

    /** Sets the run fields ({@code inputsJson} a JSON array or object, or null). */
    public RenderOutput withRun(String runId, String recipe, String inputsJson, String actorId) {
        this.runId = runId;
        this.recipe = recipe;
        this.inputsJson = inputsJson;
        this.actorId = actorId;
        return this;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RenderOutput)) {
            return false;
        }
        RenderOutput that = (RenderOutput) o;
        return Objects.equals(path, that.path)
                && Objects.equals(root, that.root)
                && Objects.equals(nodeId, that.nodeId)
                && Objects.equals(nodeType, that.nodeType)
                && Objects.equals(contentHash, that.contentHash)
                && Objects.equals(metadataJson, that.metadataJson)
                && Objects.equals(runId, that.runId)
                && Objects.equals(recipe, that.recipe)
                && Objects.equals(inputsJson, that.inputsJson)
                && Objects.equals(actorId, that.actorId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                path,
                root,
                nodeId,
                nodeType,
                contentHash,
                metadataJson,
                runId,
                recipe,
                inputsJson,
                actorId);
    }

    @Override
    public String toString() {
        return "RenderOutput{" + path + (nodeId == null ? "" : ", node " + nodeId) + "}";
    }
}
