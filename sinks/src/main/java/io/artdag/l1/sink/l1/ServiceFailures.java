package io.artdag.l1.sink.l1;

import io.artdag.l1.kubo.KuboUnavailableException;
import io.artdag.l1.postgres.ProvenanceUnavailableException;
import io.artdag.l1.redis.RedisUnavailableException;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The one policy for the service clients' failures: a service that cannot be reached (connection
 * refused or lost, timeout, HTTP 5xx, PostgreSQL's connection and shutdown states) is transient and
 * waited out; anything else (a failed pin, a Redis mapping conflict, bad credentials) is permanent
 * and not retried for minutes.
 */
@PublicEvolving
public final class ServiceFailures {
    private ServiceFailures() {}

    /** Whether {@code e} (or what it wraps) says a service is unreachable for now. */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KuboUnavailableException
                    || t instanceof RedisUnavailableException
                    || t instanceof ProvenanceUnavailableException
                    || (t instanceof io.artdag.l1.cluster.PinBackendException pb && pb.retryable())
                    || (t instanceof Transient tr && tr.isTransient())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Implemented by failures of other clients that can say whether a retry may help. */
    public interface Transient {
        boolean isTransient();
    }
}
