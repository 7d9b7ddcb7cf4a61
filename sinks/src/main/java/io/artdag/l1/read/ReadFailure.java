package io.artdag.l1.read;

import java.io.IOException;
import org.apache.flink.annotation.Internal;

/**
 * A read the read API cannot answer with bytes: its {@link Kind} decides the answer (HTTP status),
 * its message is the one line a client sees, naming the input and the reason.
 */
@Internal
public final class ReadFailure extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why nothing is served. */
    public enum Kind {
        /** No step of the lookup knows the content or block. */
        NOT_FOUND,
        /** Bytes were found but do not verify (or a DAG is incomplete): never served. */
        CORRUPT,
        /** A service (Kubo, Redis, PostgreSQL) failed or could not be reached. */
        UNAVAILABLE,
        /** The request asks for something this reader cannot verify or walk. */
        UNSUPPORTED
    }

    private final Kind kind;

    public ReadFailure(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ReadFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The first line of {@code t}'s message (its class name when it has none). */
    static String oneLine(Throwable t) {
        String m = t.getMessage();
        if ((m == null || m.isBlank()) && t.getCause() != null && t.getCause() != t) {
            return oneLine(t.getCause());
        }
        m = m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
