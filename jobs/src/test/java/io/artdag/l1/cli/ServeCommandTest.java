package io.artdag.l1.cli;

import static io.artdag.l1.cli.ServeTesting.assertError;
import static io.artdag.l1.cli.ServeTesting.get;
import static io.artdag.l1.cli.ServeTesting.head;
import static io.artdag.l1.cli.ServeTesting.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.store.LocalStore;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code l1 serve} in local mode, in this JVM on an ephemeral port: {@code /content/{sha3}} (whole,
 * ranges, HEAD, errors) against the files' own bytes, and {@code /healthz}. The trustless gateway
 * is tested in {@link ServeGatewayTest}, corruption and the process in {@link ServeFaultsTest}.
 */
class ServeCommandTest {
    @TempDir Path tmp;
    static ServeFixture fx;
    static ReadServer server;
    static Path in;
    static Path store;
    static byte[] big;

    @BeforeAll
    static void serve() throws Exception {
        fx = ServeFixture.get();
        server = fx.server;
        in = fx.in;
        store = fx.store;
        big = fx.big;
    }

    private static String path(String file) throws Exception {
        return "/content/" + Cli.sha3(in.resolve(file));
    }

    @Test
    void servesEachContentWholeWithItsHeaders() throws Exception {
        assertThat(server.port()).isPositive();
        for (String f : List.of("big.bin", "small.txt", "empty")) {
            byte[] bytes = Files.readAllBytes(in.resolve(f));
            String hash = Cli.sha3(bytes);
            HttpResponse<byte[]> r = get(server, "/content/" + hash);
            assertThat(r.statusCode()).as(f).isEqualTo(200);
            assertThat(r.body()).as(f).isEqualTo(bytes);
            assertThat(header(r, "Content-Length")).isEqualTo(Long.toString(bytes.length));
            assertThat(header(r, "ETag")).isEqualTo("\"" + hash + "\"");
            assertThat(header(r, "Accept-Ranges")).isEqualTo("bytes");
            assertThat(header(r, "Content-Type")).isEqualTo("application/octet-stream");

            HttpResponse<byte[]> h = head(server, "/content/" + hash);
            assertThat(h.statusCode()).isEqualTo(200);
            assertThat(h.body()).isEmpty();
            assertThat(header(h, "Content-Length")).isEqualTo(Long.toString(bytes.length));
            assertThat(header(h, "ETag")).isEqualTo("\"" + hash + "\"");
        }
    }

    @Test
    void servesSingleByteRanges() throws Exception {
        String p = path("big.bin");
        int n = big.length;
        Map<String, int[]> ranges = new HashMap<>(); // Range -> [first, last]
        ranges.put("bytes=0-9", new int[] {0, 9});
        ranges.put("bytes=1048570-1048589", new int[] {1048570, 1048589}); // across two leaves
        ranges.put("bytes=-5", new int[] {n - 5, n - 1});
        ranges.put("bytes=100-", new int[] {100, n - 1});
        ranges.put("bytes=" + (n - 3) + "-" + (n + 100), new int[] {n - 3, n - 1});
        ranges.put("bytes=-" + (n + 7), new int[] {0, n - 1});
        for (Map.Entry<String, int[]> e : ranges.entrySet()) {
            int first = e.getValue()[0];
            int last = e.getValue()[1];
            HttpResponse<byte[]> r = get(server, p, "Range", e.getKey());
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(206);
            assertThat(header(r, "Content-Range"))
                    .as(e.getKey())
                    .isEqualTo("bytes " + first + "-" + last + "/" + n);
            assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(last - first + 1));
            assertThat(r.body()).as(e.getKey()).isEqualTo(Arrays.copyOfRange(big, first, last + 1));
        }
        HttpResponse<byte[]> h = head(server, p, "Range", "bytes=0-9");
        assertThat(h.statusCode()).isEqualTo(206);
        assertThat(header(h, "Content-Length")).isEqualTo("10");
        assertThat(h.body()).isEmpty();

        // Unsatisfiable: 416 with the size.
        for (String range :
                List.of("bytes=" + n + "-", "bytes=" + (n + 10) + "-" + (n + 20), "bytes=-0")) {
            HttpResponse<byte[]> r = get(server, p, "Range", range);
            assertError(r, 416, Cli.sha3(big));
            assertThat(header(r, "Content-Range")).isEqualTo("bytes */" + n);
        }
        HttpResponse<byte[]> empty = get(server, path("empty"), "Range", "bytes=0-");
        assertThat(empty.statusCode()).isEqualTo(416);
        assertThat(header(empty, "Content-Range")).isEqualTo("bytes */0");

        // Ignored (RFC 9110): invalid, several ranges, another unit, an If-Range naming another
        // version: the whole body.
        for (String[] hdrs :
                List.of(
                        new String[] {"Range", "bytes=9-2"},
                        new String[] {"Range", "bytes=0-1,5-6"},
                        new String[] {"Range", "items=0-1"},
                        new String[] {"Range", "bytes=0-9", "If-Range", "\"other\""})) {
            HttpResponse<byte[]> r = get(server, p, hdrs);
            assertThat(r.statusCode()).as(String.join(" ", hdrs)).isEqualTo(200);
            assertThat(r.body()).isEqualTo(big);
        }
        HttpResponse<byte[]> same =
                get(server, p, "Range", "bytes=0-9", "If-Range", "\"" + Cli.sha3(big) + "\"");
        assertThat(same.statusCode()).isEqualTo(206);
    }

    @Test
    void answersErrorsInOneLine() throws Exception {
        String unknown = "ab".repeat(32);
        assertError(get(server, "/content/" + unknown), 404, unknown);
        HttpResponse<byte[]> h = head(server, "/content/" + unknown);
        assertThat(h.statusCode()).isEqualTo(404);
        assertThat(h.body()).isEmpty();
        assertThat(Long.parseLong(header(h, "Content-Length"))).isPositive();
        for (String bad :
                List.of(
                        "xyz",
                        Cli.sha3(big).toUpperCase(),
                        "ab".repeat(31) + "a",
                        "ab".repeat(32) + "a",
                        "g".repeat(64))) {
            assertError(get(server, "/content/" + bad), 400, bad);
        }
        assertError(get(server, "/content/"), 400, "64 lowercase hex digits");
        assertError(get(server, "/nothing-here"), 404, "/nothing-here");
        HttpResponse<byte[]> post = ServeTesting.send(server, "POST", path("small.txt"));
        assertError(post, 405, "only GET and HEAD");
        assertThat(header(post, "Allow")).isEqualTo("GET, HEAD");

        HttpResponse<byte[]> health = get(server, "/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(ServeTesting.text(health)).isEqualTo("ok\n");
    }

    @Test
    void keepAliveAnswersAreNotHeldBack() throws Exception {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed ACK: every answer on a kept-alive connection waited ~40 ms.
        String p = path("small.txt");
        long[] ms = new long[31];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            assertThat(get(server, p).statusCode()).isEqualTo(200);
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        Arrays.sort(ms);
        assertThat(ms[ms.length / 2]).as("median ms of %s", Arrays.toString(ms)).isLessThan(25);
    }

    @Test
    void servesConcurrentRequests() throws Exception {
        String p = path("big.bin");
        List<Thread> threads = new java.util.ArrayList<>();
        List<Throwable> failures =
                java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int i = 0; i < 12; i++) {
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    HttpResponse<byte[]> r = get(server, p);
                                    assertThat(r.statusCode()).isEqualTo(200);
                                    assertThat(r.body()).isEqualTo(big);
                                } catch (Throwable e) {
                                    failures.add(e);
                                }
                            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void refusesAStoreThatIsNotThereAndAMissingPort() {
        Cli.Result r = Cli.run("serve", "--store", tmp.resolve("none").toString(), "--port", "0");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip())
                .startsWith("l1 serve: ")
                .contains(tmp.resolve("none").toString())
                .doesNotContain("\n");
        assertThat(Cli.run("serve", "--store", store.toString()).code()).isEqualTo(2);
        assertThat(
                        Cli.run("serve", "--store", store.toString(), "--port", "0", "--mode", "x")
                                .code())
                .isEqualTo(1);
    }

    /** The root CID the store's index names for a file. */
    static Cid rootOf(Path store, Path file) throws Exception {
        try (LocalStore s = LocalStore.openExisting(store)) {
            return Cid.parse(s.index().content(Cli.sha3(file)).orElseThrow().rootCid());
        }
    }
}
