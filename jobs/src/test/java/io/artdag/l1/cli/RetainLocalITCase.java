package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * l1 mode with {@code l1.segment.retain-local: false} against the real Kubo, Redis and PostgreSQL:
 * once published, a segment's file leaves the store; the index still answers (statistics,
 * duplicates, verify, repair) and reads go on to IPFS, verified.
 */
class RetainLocalITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void publishedSegmentsLeaveTheStoreAndReadsGoToIpfs() throws Exception {
        String ns = "l1retain_" + Long.toHexString(System.nanoTime());
        Path conf = Cli.l1Config(tmp, ns, "l1.segment.retain-local: false");
        Path in = Files.createDirectories(tmp.resolve("in"));
        byte[] big = new byte[(3 << 20) + 77]; // several raw leaves and a root
        new Random(7).nextBytes(big);
        Files.write(in.resolve("big.bin"), big);
        byte[] small = ("kept in IPFS only " + ns).getBytes(StandardCharsets.UTF_8);
        Files.write(in.resolve("small.txt"), small);
        Files.write(in.resolve("again.txt"), small);
        List<String> config = List.of("--config", conf.toString());
        Path store = tmp.resolve("store");

        Cli.ingest(store, config, in);
        try (Stream<Path> s = Files.list(store.resolve("segments"))) {
            assertThat(s.toList()).as("segment files left in the store").isEmpty();
        }
        JsonNode stats = json(Cli.run("stats", "--json", "--store", store.toString()));
        assertThat(stats.get("unique_contents").asLong()).isEqualTo(2);
        assertThat(stats.get("duplicates").asLong()).isEqualTo(1);

        // Local reads say where the bytes are; l1-mode reads fetch and verify them from IPFS.
        String hash = Cli.sha3(big);
        Cli.Result local = Cli.run("get", "--store", store.toString(), hash, "-o", "-");
        assertThat(local.code()).isNotZero();
        assertThat(local.err()).contains("not kept").contains("--mode l1");
        Path out = tmp.resolve("big.out");
        Cli.Result got = Cli.get(conf, store, hash, out);
        assertThat(got.code()).as(got.err()).isZero();
        assertThat(out).hasBinaryContent(big);

        // The index still knows every content: verify and repair keep them, nothing stored twice.
        Cli.Result verify = Cli.run("verify", "--json", "--store", store.toString());
        assertThat(verify.code()).as(verify.outText() + verify.err()).isZero();
        assertThat(verify.outText()).contains("published to IPFS and not kept here");
        Cli.Result repair = Cli.run("verify", "--repair", "--store", store.toString());
        assertThat(repair.code()).as(repair.outText() + repair.err()).isZero();
        Cli.ingest(store, config, in);
        JsonNode after = json(Cli.run("stats", "--json", "--store", store.toString()));
        assertThat(after.get("unique_contents").asLong()).isEqualTo(2);
        assertThat(after.get("segments").asLong()).isEqualTo(stats.get("segments").asLong());
    }

    private static JsonNode json(Cli.Result r) throws Exception {
        assertThat(r.code()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }
}
