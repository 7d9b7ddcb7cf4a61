package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In l1 mode the services are the system of record (issue "shared-nothing l1 mode", README "l1
 * mode"): a run whose local store is deleted afterwards leaves nothing for the next run to store
 * again, and a third, empty store reads the bytes back from IPFS, verified; with default options an
 * l1 run leaves no segment file in its store. Against the real Kubo, Redis and PostgreSQL.
 */
class SharedNothingITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void aNewEmptyStoreOverPublishedInputsStoresNothingAndAThirdOneReadsTheBytes()
            throws Exception {
        String ns = "l1nothing_" + Long.toHexString(System.nanoTime());
        Path conf = Cli.l1Config(tmp, ns);
        Path in = Files.createDirectories(tmp.resolve("in"));
        byte[] big = new byte[(2 << 20) + 1234]; // several raw leaves and a root
        new Random(11).nextBytes(big);
        Files.write(in.resolve("big.bin"), big);
        byte[] small = ("published once " + ns).getBytes(StandardCharsets.UTF_8);
        Files.write(in.resolve("small.txt"), small);
        Files.write(in.resolve("copy.txt"), small);
        List<String> config = List.of("--config", conf.toString());

        Path a = tmp.resolve("store-a");
        Cli.ingest(a, config, in);
        JsonNode first = stats(a);
        assertThat(first.get("unique_contents").asLong()).isEqualTo(2);
        assertThat(first.get("duplicates").asLong()).isEqualTo(1);
        try (Stream<Path> segments = Files.list(a.resolve("segments"))) {
            assertThat(segments.toList())
                    .as("segment files left after an l1 run with default options")
                    .isEmpty();
        }
        try (Stream<Path> all = Files.walk(a)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertThat(a).doesNotExist();

        Path b = tmp.resolve("store-b");
        Cli.ingest(b, config, in);
        JsonNode second = stats(b);
        assertThat(second.get("unique_contents").asLong()).as("new contents").isZero();
        assertThat(second.get("segments").asLong()).as("segments").isZero();
        assertThat(second.get("stored_bytes").asLong()).as("stored bytes").isZero();

        Path c = tmp.resolve("store-c");
        Path out = tmp.resolve("big.out");
        Cli.Result got = Cli.get(conf, c, Cli.sha3(big), out);
        assertThat(got.code()).as(got.err()).isZero();
        assertThat(out).hasBinaryContent(big);
        Path smallOut = tmp.resolve("small.out");
        Cli.Result gotSmall = Cli.get(conf, tmp.resolve("store-d"), Cli.sha3(small), smallOut);
        assertThat(gotSmall.code()).as(gotSmall.err()).isZero();
        assertThat(smallOut).hasBinaryContent(small);
    }

    private static JsonNode stats(Path store) throws Exception {
        Cli.Result r = Cli.run("stats", "--json", "--store", store.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }
}
