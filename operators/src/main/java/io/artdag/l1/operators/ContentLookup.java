package io.artdag.l1.operators;

import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.annotation.Internal;

/**
 * Asks a store whether content is already stored, so that {@link Dedup} never stores content that
 * an earlier run (or another job) committed. Shipped to the task managers serialized; {@link
 * #open()} is called there before the first lookup.
 */
@Internal
public interface ContentLookup extends Serializable, AutoCloseable {

    /** Connects to the store. Called once per parallel instance before any lookup. */
    void open() throws IOException;

    /** Whether content with this SHA3-256 (lowercase hex) is committed in the store. */
    boolean isStored(String contentHash) throws IOException;

    @Override
    void close() throws IOException;

    /** A lookup that knows of no stored content: every first sighting is new. */
    static ContentLookup none() {
        return new NoContentLookup();
    }

    /** See {@link #none()}. */
    final class NoContentLookup implements ContentLookup {
        private static final long serialVersionUID = 1L;

        @Override
        public void open() {}

        @Override
        public boolean isStored(String contentHash) {
            return false;
        }

        @Override
        public void close() {}
    }
}
