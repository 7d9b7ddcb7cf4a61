package io.artdag.l1.postgres;

import org.apache.flink.annotation.Internal;

/**
 * PostgreSQL cannot be reached, closed the connection, is shutting down or out of resources
 * (SQLSTATE classes 08, 53, 57P0x): retry with backoff.
 */
@Internal
public class ProvenanceUnavailableException extends ProvenanceStoreException {
    public ProvenanceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
