package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.cli.L1Command;
import io.artdag.l1.ipld.BlockSink;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.UnixFsFileBuilder;
import io.artdag.l1.ipld.UnixFsProfile;
import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.kubo.KuboTestOps;
import io.artdag.l1.sink.segment.FaultInjector;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.Rejection;
import io.artdag.l1.store.StoreStats;
import io.artdag.l1.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * A hostile artdag cache and tree, run through the real job in local and l1 mode: every bad input
 * is rejected with its reason, the good ones (one with a file name that is not UTF-8) are stored,
 * and nothing outside the input roots is read, stored, pinned or indexed.
 */
class BadInputITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = JobTestSupport.miniCluster();

    @TempDir Path tmp;

    private final String nonce = Long.toHexString(System.nanoTime());
    private Path cache;
    private Path tree;
    private Path secret;
    private Path outsideOutput;
    private Path evilOutput;
    private Path notUtf8;

    /** Expected rejections, path :: reason. */
    private final List<String> expectedRejections = new ArrayList<>();

    /** Good inputs: content hash (computed by the JDK) → file. */
    private final Map<String, Path> good = new TreeMap<>();

    private Path write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private void entry(StringBuilder index, String key, String json) {
        if (index.length() > 0) {
            index.append(',');
        }
        index.append('"').append(key).append("\": ").append(json);
    }

    private void rejected(String key, String reason) {
        expectedRejections.add(cache.resolve("index.json") + "#entries/" + key + " :: " + reason);
    }

    @BeforeEach
    void hostileInputs() throws IOException {
        Path outside = tmp.resolve("outside");
        secret = write(outside.resolve("secret.bin"), "secret " + nonce);
        outsideOutput = write(outside.resolve("output.bin"), "outside output " + nonce);
        cache = Files.createDirectories(tmp.resolve("cache"));
        tree = Files.createDirectories(tmp.resolve("tree"));
        // Beside the cache: what node_id "../evil" would reach.
        evilOutput = write(tmp.resolve("evil/output.bin"), "evil " + nonce);
        String realSecret = secret.toRealPath().toString();

        StringBuilder index = new StringBuilder();
        Path good1 = write(cache.resolve("good1/output.bin"), "good one " + nonce);
        entry(
                index,
                "good1",
                "{\"node_id\": \"good1\", \"output_path\": \"good1/output.bin\","
                        + " \"node_type\": \"SEGMENT\"}");
        Path good2 = write(cache.resolve("good2/output.txt"), "good two " + nonce);
        write(cache.resolve("good2/metadata.json"), "{\"node_id\": \"good2\", \"x\": [1]}");
        entry(index, "good2", "{\"node_id\": \"good2\"}");
        // A cache output whose name is not UTF-8, found as <node_id>/output*.
        Files.createDirectories(cache.resolve("u1"));
        Path u1 = Path.of(URI.create(cache.resolve("u1").toUri() + "output%FF.bin"));
        Files.writeString(u1, "cache not utf-8 " + nonce);
        entry(index, "u1", "{\"node_id\": \"u1\"}");

        entry(index, "abs", "{\"node_id\": \"abs\", \"output_path\": \"" + secret + "\"}");
        rejected("abs", "outside the input root: " + realSecret);
        entry(index, "rel", "{\"node_id\": \"rel\", \"output_path\": \"../outside/secret.bin\"}");
        rejected("rel", "outside the input root: " + realSecret);
        entry(index, "../evil", "{\"output_path\": \"output.bin\"}");
        rejected("../evil", "bad metadata: unsafe node_id '../evil'");
        entry(index, "k1", "{\"node_id\": \"../evil\"}");
        rejected("k1", "bad metadata: unsafe node_id '../evil'");
        entry(index, "k2", "{\"node_id\": \"a/b\"}");
        rejected("k2", "bad metadata: unsafe node_id 'a/b'");
        entry(index, "k3", "{\"node_id\": \".\"}");
        rejected("k3", "bad metadata: unsafe node_id '.'");
        entry(index, "k4", "{\"node_id\": \"..\"}");
        rejected("k4", "bad metadata: unsafe node_id '..'");
        entry(index, "k5", "{\"node_id\": \"a\\u0000b\"}");
        rejected("k5", "bad metadata: unsafe node_id 'a\\u0000b'");
        entry(index, "k6", "{\"node_id\": \"a\\\\b\"}");
        rejected("k6", "bad metadata: unsafe node_id 'a\\\\b'");
        Files.createDirectories(cache.resolve("link"));
        Files.createSymbolicLink(cache.resolve("link/output.bin"), secret);
        entry(index, "link", "{\"node_id\": \"link\"}");
        rejected("link", "outside the input root: " + realSecret);
        Files.createSymbolicLink(cache.resolve("dirlink"), outside);
        entry(index, "dirlink", "{\"node_id\": \"dirlink\"}");
        rejected("dirlink", "outside the input root: " + outsideOutput.toRealPath());
        write(cache.resolve("mbad/output.bin"), "mbad " + nonce);
        write(cache.resolve("mbad/metadata.json"), "{oops");
        entry(index, "mbad", "{\"node_id\": \"mbad\"}");
        write(cache.resolve("mlist/output.bin"), "mlist " + nonce);
        write(cache.resolve("mlist/metadata.json"), "[1, 2]");
        entry(index, "mlist", "{\"node_id\": \"mlist\"}");
        rejected("mlist", "bad metadata: mlist/metadata.json is not a JSON object");
        write(cache.resolve("n42/output.bin"), "n42 " + nonce);
        entry(index, "n42", "{\"node_id\": 42}");
        rejected("n42", "bad metadata: node_id must be a string");
        entry(index, "obj", "{\"node_id\": \"good1\", \"output_path\": {}}");
        rejected("obj", "bad metadata: output_path must be a string");
        write(cache.resolve("index.json"), "{\"entries\": {" + index + "}, \"stats\": {}}");

        Path a = write(tree.resolve("a.txt"), "tree a " + nonce);
        Path b = write(tree.resolve("sub/b.bin"), "tree b " + nonce);
        notUtf8 = Path.of(URI.create(tree.toUri() + "f%FF.bin"));
        Files.writeString(notUtf8, "tree not utf-8 " + nonce);
        Path toSecret = Files.createSymbolicLink(tree.resolve("to-secret"), secret);
        Path toDir = Files.createSymbolicLink(tree.resolve("to-outside-dir"), outside);
        Files.createSymbolicLink(tree.resolve("to-a"), a);
        expectedRejections.add(toSecret + " :: outside the input root: " + realSecret);
        expectedRejections.add(toDir + " :: outside the input root: " + outside.toRealPath());

        for (Path p : List.of(good1, good2, u1, a, b, notUtf8)) {
            good.put(JobTestSupport.sha3(p), p);
        }
        assertThat(good).hasSize(6);
    }

    private List<String> rejectionsOf(LocalStore s) throws Exception {
        List<String> out = new ArrayList<>();
        for (Rejection r : s.index().rejections()) {
            out.add(r.path() + " :: " + r.reason());
        }
        return out;
    }

    /** The store holds exactly the good contents, rejected the rest, and read nothing outside. */
    /**
     * @param readArgs how {@code l1 get} reads the content back: nothing in local mode; in l1 mode
     *     the services (a published segment is not kept in the store by default)
     */
    private void assertStore(Path store, List<String> readArgs) throws Exception {
        try (LocalStore s = LocalStore.openExisting(store)) {
            List<String> rejections = rejectionsOf(s);
            // mbad's reason carries the JSON parser's message: checked by its start.
            String mbad = cache.resolve("index.json") + "#entries/mbad :: ";
            assertThat(rejections)
                    .filteredOn(r -> r.startsWith(mbad))
                    .singleElement()
                    .satisfies(
                            r ->
                                    assertThat(r.substring(mbad.length()))
                                            .startsWith(
                                                    "bad metadata: mbad/metadata.json is not"
                                                            + " valid JSON: "));
            assertThat(rejections)
                    .filteredOn(r -> !r.startsWith(mbad))
                    .containsExactlyInAnyOrderElementsOf(expectedRejections);

            Map<String, String> stored = new TreeMap<>();
            s.index().forEachContent(c -> stored.put(c.contentHash(), c.firstPath()));
            assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(good.keySet());
            assertThat(stored.keySet())
                    .doesNotContain(
                            JobTestSupport.sha3(secret),
                            JobTestSupport.sha3(outsideOutput),
                            JobTestSupport.sha3(evilOutput));
            // The name that is not UTF-8 is recorded escaped.
            assertThat(stored.get(JobTestSupport.sha3(notUtf8))).isEqualTo(tree + "/f%FF.bin");

            StoreStats stats = s.index().stats();
            assertThat(stats.uniqueContents()).isEqualTo(6);
            assertThat(stats.rejected()).isEqualTo(expectedRejections.size() + 1);
            // to-a is the same content as a.txt, seen again.
            assertThat(stats.duplicates()).isEqualTo(1);
        }
        // Retrievable, verified: the bytes of the file whose name is not UTF-8.
        Path out = tmp.resolve("got-" + store.getFileName());
        List<String> get = new ArrayList<>(List.of("get", "--store", store.toString()));
        get.addAll(readArgs);
        get.addAll(List.of(JobTestSupport.sha3(notUtf8), "-o", out.toString()));
        assertThat(L1Command.execute(get.toArray(String[]::new))).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(notUtf8));
    }

    @Test
    void localModeRejectsEachBadInputWithItsReasonAndStoresTheRest() throws Exception {
        Path store = tmp.resolve("store");
        JobTestSupport.ingest(store, FaultInjector.NONE, cache, tree);
        assertStore(store, List.of());
    }

    private static String cid(Path file) throws IOException {
        UnixFsFileBuilder b = new UnixFsFileBuilder(UnixFsProfile.DEFAULT, BlockSink.DISCARD);
        byte[] bytes = Files.readAllBytes(file);
        b.write(bytes, 0, bytes.length);
        Cid root = b.finish();
        return root.toString();
    }

    @Test
    void l1ModePublishesNothingFromOutsideTheRoots() throws Exception {
        String ns = "l1bad_" + nonce;
        Configuration options = L1ModeITCase.options(ns);
        Path store = tmp.resolve("l1store");
        LocalIngest.run(
                new LocalIngest.Settings(
                        store,
                        List.of(IngestInput.of(cache, false), IngestInput.of(tree, false)),
                        false,
                        options,
                        2,
                        null),
                StreamExecutionEnvironment::getExecutionEnvironment,
                FaultInjector.NONE);
        assertStore(store, new FaultHarness.Mode("l1", ns).args());

        List<Path> outsideFiles = List.of(secret, outsideOutput, evilOutput);
        try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
            Map<String, String> ipfs = redis.hgetAll(ns + ":ipfs_index");
            Map<String, String> content = redis.hgetAll(ns + ":content_index");
            assertThat(ipfs.keySet()).containsExactlyInAnyOrderElementsOf(good.keySet());
            assertThat(content.keySet()).containsExactlyInAnyOrderElementsOf(good.keySet());
            for (Path p : outsideFiles) {
                assertThat(ipfs).doesNotContainKey(JobTestSupport.sha3(p));
                assertThat(content).doesNotContainKey(JobTestSupport.sha3(p));
                assertThat(ipfs).doesNotContainValue(cid(p));
            }
        }
        try (Connection c =
                        DriverManager.getConnection(
                                TestServices.get("L1_PG_URL"),
                                TestServices.get("L1_PG_USER"),
                                TestServices.get("L1_PG_PASSWORD"));
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT content_hash, ipfs_cid FROM " + ns + ".cache_items")) {
            Map<String, String> items = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.put(rs.getString(1), rs.getString(2));
                }
            }
            assertThat(items.keySet()).containsExactlyInAnyOrderElementsOf(good.keySet());
            for (Path p : outsideFiles) {
                assertThat(items).doesNotContainKey(JobTestSupport.sha3(p));
                assertThat(items).doesNotContainValue(cid(p));
            }
            try (PreparedStatement r =
                            c.prepareStatement("SELECT count(*) FROM " + ns + ".rejected_inputs");
                    ResultSet rs = r.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(expectedRejections.size() + 1);
            }
        }
        KuboClient kubo = KuboTestOps.create(TestServices.get("L1_KUBO_API"));
        for (Path p : good.values()) {
            assertThat(kubo.isPinned(cid(p))).as(p + " pinned").isTrue();
        }
        for (Path p : outsideFiles) {
            assertThat(kubo.isPinned(cid(p))).as(p + " not pinned").isFalse();
        }
    }
}
