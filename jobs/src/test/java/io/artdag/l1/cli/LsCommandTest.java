package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code l1 ls}: every stored content once, with its CID, size, producers and time. */
class LsCommandTest {
    @TempDir Path tmp;

    @Test
    void listsEachContentOnceWithItsNodeIdsAndTheCidsThatL1CidGives() throws Exception {
        Path cache = Cli.exampleCache(tmp.resolve("cache"));
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        byte[] dup = new byte[70_000];
        new Random(5).nextBytes(dup);
        Files.createDirectories(tree.resolve("a"));
        Files.createDirectories(tree.resolve("b"));
        Files.write(tree.resolve("a/dup.bin"), dup);
        Files.write(tree.resolve("b/dup.bin"), dup);
        byte[] big = new byte[(3 << 20) + 11];
        new Random(6).nextBytes(big);
        Files.write(tree.resolve("big.bin"), big);
        Path store = tmp.resolve("store");
        Instant before = Instant.now();
        Cli.ingest(store, List.of(), cache, tree);
        Instant after = Instant.now();

        // Expected, from the inputs: the node ids are index.json's (its entries with a wrong
        // content_hash or a missing output are rejected); tree files have none.
        Map<String, List<String>> nodes = new TreeMap<>();
        nodes.put(
                Cli.sha3(cache.resolve("a1f3c0de01/output.raw")),
                List.of("a1f3c0de01", "a1f3c0de02"));
        nodes.put(Cli.sha3(cache.resolve("b2e4d1ef03/output.json")), List.of("b2e4d1ef03"));
        nodes.put(Cli.sha3(cache.resolve("c3f5e2f004/output.txt")), List.of("c3f5e2f004"));
        nodes.put(Cli.sha3(cache.resolve("f6c8b50307/output.bin")), List.of("f6c8b50307"));
        nodes.put(Cli.sha3(dup), List.of());
        nodes.put(Cli.sha3(big), List.of());
        Map<String, Path> fileOf = new TreeMap<>();
        fileOf.put(Cli.sha3(dup), tree.resolve("a/dup.bin"));
        fileOf.put(Cli.sha3(big), tree.resolve("big.bin"));
        for (String n :
                List.of(
                        "a1f3c0de01/output.raw",
                        "b2e4d1ef03/output.json",
                        "c3f5e2f004/output.txt",
                        "f6c8b50307/output.bin")) {
            fileOf.put(Cli.sha3(cache.resolve(n)), cache.resolve(n));
        }
        assertThat(nodes).hasSize(6);

        // What `l1 cid` prints for the files: CID<TAB>SHA3-256<TAB>size<TAB>path.
        List<String> cidArgs = new ArrayList<>(List.of("cid"));
        fileOf.values().forEach(p -> cidArgs.add(p.toString()));
        Cli.Result cid = Cli.run(cidArgs.toArray(String[]::new));
        assertThat(cid.code()).as(cid.err()).isZero();
        Map<String, String[]> cidOf = new TreeMap<>();
        for (String l : cid.lines()) {
            String[] f = l.split("\t");
            cidOf.put(f[1], f);
        }
        assertThat(cidOf.keySet()).isEqualTo(nodes.keySet());

        Cli.Result plain = Cli.run("ls", "--store", store.toString());
        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(plain.err()).isEmpty();
        List<String> lines = plain.lines();
        assertThat(lines).hasSize(nodes.size());
        List<String> hashes = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.split("\t", -1);
            assertThat(f).as(l).hasSize(5);
            hashes.add(f[0]);
            assertThat(f[1]).as(l).isEqualTo(cidOf.get(f[0])[0]);
            assertThat(f[2]).as(l).isEqualTo(cidOf.get(f[0])[2]);
            List<String> ids = nodes.get(f[0]);
            assertThat(f[3]).as(l).isEqualTo(ids.isEmpty() ? "-" : String.join(",", ids));
            assertThat(Instant.parse(f[4])).isBetween(before, after);
        }
        assertThat(hashes).isSorted().containsExactlyElementsOf(nodes.keySet());

        Cli.Result json = Cli.run("ls", "--json", "--store", store.toString());
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode array = new ObjectMapper().readTree(json.out());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(nodes.size());
        List<String> jsonLines = new ArrayList<>();
        for (JsonNode o : array) {
            assertThat(o.size()).as(o.toString()).isEqualTo(5);
            String h = o.get("content_hash").asText();
            assertThat(o.get("cid").asText()).isEqualTo(cidOf.get(h)[0]);
            assertThat(o.get("size").isIntegralNumber()).isTrue();
            assertThat(o.get("size").asLong()).isEqualTo(Files.size(fileOf.get(h)));
            List<String> ids = new ArrayList<>();
            o.get("node_ids").forEach(n -> ids.add(n.asText()));
            assertThat(ids).isEqualTo(nodes.get(h));
            jsonLines.add(
                    String.join(
                            "\t",
                            h,
                            o.get("cid").asText(),
                            o.get("size").asText(),
                            ids.isEmpty() ? "-" : String.join(",", ids),
                            o.get("stored_at").asText()));
        }
        assertThat(jsonLines).isEqualTo(lines);

        // Readers take no lock: ls works while a writer holds the store.
        try (StoreLock lock = StoreLock.acquire(store, "test writer")) {
            Cli.Result locked = Cli.run("ls", "--store", store.toString());
            assertThat(locked.code()).as(locked.err()).isZero();
            assertThat(locked.lines()).isEqualTo(lines);
        }
    }

    @Test
    void aStoreWithNoContentsListsNothing() throws Exception {
        Path store = tmp.resolve("empty");
        LocalStore.open(store).close();
        Cli.Result plain = Cli.run("ls", "--store", store.toString());
        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(plain.outText()).isEmpty();
        Cli.Result json = Cli.run("ls", "--store", store.toString(), "--json");
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(json.outText().strip()).isEqualTo("[]");
        assertThat(new ObjectMapper().readTree(json.out()).isArray()).isTrue();
    }

    @Test
    void aDirectoryThatIsNoStoreIsAnErrorNamingIt() throws Exception {
        Path none = Files.createDirectories(tmp.resolve("none"));
        Cli.Result r = Cli.run("ls", "--store", none.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.outText()).isEmpty();
        assertThat(r.err().strip())
                .startsWith("l1 ls: " + none)
                .contains("not an l1 store")
                .doesNotContain("\n");
    }
}
