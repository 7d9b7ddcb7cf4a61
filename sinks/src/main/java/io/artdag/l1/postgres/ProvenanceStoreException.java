package io.artdag.l1.postgres;

/** A PostgreSQL call failed; see {@link ProvenanceUnavailableException} for outages. */
public class ProvenanceStoreException extends RuntimeException {
    public ProvenanceStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
