package io.artdag.l1.cli;

import static io.artdag.l1.cli.ServeTesting.assertError;
import static io.artdag.l1.cli.ServeTesting.get;
import static io.artdag.l1.cli.ServeTesting.head;
import static io.artdag.l1.cli.ServeTesting.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.ipld.Cid;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code l1 serve}'s trustless gateway ({@code /ipfs/{cid}}) in local mode: raw blocks against the
 * segments' bytes and the JDK's SHA-256, CARs against ipfs-car and {@code l1 export}, content
 * negotiation, and a real client, {@code @helia/verified-fetch}, reading files through it.
 */
class ServeGatewayTest {
    static final String RAW = "application/vnd.ipld.raw";
    static final String CAR = "application/vnd.ipld.car";

    @TempDir Path tmp;
    static ServeFixture fx;
    static ReadServer server;

    @BeforeAll
    static void serve() throws Exception {
        fx = ServeFixture.get();
        server = fx.server;
    }

    private static Cid root(String file) throws Exception {
        return ServeCommandTest.rootOf(fx.store, fx.file(file));
    }

    @Test
    void rawBlocksAreTheSegmentsBytesAndHashToTheirCids() throws Exception {
        Map<Cid, byte[]> blocks = ServeTesting.segmentBlocks(fx.store);
        Cid bigRoot = root("big.bin");
        assertThat(blocks).containsKey(bigRoot);
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(7); // big: 5, zeros: 2, small: 1, empty: 1
        for (Map.Entry<Cid, byte[]> b : blocks.entrySet()) {
            Cid cid = b.getKey();
            HttpResponse<byte[]> r = get(fx.server, "/ipfs/" + cid + "?format=raw");
            assertThat(r.statusCode()).as(cid.toString()).isEqualTo(200);
            assertThat(r.body()).as(cid.toString()).isEqualTo(b.getValue());
            assertThat(ServeTesting.sha256(r.body()))
                    .as("sha2-256 of %s", cid)
                    .isEqualTo(cid.multihash().digest());
            assertThat(header(r, "Content-Type")).isEqualTo(RAW);
            assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(r.body().length));
            assertThat(header(r, "ETag")).isEqualTo("\"" + cid + ".raw\"");
            assertThat(header(r, "Content-Disposition"))
                    .isEqualTo("attachment; filename=\"" + cid + ".bin\"");
            assertThat(header(r, "X-Content-Type-Options")).isEqualTo("nosniff");
        }
        // By Accept instead of ?format: the same bytes, and where the format-specific URL is.
        HttpResponse<byte[]> byAccept = get(server, "/ipfs/" + bigRoot, "Accept", RAW);
        assertThat(byAccept.statusCode()).isEqualTo(200);
        assertThat(byAccept.body()).isEqualTo(blocks.get(bigRoot));
        assertThat(header(byAccept, "Content-Location"))
                .isEqualTo("/ipfs/" + bigRoot + "?format=raw");
        HttpResponse<byte[]> h = head(server, "/ipfs/" + bigRoot + "?format=raw");
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.body()).isEmpty();
        assertThat(header(h, "Content-Length"))
                .isEqualTo(Integer.toString(blocks.get(bigRoot).length));
        // The trustless gateway's probe: the empty identity CID.
        HttpResponse<byte[]> probe = get(server, "/ipfs/bafkqaaa?format=raw");
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(probe.body()).isEmpty();
    }

    @Test
    void carsUnpackWithIpfsCarAndEqualL1Export() throws Exception {
        Path ipfsCar = Cli.ipfsCar();
        for (String f : List.of("big.bin", "zeros.bin", "small.txt", "empty")) {
            Path file = fx.file(f);
            Cid root = root(f);
            HttpResponse<byte[]> r = get(server, "/ipfs/" + root + "?format=car");
            assertThat(r.statusCode()).as(f).isEqualTo(200);
            assertThat(header(r, "Content-Type")).isEqualTo(CAR + "; version=1; order=dfs; dups=n");
            assertThat(header(r, "Content-Disposition"))
                    .isEqualTo("attachment; filename=\"" + root + ".car\"");
            Path car = tmp.resolve(f + ".car");
            Files.write(car, r.body());
            assertThat(Cli.toolLines(ipfsCar, "roots", car.toString()))
                    .containsExactly(root.toString());
            Path unpacked = tmp.resolve("unpacked-" + f);
            Cli.tool(ipfsCar, "unpack", car.toString(), "--output", unpacked.toString());
            assertThat(Files.mismatch(unpacked, file)).as("unpacked " + f).isEqualTo(-1L);
            // Depth first, each block once: the bytes l1 export writes.
            Cli.Result export =
                    Cli.run("export", "--store", fx.store.toString(), Cli.sha3(file), "-o", "-");
            assertThat(export.code()).as(export.err()).isZero();
            assertThat(r.body()).as(f).isEqualTo(export.out());
            HttpResponse<byte[]> byAccept = get(server, "/ipfs/" + root, "Accept", CAR);
            assertThat(byAccept.body()).isEqualTo(r.body());
        }
        // zeros.bin links one leaf three times: dups=n sends it once, dups=y each time.
        Cid zeros = root("zeros.bin");
        assertThat(blocks(get(server, "/ipfs/" + zeros + "?format=car"))).hasSize(2);
        HttpResponse<byte[]> dups =
                get(server, "/ipfs/" + zeros, "Accept", CAR + "; version=1; order=dfs; dups=y");
        assertThat(header(dups, "Content-Type")).endsWith("dups=y");
        List<Cid> order = blocks(dups);
        assertThat(order).hasSize(4);
        assertThat(order.subList(1, 4)).containsOnly(order.get(1));
        // dag-scope: block is the root alone; entity of a file is all of it.
        Cid big = root("big.bin");
        assertThat(blocks(get(server, "/ipfs/" + big + "?format=car&dag-scope=block")))
                .containsExactly(big);
        assertThat(blocks(get(server, "/ipfs/" + big + "?format=car&dag-scope=entity"))).hasSize(5);
        HttpResponse<byte[]> probe = get(server, "/ipfs/bafkqaaa?format=car");
        ExportCommandTest.Car probeCar = ExportCommandTest.Car.read(probe.body());
        assertThat(probeCar.roots()).extracting(Cid::toString).containsExactly("bafkqaaa");
        assertThat(probeCar.order()).isEmpty();
        HttpResponse<byte[]> h = head(server, "/ipfs/" + big + "?format=car");
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.body()).isEmpty();
        assertThat(Long.parseLong(header(h, "Content-Length"))).isGreaterThan(fx.big.length);
    }

    private static List<Cid> blocks(HttpResponse<byte[]> r) throws Exception {
        assertThat(r.statusCode()).as(ServeTesting.text(r)).isEqualTo(200);
        return ExportCommandTest.Car.read(r.body()).order();
    }

    @Test
    void negotiatesTheFormatAndRefusesWhatItDoesNotServe() throws Exception {
        Cid big = root("big.bin");
        String p = "/ipfs/" + big;
        assertError(get(server, p), 400, "no Accept header");
        assertError(get(server, p, "Accept", "*/*"), 406, RAW);
        assertError(get(server, p, "Accept", "text/html"), 406, "text/html");
        assertError(get(server, p + "?format=dag-json"), 406, "format=dag-json");
        assertError(get(server, p, "Accept", CAR + "; version=2"), 406, "version 2");
        assertError(get(server, p, "Accept", CAR + "; order=foo"), 406, "order foo");
        HttpResponse<byte[]> q = get(server, p, "Accept", "text/html, " + RAW + ";q=0.5");
        assertThat(header(q, "Content-Type")).isEqualTo(RAW);
        HttpResponse<byte[]> pref = get(server, p, "Accept", RAW + ";q=0.4, " + CAR + ";q=0.9");
        assertThat(header(pref, "Content-Type")).startsWith(CAR);
        HttpResponse<byte[]> formatWins = get(server, p + "?format=raw", "Accept", CAR);
        assertThat(header(formatWins, "Content-Type")).isEqualTo(RAW);

        String unknown = "bafkreihi342xgecagn7t5sq6lix2zoukqrh6qzykplmpacdobdz2qy25ni";
        assertError(get(server, "/ipfs/" + unknown + "?format=raw"), 404, unknown);
        assertError(get(server, "/ipfs/" + unknown + "?format=car"), 404, unknown);
        assertError(
                get(server, "/ipfs/" + unknown + "?format=raw", "Cache-Control", "only-if-cached"),
                412,
                unknown);
        assertError(get(server, "/ipfs/notacid?format=raw"), 400, "notacid");
        assertError(get(server, p + "/some/path?format=car"), 400, "paths under a CID");
        assertError(get(server, p + "?format=car&entity-bytes=0:99"), 400, "entity-bytes");
        assertError(get(server, p + "?format=car&dag-scope=most"), 400, "dag-scope");
    }

    @Test
    void verifiedFetchReadsFilesThroughTheGateway() throws Exception {
        Path dir = ServeTesting.verifiedFetchDir();
        Path script = Path.of(getClass().getResource("/verified-fetch/fetch.mjs").toURI());
        String gateway = "http://127.0.0.1:" + server.port();
        ObjectMapper json = new ObjectMapper();
        for (String f : List.of("big.bin", "small.txt", "zeros.bin")) {
            byte[] bytes = Files.readAllBytes(fx.file(f));
            String out =
                    Cli.tool(
                            ServeTesting.verifiedFetchNode(dir),
                            script.toString(),
                            dir.toString(),
                            gateway,
                            root(f).toString());
            List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
            assertThat(lines).as(out).hasSize(1);
            JsonNode got = json.readTree(lines.get(0));
            assertThat(got.get("status").asInt()).as(f).isEqualTo(200);
            assertThat(got.get("size").asLong()).as(f).isEqualTo(bytes.length);
            assertThat(got.get("sha256").asText()).as(f).isEqualTo(ServeTesting.sha256Hex(bytes));
        }
    }
}
