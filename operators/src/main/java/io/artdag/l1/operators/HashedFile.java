package io.artdag.l1.operators;

import java.util.Objects;
import org.apache.flink.annotation.Internal;

/** A render output after hashing: its reference, size and SHA3-256 content hash. */
@Internal
public class HashedFile {
    public String path;
    public String contentHash;
    public long size;
    public long modifiedMillis;
    public String nodeId;
    public String nodeType;
    public String metadataJson;

    /** The producing run as JSON ({@link FileRef#run}), or null. */
    public String run;

    /**
     * Set in l1 mode when the shared index says another (earlier or concurrent) job stored this
     * content: it is then a sighting, never stored again.
     */
    public boolean cached;

    /**
     * Set in l1 mode when another live job held the content's claim at lookup time: Dedup keeps it
     * pending and re-checks it until that job publishes it or its claim ends.
     */
    public boolean heldElsewhere;

    public HashedFile() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HashedFile)) {
            return false;
        }
        HashedFile that = (HashedFile) o;
        return size == that.size
                && cached == that.cached
                && heldElsewhere == that.heldElsewhere
                && modifiedMillis == that.modifiedMillis
                && Objects.equals(path, that.path)
                && Objects.equals(contentHash, that.contentHash)
                && Objects.equals(nodeId, that.nodeId)
                && Objects.equals(nodeType, that.nodeType)
                && Objects.equals(metadataJson, that.metadataJson)
                && Objects.equals(run, that.run);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, contentHash, size);
    }

    @Override
    public String toString() {
        return "HashedFile{" + contentHash + " " + path + "}";
    }
}
