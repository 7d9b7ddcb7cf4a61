package io.artdag.l1.postgres;

import org.apache.flink.annotation.Internal;

/** A PostgreSQL call failed; see {@link ProvenanceUnavailableException} for outages. */
@Internal
public class ProvenanceStoreException extends RuntimeException {
    public ProvenanceStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
