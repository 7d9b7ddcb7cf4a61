package io.artdag.l1.kubo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request building and response parsing against a scripted in-process HTTP server that answers the
 * way Kubo 0.41 does (shapes observed on a real daemon; see KuboClientITCase).
 */
class KuboClientProtocolTest {
    private HttpServer server;
    private final Map<String, Consumer<HttpExchange>> handlers = new ConcurrentHashMap<>();
    private volatile Captured last;

    record Captured(
            String method, String path, String query, Map<String, String> headers, byte[] body) {}

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                ex -> {
                    byte[] body = ex.getRequestBody().readAllBytes();
                    Map<String, String> hs = new ConcurrentHashMap<>();
                    ex.getRequestHeaders().forEach((k, v) -> hs.put(k.toLowerCase(), v.get(0)));
                    last =
                            new Captured(
                                    ex.getRequestMethod(),
                                    ex.getRequestURI().getPath(),
                                    ex.getRequestURI().getRawQuery(),
                                    hs,
                                    body);
                    Consumer<HttpExchange> h = handlers.get(ex.getRequestURI().getPath());
                    if (h == null) {
                        respond(ex, 404, "text/plain", "404 page not found");
                    } else {
                        h.accept(ex);
                    }
                });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private KuboClient client(String token) {
        return new KuboClient(
                KuboClientOptions.builder()
                        .apiUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/")
                        .requestTimeout(Duration.ofSeconds(5))
                        .bearerToken(token)
                        .build());
    }

    private static void respond(HttpExchange ex, int status, String type, String body) {
        respond(ex, status, type, body, Map.of());
    }

    private static void respond(
            HttpExchange ex, int status, String type, String body, Map<String, String> extra) {
        try {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", type);
            extra.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void versionIsAPostWithBearerToken() throws Exception {
        handlers.put(
                "/api/v0/version",
                ex ->
                        respond(
                                ex,
                                200,
                                "application/json",
                                "{\"Version\":\"0.41.0\",\"Commit\":\"\",\"Repo\":\"18\","
                                        + "\"System\":\"amd64/linux\",\"Golang\":\"go1.26.8\"}\n"));
        KuboVersion v = KuboTestOps.version(client("s3cret"));
        assertThat(v.version()).isEqualTo("0.41.0");
        assertThat(v.repo()).isEqualTo("18");
        assertThat(last.method()).isEqualTo("POST");
        assertThat(last.headers()).containsEntry("authorization", "Bearer s3cret");
    }

    @Test
    void noAuthorizationHeaderWithoutToken() throws Exception {
        handlers.put(
                "/api/v0/id",
                ex ->
                        respond(
                                ex,
                                200,
                                "application/json",
                                "{\"ID\":\"12D3KooW\",\"AgentVersion\":\"kubo/0.41.0/\","
                                        + "\"Addresses\":null,\"Protocols\":[]}\n"));
        KuboIdentity id = client(null).id();
        assertThat(id.id()).isEqualTo("12D3KooW");
        assertThat(id.addresses()).isEmpty();
        assertThat(last.headers()).doesNotContainKey("authorization");
    }

    @Test
    void dagImportStreamsMultipartAndParsesNdjson(@TempDir Path dir) throws Exception {
        byte[] car = new byte[300_000];
        for (int i = 0; i < car.length; i++) {
            car[i] = (byte) (i * 31 + 7);
        }
        Path file = dir.resolve("seg 1.car");
        Files.write(file, car);
        handlers.put(
                "/api/v0/dag/import",
                ex ->
                        respond(
                                ex,
                                200,
                                "application/json",
                                "{\"Root\":{\"Cid\":{\"/\":\"bafkroot\"},\"PinErrorMsg\":\"\"}}\n"
                                        + "{\"Stats\":{\"BlockCount\":3,\"BlockBytesCount\":299000}}\n"));
        DagImportResult r = KuboTestOps.dagImport(client(null), file);
        assertThat(r.rootCids()).containsExactly("bafkroot");
        assertThat(r.failedRoots()).isEmpty();
        assertThat(r.stats()).contains(new DagImportResult.Stats(3, 299000));

        assertThat(last.query()).contains("pin-roots=true").contains("stats=true");
        String ctype = last.headers().get("content-type");
        assertThat(ctype).startsWith("multipart/form-data; boundary=");
        String boundary = ctype.substring(ctype.indexOf('=') + 1);
        String prefix =
                "--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"seg+1.car\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n";
        String suffix = "\r\n--" + boundary + "--\r\n";
        byte[] body = last.body();
        assertThat(body.length).isEqualTo(prefix.length() + car.length + suffix.length());
        assertThat(new String(body, 0, prefix.length(), StandardCharsets.US_ASCII))
                .isEqualTo(prefix);
        byte[] middle =
                java.util.Arrays.copyOfRange(body, prefix.length(), prefix.length() + car.length);
        assertThat(middle).isEqualTo(car);
        assertThat(
                        new String(
                                body,
                                prefix.length() + car.length,
                                suffix.length(),
                                StandardCharsets.US_ASCII))
                .isEqualTo(suffix);
        assertThat(last.headers().get("content-length")).isEqualTo(Integer.toString(body.length));
    }

    @Test
    void dagImportPinErrorIsAFailure(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("x.car"), new byte[] {1, 2, 3});
        handlers.put(
                "/api/v0/dag/import",
                ex ->
                        respond(
                                ex,
                                200,
                                "application/json",
                                "{\"Root\":{\"Cid\":{\"/\":\"bafkok\"},\"PinErrorMsg\":\"\"}}\n"
                                        + "{\"Root\":{\"Cid\":{\"/\":\"bafkmissing\"},"
                                        + "\"PinErrorMsg\":\"ipld: could not find bafkmissing\"}}\n"));
        KuboClient c = client(null);
        DagImportResult lenient = c.dagImport(file, true);
        assertThat(lenient.failedRoots())
                .containsExactly(
                        new DagImportResult.Root(
                                "bafkmissing", "ipld: could not find bafkmissing"));
        assertThatThrownBy(() -> KuboTestOps.dagImport(c, file))
                .isInstanceOf(KuboException.class)
                .hasMessageContaining("dag/import")
                .hasMessageContaining("bafkmissing: ipld: could not find bafkmissing");
    }

    @Test
    void errorInsideAStreamThrows(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("x.car"), new byte[] {1});
        handlers.put(
                "/api/v0/dag/import",
                ex ->
                        respond(
                                ex,
                                200,
                                "application/json",
                                "{\"Message\":\"unexpected EOF\",\"Code\":0,\"Type\":\"error\"}\n"));
        assertThatThrownBy(() -> KuboTestOps.dagImport(client(null), file))
                .isInstanceOfSatisfying(
                        KuboException.class,
                        e -> {
                            assertThat(e.kuboMessage()).isEqualTo("unexpected EOF");
                            assertThat(e.isUnavailable()).isFalse();
                        });
    }

    @Test
    void missingCarFileFailsBeforeSending(@TempDir Path dir) {
        assertThatThrownBy(() -> KuboTestOps.dagImport(client(null), dir.resolve("nope.car")))
                .isInstanceOf(KuboException.class)
                .hasMessageContaining("nope.car");
        assertThat(last).isNull();
    }

    @Test
    void kuboErrorJsonMapsToKuboException() {
        handlers.put(
                "/api/v0/block/stat",
                ex ->
                        respond(
                                ex,
                                500,
                                "application/json",
                                "{\"Message\":\"invalid path \\\"nope\\\": path does not have enough"
                                        + " components\",\"Code\":0,\"Type\":\"error\"}\n"));
        assertThatThrownBy(() -> KuboTestOps.blockStat(client(null), "nope"))
                .isInstanceOfSatisfying(
                        KuboException.class,
                        e -> {
                            assertThat(e.endpoint()).isEqualTo("block/stat");
                            assertThat(e.httpStatus()).isEqualTo(500);
                            assertThat(e.kuboCode()).isZero();
                            assertThat(e.kuboMessage()).startsWith("invalid path \"nope\"");
                            assertThat(e.isUnavailable()).isFalse();
                            assertThat(e)
                                    .hasMessage(
                                            "Kubo block/stat failed (HTTP 500, code 0): invalid"
                                                    + " path \"nope\": path does not have enough"
                                                    + " components");
                        });
        assertThat(last.query()).isEqualTo("arg=nope");
    }

    @Test
    void plainTextErrorsAndGatewayErrors() {
        assertThatThrownBy(() -> KuboTestOps.version(client(null)))
                .isInstanceOfSatisfying(
                        KuboException.class,
                        e -> {
                            assertThat(e.httpStatus()).isEqualTo(404);
                            assertThat(e.kuboMessage()).isEqualTo("404 page not found");
                            assertThat(e.kuboCode()).isNull();
                        });
        handlers.put("/api/v0/id", ex -> respond(ex, 503, "text/plain", "upstream down"));
        assertThatThrownBy(() -> client(null).id())
                .isInstanceOf(KuboUnavailableException.class)
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("upstream down");
    }

    @Test
    void notPinnedIsFalseOtherPinLsErrorsThrow() throws Exception {
        handlers.put(
                "/api/v0/pin/ls",
                ex -> {
                    String q = ex.getRequestURI().getQuery();
                    if (q.contains("arg=bafkpinned")) {
                        respond(
                                ex,
                                200,
                                "application/json",
                                "{\"Keys\":{\"bafkpinned\":{\"Type\":\"recursive\",\"Name\":\"\"}}}\n");
                    } else if (q.contains("arg=bafkfree")) {
                        respond(
                                ex,
                                500,
                                "application/json",
                                "{\"Message\":\"path 'bafkfree' is not pinned\",\"Code\":0,"
                                        + "\"Type\":\"error\"}\n");
                    } else {
                        respond(
                                ex,
                                500,
                                "application/json",
                                "{\"Message\":\"invalid cid\",\"Code\":0,\"Type\":\"error\"}\n");
                    }
                });
        KuboClient c = client(null);
        assertThat(c.isPinned("bafkpinned")).isTrue();
        assertThat(last.query()).isEqualTo("arg=bafkpinned&type=recursive");
        assertThat(c.isPinned("bafkfree")).isFalse();
        assertThatThrownBy(() -> c.isPinned("garbage")).isInstanceOf(KuboException.class);
    }

    @Test
    void catChecksAnnouncedLength() throws Exception {
        handlers.put(
                "/api/v0/cat",
                ex ->
                        respond(
                                ex,
                                200,
                                "text/plain",
                                "hello",
                                Map.of(
                                        "X-Content-Length",
                                        ex.getRequestURI().getQuery().contains("short")
                                                ? "9"
                                                : "5")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(KuboTestOps.cat(client(null), "bafkok", out)).isEqualTo(5);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThatThrownBy(
                        () ->
                                KuboTestOps.cat(
                                        client(null), "bafkshort", new ByteArrayOutputStream()))
                .isInstanceOf(KuboException.class)
                .hasMessageContaining("5 of 9 bytes");
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> KuboClientOptions.builder().build())
                .hasMessageContaining("apiUrl is required")
                .hasMessageContaining("L1_KUBO_API");
        assertThatThrownBy(() -> KuboClientOptions.builder().apiUrl("ftp://x:1").build())
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> KuboClientOptions.builder().apiUrl("127.0.0.1:5001").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                KuboClientOptions.builder()
                                        .apiUrl("http://127.0.0.1:5001")
                                        .requestTimeout(Duration.ZERO)
                                        .build())
                .hasMessageContaining("requestTimeout must be positive");
        assertThatThrownBy(
                        () ->
                                KuboClientOptions.builder()
                                        .apiUrl("http://127.0.0.1:5001")
                                        .bearerToken("a b")
                                        .build())
                .hasMessageContaining("bearerToken");
        assertThat(
                        KuboClientOptions.builder()
                                .apiUrl("http://127.0.0.1:5001/api/v0/")
                                .build()
                                .apiUrl()
                                .toString())
                .isEqualTo("http://127.0.0.1:5001");
        assertThat(
                        KuboClientOptions.builder()
                                .apiUrl("https://kubo.example/prefix/")
                                .bearerToken("  tok ")
                                .build())
                .satisfies(
                        o -> {
                            assertThat(o.apiUrl().toString())
                                    .isEqualTo("https://kubo.example/prefix");
                            assertThat(o.bearerToken()).contains("tok");
                            assertThat(o.toString()).doesNotContain("tok");
                        });
    }
}
