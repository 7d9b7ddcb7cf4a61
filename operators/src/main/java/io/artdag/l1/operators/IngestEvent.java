package io.artdag.l1.operators;

import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * What the segment sink is told about one input: new content to store, another sighting of stored
 * content, or a rejected input. Everything the store records flows through the sink as one of
 * these, so that it is committed exactly once with the checkpoint that saw it.
 */
@Internal
public class IngestEvent {
    /** The three things that can happen to an input. */
    public enum Kind {
        /** First sighting of this content: its bytes are stored. */
        NEW,
        /** Content already seen (by this job or stored earlier): provenance only. */
        DUPLICATE,
        /** The input could not be used; {@link #reason} says why. */
        REJECTED
    }

    public Kind kind;
    public String path;
    public String contentHash;
    public long size;

    /** Modification time seen when hashing, to notice a file changed before it is stored. */
    public long modifiedMillis;

    public String nodeId;
    public String nodeType;
    public String metadataJson;
    public String reason;

    /** The producing run as JSON ({@link FileRef#run}), or null. */
    public String run;

    public IngestEvent() {}

    public static IngestEvent of(Kind kind, HashedFile file) {
        IngestEvent e = new IngestEvent();
        e.kind = kind;
        e.path = file.path;
        e.contentHash = file.contentHash;
        e.size = file.size;
        e.modifiedMillis = file.modifiedMillis;
        e.nodeId = file.nodeId;
        e.nodeType = file.nodeType;
        e.metadataJson = file.metadataJson;
        e.run = file.run;
        return e;
    }

    public static IngestEvent rejected(String path, String nodeId, String reason) {
        IngestEvent e = new IngestEvent();
        e.kind = Kind.REJECTED;
        e.path = path;
        e.nodeId = nodeId;
        e.reason = reason;
        return e;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IngestEvent)) {
            return false;
        }
        IngestEvent that = (IngestEvent) o;
        return kind == that.kind
                && size == that.size
                && modifiedMillis == that.modifiedMillis
                && Objects.equals(path, that.path)
                && Objects.equals(contentHash, that.contentHash)
                && Objects.equals(nodeId, that.nodeId)
                && Objects.equals(nodeType, that.nodeType)
                && Objects.equals(metadataJson, that.metadataJson)
                && Objects.equals(reason, that.reason)
                && Objects.equals(run, that.run);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, path, contentHash, size, nodeId, reason);
    }

    @Override
    public String toString() {
        return kind + " " + path + (reason == null ? "" : " (" + reason + ")");
    }
}
