package io.artdag.l1.cli;

import io.artdag.l1.read.VerifiedReads;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.store.LocalStore;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.annotation.Internal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code l1 serve}: a long-running HTTP read API over {@code l1 get}'s lookup flow, on the JDK's
 * built-in {@code com.sun.net.httpserver.HttpServer} with a bounded thread pool ({@link
 * ReadServer}); stopped gracefully by SIGTERM or Ctrl-C.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve stored content over HTTP until interrupted (SIGTERM, Ctrl-C):",
            "  GET /content/{sha3}   the bytes (ETag, single byte ranges), only once they verified"
                    + " against the SHA3-256 and every block against its CID;",
            "  GET /ipfs/{cid}       IPFS trustless gateway: ?format=raw or Accept:"
                    + " application/vnd.ipld.raw (one block), ?format=car or Accept:"
                    + " application/vnd.ipld.car (a CARv1 of its DAG, depth first, each block"
                    + " once);",
            "  GET /healthz          ok.",
            "HEAD answers the same headers without the body. Corrupt data answers 502 and is never"
                    + " served; unknown content 404. With --mode l1 the lookup goes on to Redis,"
                    + " PostgreSQL and IPFS (Kubo) as in `l1 get --mode l1`."
        })
@Internal
public final class ServeCommand implements Callable<Integer> {
    /** Bodies up to this size are verified into memory; larger ones into a temporary file. */
    static final int MEMORY_BODY_LIMIT = 1 << 20;

    @Mixin StoreOption store;
    @Mixin ServiceOptions services;

    @Mixin ReadModeOption mode;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String bind;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            required = true,
            description = "Port to listen on; 0 picks a free one (printed at start).")
    int port;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description =
                    "Worker threads, at most this many requests at once (default: ${DEFAULT-VALUE}).",
            defaultValue = "8")
    int threads;

    @Override
    public Integer call() throws Exception {
        ReadServer server = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    stopped.countDown();
                                },
                                "l1-serve-stop"));
        InetAddress bound = server.address().getAddress();
        String host = bound.getHostAddress();
        System.out.printf(
                "l1 serve: listening on http://%s:%d/ (store %s, mode %s)%n",
                bound instanceof Inet6Address ? "[" + host + "]" : host,
                server.port(),
                store.path().toAbsolutePath().normalize(),
                mode.mode);
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Checks the options, opens the store and starts the server (tests call this directly). */
    ReadServer start() throws IOException {
        L1Settings settings;
        if (mode.l1()) {
            settings = services.readerSettings();
        } else {
            settings = null;
            // Fail at start, naming the directory, rather than 404 on every request.
            LocalStore.openExisting(store.path()).close();
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + ": 0 to 65535");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads " + threads + ": at least 1");
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(bind), port);
        Path tmp = Files.createTempDirectory("l1-serve-");
        VerifiedReads reads = new VerifiedReads(store.path(), settings, tmp, MEMORY_BODY_LIMIT);
        try {
            return ReadServer.start(address, reads, tmp, threads);
        } catch (IOException | RuntimeException e) {
            reads.close();
            Files.deleteIfExists(tmp);
            throw new IOException(bind + ":" + port + ": cannot listen: " + Errors.oneLine(e), e);
        }
    }
}
