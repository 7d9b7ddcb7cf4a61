package io.artdag.l1.operators;

import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * A reference to one render output on disk plus what its producer said about it. Records carry
 * references and metadata, never the file's bytes.
 *
 * <p>A public-field POJO so that Flink serializes it with its POJO serializer.
 */
@Internal
public class FileRef {
    /** Absolute path of the output file, as {@link FilePaths#encode} writes it. */
    public String path;

    /**
     * The input root the file was found under ({@link FilePaths#encode}d), or null when unknown:
     * the hasher reads the file only if its real path lies under the root's real path.
     */
    public String root;

    /** Which kind of input found it: {@code tree}, {@code cache} or {@code spool}. */
    public String origin;

    /** artdag node id, when the input layout names one. */
    public String nodeId;

    /** artdag node type, when known. */
    public String nodeType;

    /** SHA3-256 the producer declared (lowercase hex), checked against the bytes when present. */
    public String declaredHash;

    /** The producer's metadata as JSON text, kept verbatim for provenance. */
    public String metadataJson;

    /** When the source already knows the input is bad: why. The hasher rejects it. */
    public String error;

    /**
     * Where the reference came from inside its input when a path alone does not say (a Kafka
     * event's {@code topic/partition@offset}), or null; rejection reasons end with it.
     */
    public String position;

    /**
     * The run that produced the output, as JSON ({@code run_id}, {@code recipe}, {@code inputs},
     * {@code actor_id}), or null: recorded in PostgreSQL's {@code run_cache} once the output's CID
     * is pinned.
     */
    public String run;

    public FileRef() {}

    public static FileRef of(String path, String origin) {
        FileRef ref = new FileRef();
        ref.path = path;
        ref.origin = origin;
        return ref;
    }

    public static FileRef rejected(String path, String origin, String nodeId, String error) {
        FileRef ref = of(path, origin);
        ref.nodeId = nodeId;
        ref.error = error;
        return ref;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FileRef)) {
            return false;
        }
        FileRef that = (FileRef) o;
        return Objects.equals(path, that.path)
                && Objects.equals(root, that.root)
                && Objects.equals(origin, that.origin)
                && Objects.equals(nodeId, that.nodeId)
                && Objects.equals(nodeType, that.nodeType)
                && Objects.equals(declaredHash, that.declaredHash)
                && Objects.equals(metadataJson, that.metadataJson)
                && Objects.equals(error, that.error)
                && Objects.equals(position, that.position)
                && Objects.equals(run, that.run);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                path, root, origin, nodeId, nodeType, declaredHash, metadataJson, error, position);
    }

    @Override
    public String toString() {
        return "FileRef{" + path + (error == null ? "" : ", error=" + error) + "}";
    }
}
