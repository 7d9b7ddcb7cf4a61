package io.artdag.l1.sink.l1;

import io.artdag.l1.kubo.KuboUnavailableException;
import io.artdag.l1.postgres.ProvenanceUnavailableException;
import io.artdag.l1.redis.RedisUnavailableException;
import java.io.IOException;
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

    /** One attempt at a call to a service. */
    interface Attempt {
        void run() throws IOException, InterruptedException;
    }

    /**
     * Runs {@code attempt} until it succeeds, waiting out transient failures with backoff (200 ms
     * doubling to 10 s) for at most {@code outageLimit}; a permanent failure is thrown at once, and
     * an outage longer than the limit as an {@link IOException} saying {@code what} waited for
     * {@code service}. {@code retried} is told of every wait.
     */
    static void waitOut(
            String what,
            String service,
            java.time.Duration outageLimit,
            Runnable retried,
            Attempt attempt)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + outageLimit.toNanos();
        long backoff = 200;
        while (true) {
            try {
                attempt.run();
                return;
            } catch (IOException | RuntimeException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                if (System.nanoTime() + backoff * 1_000_000L > deadline) {
                    throw new IOException(
                            what
                                    + ": "
                                    + service
                                    + " unreachable for longer than "
                                    + outageLimit
                                    + ": "
                                    + e.getMessage(),
                            e);
                }
                LOG.warn("{} waits for {}: {}", what, service, e.getMessage());
                retried.run();
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(ServiceFailures.class);
}
