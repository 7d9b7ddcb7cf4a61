package io.artdag.l1.cli;

import static io.artdag.l1.cli.ServeTesting.assertError;
import static io.artdag.l1.cli.ServeTesting.get;
import static io.artdag.l1.cli.ServeTesting.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.Multihash;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code l1 serve} when things go wrong: a stored leaf with one byte flipped is never served (502,
 * one line, no content bytes) while the rest still is; and the real process, stopped by SIGTERM,
 * stops serving and leaves no temporary files.
 */
class ServeFaultsTest {
    @TempDir Path tmp;

    @Test
    void corruptDataAnswers502AndNoBytes() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        byte[] big = new byte[(3 << 20) + 77]; // leaves at 0, 1, 2, 3 MiB
        new Random(41).nextBytes(big);
        Files.write(in.resolve("big.bin"), big);
        byte[] other = "still fine\n".getBytes(StandardCharsets.UTF_8);
        Files.write(in.resolve("other.txt"), other);
        Path store = tmp.resolve("store");
        Cli.ingest(store, List.of(), in);
        String hash = Cli.sha3(big);
        // The leaves' CIDs from the file's own bytes (raw leaves: sha2-256 of each 1 MiB chunk).
        List<Cid> leaves = new ArrayList<>();
        for (int off = 0; off < big.length; off += 1 << 20) {
            byte[] chunk = Arrays.copyOfRange(big, off, Math.min(big.length, off + (1 << 20)));
            leaves.add(
                    Cid.v1(Cid.RAW, Multihash.of(Multihash.SHA2_256, ServeTesting.sha256(chunk))));
        }
        Cid root = ServeCommandTest.rootOf(store, in.resolve("big.bin"));

        // Flip one byte inside leaf 2, found in the segments by its bytes.
        byte[] probe = Arrays.copyOfRange(big, (2 << 20) + 1000, (2 << 20) + 1064);
        int flipped = 0;
        try (Stream<Path> s = Files.list(store.resolve("segments"))) {
            for (Path seg : s.toList()) {
                byte[] b = Files.readAllBytes(seg);
                for (int i = 0; i + probe.length <= b.length; i++) {
                    if (Arrays.equals(b, i, i + probe.length, probe, 0, probe.length)) {
                        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
                            f.seek(i + 10);
                            f.write(b[i + 10] ^ 0x40);
                        }
                        flipped++;
                    }
                }
            }
        }
        assertThat(flipped).isEqualTo(1);

        try (ReadServer server =
                ServeTesting.start("serve", "--store", store.toString(), "--port", "0")) {
            byte[] head = Arrays.copyOfRange(big, 0, 64);
            for (String[] hdrs : List.of(new String[0], new String[] {"Range", "bytes=0-9"})) {
                HttpResponse<byte[]> r = get(server, "/content/" + hash, hdrs);
                assertError(r, 502, hash);
                assertThat(r.body().length).isLessThan(1000);
                assertThat(indexOf(r.body(), head)).isNegative();
                assertThat(indexOf(r.body(), Arrays.copyOfRange(big, 0, 10))).isNegative();
            }
            HttpResponse<byte[]> h = head(server, "/content/" + hash);
            assertThat(h.statusCode()).isEqualTo(502);
            assertThat(h.body()).isEmpty();

            assertError(
                    get(server, "/ipfs/" + leaves.get(2) + "?format=raw"),
                    502,
                    leaves.get(2).toString());
            assertError(
                    get(server, "/ipfs/" + root + "?format=car"), 502, leaves.get(2).toString());
            // What is intact is still served: another leaf, the root block, another content.
            HttpResponse<byte[]> leaf1 = get(server, "/ipfs/" + leaves.get(1) + "?format=raw");
            assertThat(leaf1.statusCode()).isEqualTo(200);
            assertThat(leaf1.body()).isEqualTo(Arrays.copyOfRange(big, 1 << 20, 2 << 20));
            assertThat(get(server, "/ipfs/" + root + "?format=raw").statusCode()).isEqualTo(200);
            HttpResponse<byte[]> ok = get(server, "/content/" + Cli.sha3(other));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo(other);
        }
    }

    private static HttpResponse<byte[]> fetch(String url) throws Exception {
        return ServeTesting.HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void sigtermStopsTheServerAndRemovesItsTemporaryFiles() throws Exception {
        ServeFixture fx = ServeFixture.get();
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p =
                new ProcessBuilder(
                                javaBin.toString(),
                                "-Djava.io.tmpdir=" + javaTmp,
                                "-cp",
                                System.getProperty("java.class.path"),
                                L1Command.class.getName(),
                                "serve",
                                "--store",
                                fx.store.toString(),
                                "--port",
                                "0")
                        .redirectError(tmp.resolve("serve.err").toFile())
                        .start();
        try {
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as(Files.readString(tmp.resolve("serve.err"))).isNotNull();
            Matcher m =
                    Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/").matcher(line);
            assertThat(m.find()).as(line).isTrue();
            int port = Integer.parseInt(m.group(1));
            String base = "http://127.0.0.1:" + port;
            HttpResponse<byte[]> health = fetch(base + "/healthz");
            assertThat(new String(health.body(), StandardCharsets.UTF_8)).isEqualTo("ok\n");
            HttpResponse<byte[]> big = fetch(base + "/content/" + Cli.sha3(fx.big));
            assertThat(big.body()).isEqualTo(fx.big);

            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook
            try (Stream<Path> s = Files.list(javaTmp)) {
                assertThat(s.map(Path::getFileName).map(Path::toString))
                        .noneMatch(n -> n.startsWith("l1-serve-"));
            }
            assertThatThrownBy(() -> fetch(base + "/healthz")).isInstanceOf(ConnectException.class);
        } finally {
            p.destroyForcibly();
        }
    }
}
