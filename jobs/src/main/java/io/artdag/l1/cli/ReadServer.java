package io.artdag.l1.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.artdag.l1.read.ReadFailure;
import io.artdag.l1.read.VerifiedReads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server behind {@code l1 serve}: the JDK's built-in {@link HttpServer} (no dependency)
 * with a bounded pool of worker threads and a bounded queue (when both are full, the accepting
 * thread runs the request itself, so new connections wait instead of piling up), and TCP_NODELAY.
 * Routes {@code /content/{sha3}} ({@link ContentEndpoint}), {@code /ipfs/{cid}} ({@link
 * GatewayEndpoint}) and {@code /healthz}; {@code GET} and {@code HEAD} only. Every request is
 * logged at debug level; failures answer with one line of text (404 unknown, 502 corrupt data, 503
 * a service failed, 500 anything else), never a stack trace.
 */
final class ReadServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadServer.class);
    private static final int QUEUE = 256;
    private static final int STOP_GRACE_SECONDS = 2;
    private static final String NODELAY = "sun.net.httpserver.nodelay";

    private final HttpServer http;
    private final ThreadPoolExecutor pool;
    private final VerifiedReads reads;
    private final Path tmpDir;
    private final ContentEndpoint content;
    private final GatewayEndpoint gateway;
    private boolean closed;

    private ReadServer(HttpServer http, ThreadPoolExecutor pool, VerifiedReads reads, Path tmpDir) {
        this.http = http;
        this.pool = pool;
        this.reads = reads;
        this.tmpDir = tmpDir;
        this.content = new ContentEndpoint(reads);
        this.gateway = new GatewayEndpoint(reads);
    }

    /**
     * Binds {@code address} (port 0: any free port) and starts serving {@code reads}, which the
     * server owns from now on, as it owns {@code tmpDir} (deleted on close).
     */
    static ReadServer start(
            InetSocketAddress address, VerifiedReads reads, Path tmpDir, int threads)
            throws IOException {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(
                        threads,
                        threads,
                        60,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(QUEUE),
                        r -> {
                            Thread t = new Thread(r, "l1-serve-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        },
                        new ThreadPoolExecutor.CallerRunsPolicy());
        // The JDK server writes a response's headers and its body separately: with Nagle's
        // algorithm on (its default), a keep-alive client's delayed ACK holds every response back
        // ~40 ms. Read once, when the JVM's first HttpServer is created.
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        HttpServer http = HttpServer.create(address, 128);
        ReadServer server = new ReadServer(http, pool, reads, tmpDir);
        http.createContext("/", server::handle);
        http.setExecutor(pool);
        http.start();
        return server;
    }

    /** The address actually bound (its port is the one chosen when 0 was asked for). */
    InetSocketAddress address() {
        return http.getAddress();
    }

    int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange ex) {
        long t0 = System.nanoTime();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        try {
            route(ex, method, path);
        } catch (ReadFailure f) {
            fail(ex, status(f.kind()), f.getMessage(), f);
        } catch (IOException e) {
            fail(ex, 500, "internal error: " + Errors.oneLine(e), e);
        } catch (RuntimeException e) {
            fail(ex, 500, "internal error: " + Errors.oneLine(e), e);
        } finally {
            ex.close();
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "{} {} {} {} {} ms",
                        ex.getRemoteAddress(),
                        method,
                        ex.getRequestURI(),
                        ex.getResponseCode(),
                        (System.nanoTime() - t0) / 1_000_000);
            }
        }
    }

    private void route(HttpExchange ex, String method, String path) throws IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            HttpReply.text(ex, 405, method + " " + HttpReply.echo(path) + ": only GET and HEAD");
        } else if (path.startsWith("/content/")) {
            content.handle(ex, path.substring("/content/".length()));
        } else if (path.startsWith("/ipfs/")) {
            gateway.handle(ex, path.substring("/ipfs/".length()));
        } else if (path.equals("/healthz")) {
            HttpReply.text(ex, 200, "ok");
        } else {
            HttpReply.text(
                    ex,
                    404,
                    HttpReply.echo(path)
                            + ": no such endpoint (/content/{sha3}, /ipfs/{cid}, /healthz)");
        }
    }

    private static int status(ReadFailure.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case CORRUPT -> 502;
            case UNAVAILABLE -> 503;
            case UNSUPPORTED -> 501;
        };
    }

    /** Answers a failure with one line, unless the answer has begun (then the connection ends). */
    private static void fail(HttpExchange ex, int status, String line, Exception e) {
        if (status >= 500) {
            LOG.warn("{} {}: {} {}", ex.getRequestMethod(), ex.getRequestURI(), status, line);
            LOG.debug("{} {}", ex.getRequestURI(), line, e);
        }
        if (ex.getResponseCode() != -1) {
            // Headers are out (a client gone mid-body, say): nothing more can be said.
            LOG.debug(
                    "{} {}: after the headers: {}",
                    ex.getRequestMethod(),
                    ex.getRequestURI(),
                    e.toString());
            return;
        }
        try {
            HttpReply.text(ex, status, line);
        } catch (IOException io) {
            LOG.debug("{}: cannot answer: {}", ex.getRequestURI(), io.toString());
        }
    }

    /** Stops accepting, lets running requests finish (briefly), then releases everything. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.stop(STOP_GRACE_SECONDS);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        reads.close();
        try (Stream<Path> s = Files.walk(tmpDir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", tmpDir, e.toString());
        }
    }
}
