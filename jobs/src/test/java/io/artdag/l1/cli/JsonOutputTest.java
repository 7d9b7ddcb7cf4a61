package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json} of {@code l1 cid} and {@code l1 verify}, against known values. */
class JsonOutputTest {
    // Published CIDs of "" and "hello\n" (classic: `ipfs add`; raw leaf: ipfs-car 3.1.0's pack),
    // and the SHA3-256 of "" (FIPS 202).
    static final String EMPTY_V0 = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";
    static final String HELLO_V0 = "QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN";
    static final String EMPTY_V1 = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
    static final String HELLO_V1 = "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am";
    static final String EMPTY_SHA3 =
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void cidJsonIsAnArrayOfCidContentHashSizePath() throws Exception {
        Path empty = Files.write(tmp.resolve("empty"), new byte[0]);
        byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
        Path helloFile = Files.write(tmp.resolve("hello.txt"), hello);
        Path missing = tmp.resolve("missing");

        Cli.Result v1 = Cli.run("cid", "--json", empty.toString(), helloFile.toString());
        assertThat(v1.code()).as(v1.err()).isZero();
        JsonNode a = JSON.readTree(v1.out());
        assertThat(a.isArray()).isTrue();
        assertThat(a).hasSize(2);
        assertThat(fields(a.get(0))).containsExactly("cid", "content_hash", "size", "path");
        assertThat(a.get(0).get("cid").asText()).isEqualTo(EMPTY_V1);
        assertThat(a.get(0).get("content_hash").asText()).isEqualTo(EMPTY_SHA3);
        assertThat(a.get(0).get("size").isIntegralNumber()).isTrue();
        assertThat(a.get(0).get("size").asLong()).isZero();
        assertThat(a.get(0).get("path").asText()).isEqualTo(empty.toString());
        assertThat(a.get(1).get("cid").asText()).isEqualTo(HELLO_V1);
        assertThat(a.get(1).get("content_hash").asText()).isEqualTo(Cli.sha3(hello));
        assertThat(a.get(1).get("size").asLong()).isEqualTo(6);
        assertThat(a.get(1).get("path").asText()).isEqualTo(helloFile.toString());

        // A file that fails is reported on standard error (exit 1); the array stays valid.
        Cli.Result v0 =
                Cli.run(
                        "cid",
                        "--json",
                        "--profile",
                        "unixfs-v0-2015",
                        empty.toString(),
                        missing.toString(),
                        helloFile.toString());
        assertThat(v0.code()).isEqualTo(1);
        assertThat(v0.err().strip()).startsWith("l1 cid: " + missing).doesNotContain("\n");
        JsonNode b = JSON.readTree(v0.out());
        assertThat(b).hasSize(2);
        assertThat(b.get(0).get("cid").asText()).isEqualTo(EMPTY_V0);
        assertThat(b.get(1).get("cid").asText()).isEqualTo(HELLO_V0);
        assertThat(b.get(1).get("path").asText()).isEqualTo(helloFile.toString());
    }

    @Test
    void verifyJsonReportsConsistencyProblemsAndCounts() throws Exception {
        Path cache = Cli.exampleCache(tmp.resolve("cache"));
        Path store = tmp.resolve("store");
        Cli.ingest(store, List.of(), cache);

        // The sample cache stores 4 contents (README), each smaller than a 1 MiB chunk: one block
        // each; their sizes are index.json's size_bytes.
        Cli.Result ok = Cli.run("verify", "--json", "--store", store.toString());
        assertThat(ok.code()).as(ok.outText() + ok.err()).isZero();
        JsonNode r = JSON.readTree(ok.out());
        assertThat(r.get("consistent").asBoolean()).isTrue();
        assertThat(r.get("consistent").isBoolean()).isTrue();
        assertThat(r.get("problems").isArray()).isTrue();
        assertThat(r.get("problems")).isEmpty();
        assertThat(r.get("notes").isArray()).isTrue();
        assertThat(r.get("contents").asLong()).isEqualTo(4);
        assertThat(r.get("blocks").asLong()).isEqualTo(4);
        assertThat(r.get("bytes_verified").asLong()).isEqualTo(102400 + 269 + 800 + 0);
        try (Stream<Path> s = Files.list(store.resolve("segments"))) {
            assertThat(r.get("segments").asLong()).isEqualTo(s.count());
        }
        assertThat(r.get("store").asText()).isEqualTo(store.toAbsolutePath().toString());
        assertThat(r.has("repair")).isFalse();

        // One flipped byte in a stored block.
        Path json = cache.resolve("b2e4d1ef03/output.json");
        assertThat(flip(store, Files.readAllBytes(json))).isEqualTo(1);
        Cli.Result bad = Cli.run("verify", "--json", "--store", store.toString());
        assertThat(bad.code()).isEqualTo(1);
        JsonNode b = JSON.readTree(bad.out());
        assertThat(b.get("consistent").asBoolean()).isFalse();
        assertThat(b.get("problems")).isNotEmpty();
        assertThat(b.get("problems").get(0).asText()).isNotBlank();

        // An index that is not a database: inconsistent, and still one JSON object.
        Files.write(store.resolve("index.db"), new byte[8192]);
        Files.deleteIfExists(store.resolve("index.db-wal"));
        Files.deleteIfExists(store.resolve("index.db-shm"));
        Cli.Result unreadable = Cli.run("verify", "--json", "--store", store.toString());
        assertThat(unreadable.code()).isEqualTo(1);
        JsonNode u = JSON.readTree(unreadable.out());
        assertThat(u.get("consistent").asBoolean()).isFalse();
        assertThat(u.get("problems")).hasSize(1);
        assertThat(u.get("problems").get(0).asText()).contains("index.db");

        // --repair --json: the repair's facts, then the report of the repaired store (the
        // corrupt segment is moved aside and what it held dropped).
        Cli.Result repaired = Cli.run("verify", "--repair", "--json", "--store", store.toString());
        assertThat(repaired.code()).as(repaired.outText() + repaired.err()).isZero();
        JsonNode p = JSON.readTree(repaired.out());
        assertThat(p.get("consistent").asBoolean()).isTrue();
        assertThat(p.get("repair").get("index_rebuilt").asBoolean()).isTrue();
        assertThat(p.get("repair").get("changed").asBoolean()).isTrue();
        assertThat(p.get("repair").get("segment_problems")).hasSize(1);
        assertThat(p.get("repair").get("segment_problems").get(0).asText())
                .contains("does not hash to its CID");
        long recovered = p.get("repair").get("recovered_contents").asLong();
        assertThat(p.get("contents").asLong()).isEqualTo(recovered).isLessThan(4);
        String jsonHash = Cli.sha3(json);
        Cli.Result ls = Cli.run("ls", "--store", store.toString());
        assertThat(ls.code()).as(ls.err()).isZero();
        List<String> listed = ls.lines();
        assertThat(listed).hasSize((int) recovered).noneMatch(l -> l.startsWith(jsonHash));
    }

    /** Flips a byte inside every occurrence of {@code probe} in the store's segments. */
    private static int flip(Path store, byte[] probe) throws Exception {
        int n = 0;
        try (Stream<Path> s = Files.list(store.resolve("segments"))) {
            for (Path seg : s.toList()) {
                byte[] b = Files.readAllBytes(seg);
                for (int i = 0; i + probe.length <= b.length; i++) {
                    if (Arrays.equals(b, i, i + probe.length, probe, 0, probe.length)) {
                        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
                            f.seek(i + 7);
                            f.write(b[i + 7] ^ 0x01);
                        }
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static List<String> fields(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
