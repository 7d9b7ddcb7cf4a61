package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.Rejection;
import io.artdag.l1.store.Sighting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code l1 ingest s3://BUCKET/PREFIX} over an artdag cache against a real S3-compatible server
 * ({@code deploy/local/s3.sh}; unset, the test fails): the cache is read with its layout, as the
 * same cache on disk (contents, CIDs, counts, sightings with node ids and types, rejections and
 * their reasons); hostile {@code index.json} entries are rejected with their reason and the objects
 * they name outside the prefix are never read.
 */
class S3CacheIngestITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @BeforeAll
    static void s3Server() {
        S3IngestITCase.s3Server(); // the server's address for the helpers, the FileSystem
    }

    @Test
    void cacheInS3IngestsLikeTheSameCacheOnDisk() throws Exception {
        Path cache = Cli.exampleCache(tmp.resolve("cache"));
        Files.createDirectories(cache.resolve("plans"));
        Files.writeString(cache.resolve("plans/p1.json"), "{\"plan_id\":\"p1\",\"steps\":[]}\n");
        Files.createDirectories(cache.resolve("analysis"));
        Files.writeString(cache.resolve("analysis/a1.json"), "{\"tempo\":120}\n");
        String bucket = "l1-s3-cache-" + Long.toHexString(System.nanoTime());
        S3IngestITCase.createBucket(bucket);
        String prefix = "s3://" + bucket + "/caches/c1";
        S3IngestITCase.upload(cache, prefix);

        Path diskStore = tmp.resolve("disk-store");
        Cli.ingest(diskStore, List.of(), cache);
        Path s3Store = tmp.resolve("s3-store");
        Cli.Result r = Cli.run("ingest", "--quiet", "--store", s3Store.toString(), prefix);
        assertThat(r.code()).as("ingest %s: %s", prefix, r.err()).isZero();

        Map<String, String> disk = S3IngestITCase.contents(diskStore);
        assertThat(S3IngestITCase.contents(s3Store)).isEqualTo(disk);
        // Read as a cache, not a tree: the index and the metadata files are not contents.
        assertThat(disk).doesNotContainKey(Cli.sha3(cache.resolve("index.json")));
        assertThat(disk).containsKey(Cli.sha3(cache.resolve("plans/p1.json")));
        JsonNode diskStats = S3IngestITCase.stats(diskStore);
        JsonNode s3Stats = S3IngestITCase.stats(s3Store);
        for (String field : List.of("unique_contents", "duplicates", "rejected", "content_bytes")) {
            assertThat(s3Stats.get(field)).as(field).isEqualTo(diskStats.get(field));
        }
        assertThat(sightings(s3Store, prefix))
                .isEqualTo(sightings(diskStore, cache.toRealPath().toString()))
                .isNotEmpty();
        assertThat(rejections(s3Store, prefix))
                .isEqualTo(rejections(diskStore, cache.toRealPath().toString()));
    }

    @Test
    void hostileEntriesAreRejectedAndNothingOutsideThePrefixIsRead() throws Exception {
        String bucket = "l1-s3-hostile-" + Long.toHexString(System.nanoTime());
        S3IngestITCase.createBucket(bucket);
        String prefix = "s3://" + bucket + "/caches/c1";
        // Outside the prefix: a sibling prefix, the bucket's root, above the prefix.
        Map<String, byte[]> outside = new LinkedHashMap<>();
        outside.put("caches/c1-other/secret.bin", secret("sibling"));
        outside.put("caches/c1-other/output.bin", secret("sibling output"));
        outside.put("etc/secret.bin", secret("absolute"));
        outside.put("caches/secret.bin", secret("above"));
        outside.put("caches/c1-other/metadata.json", secret("metadata"));
        for (Map.Entry<String, byte[]> e : outside.entrySet()) {
            S3IngestITCase.putObject(bucket, e.getKey(), e.getValue());
        }
        byte[] good = "a good output\n".getBytes(StandardCharsets.UTF_8);
        S3IngestITCase.putObject(bucket, "caches/c1/good/output.bin", good);
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("good", Map.of("node_id", "good", "output_path", "good/output.bin"));
        entries.put("dotdot", Map.of("output_path", "../c1-other/secret.bin"));
        entries.put("deeper", Map.of("output_path", "x/../../../caches/secret.bin"));
        entries.put("absolute", Map.of("output_path", "/etc/secret.bin"));
        entries.put(
                "sibling", Map.of("output_path", "s3://" + bucket + "/caches/c1-other/secret.bin"));
        entries.put("percent", Map.of("output_path", "%2E%2E/c1-other/secret.bin"));
        entries.put("missing", Map.of("output_path", "missing/output.bin"));
        entries.put("..", Map.of("output_path", "c1-other/output.bin"));
        entries.put("renamed", Map.of("node_id", "../c1-other"));
        entries.put("ctl\u0001", Map.of("node_type", "SEGMENT"));
        S3IngestITCase.putObject(
                bucket, "caches/c1/index.json", JSON.writeValueAsBytes(Map.of("entries", entries)));
        // A second cache whose index breaks off after one entry.
        String broken = "s3://" + bucket + "/caches/broken";
        S3IngestITCase.putObject(bucket, "caches/broken/n1/output.bin", good);
        S3IngestITCase.putObject(
                bucket,
                "caches/broken/index.json",
                "{\"entries\": {\"n1\": {\"node_id\": \"n1\"}, \"n2\": {\"node_"
                        .getBytes(StandardCharsets.UTF_8));

        Path store = tmp.resolve("store");
        Cli.Result r = Cli.run("ingest", "--quiet", "--store", store.toString(), prefix, broken);
        assertThat(r.code()).as("ingest: %s", r.err()).isZero();

        Map<String, String> contents = S3IngestITCase.contents(store);
        assertThat(contents).containsOnlyKeys(Cli.sha3(good));
        Map<String, String> reasons = new LinkedHashMap<>();
        try (LocalStore s = LocalStore.openExisting(store)) {
            for (Rejection rej : s.index().rejections()) {
                reasons.put(rej.path(), rej.reason());
            }
            assertThat(s.index().sightings())
                    .extracting(Sighting::nodeId)
                    .containsExactlyInAnyOrder("good", "n1");
        }
        String index = prefix + "/index.json#entries/";
        String out = "outside the input root: s3://" + bucket;
        assertThat(reasons)
                .containsEntry(index + "dotdot", out + "/caches/c1-other/secret.bin")
                .containsEntry(index + "deeper", out + "/caches/secret.bin")
                .containsEntry(
                        index + "absolute", "vanished: no output file found for node absolute")
                .containsEntry(index + "sibling", out + "/caches/c1-other/secret.bin")
                .containsEntry(index + "..", "bad metadata: unsafe node_id '..'")
                .containsEntry(index + "renamed", "bad metadata: unsafe node_id '../c1-other'")
                .containsEntry(index + "ctl\\u0001", "unsafe object key: a control character");
        // Percent signs are part of the key (no decoding): a missing object inside the prefix.
        assertThat(reasons.get(prefix + "/%2E%2E/c1-other/secret.bin")).startsWith("vanished");
        assertThat(reasons.get(prefix + "/missing/output.bin")).startsWith("vanished");
        assertThat(reasons.get(broken + "/index.json"))
                .startsWith("bad metadata: index.json is not valid JSON");
        assertThat(reasons).hasSize(10);
        for (byte[] secret : outside.values()) {
            assertThat(contents).doesNotContainKey(Cli.sha3(secret));
        }
    }

    private static byte[] secret(String what) {
        return ("outside the prefix (" + what + "): must never be read\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** node id, node type and content of each sighting, its path relative to {@code root}. */
    private static List<String> sightings(Path store, String root) throws Exception {
        List<String> out = new ArrayList<>();
        try (LocalStore s = LocalStore.openExisting(store)) {
            for (Sighting x : s.index().sightings()) {
                out.add(
                        String.join(
                                " ",
                                x.path().replace(root, "ROOT"),
                                String.valueOf(x.nodeId()),
                                String.valueOf(x.nodeType()),
                                x.contentHash()));
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Each rejection's path (relative to {@code root}), reason and node id; an output that is not
     * there only as "vanished" and its node id (on disk the hasher names the stale absolute path it
     * did not find; in S3 such a path is never looked up, the entry names no output).
     */
    private static List<String> rejections(Path store, String root) throws Exception {
        List<String> out = new ArrayList<>();
        try (LocalStore s = LocalStore.openExisting(store)) {
            for (Rejection x : s.index().rejections()) {
                if (x.reason().startsWith("vanished:")) {
                    out.add("vanished " + x.nodeId());
                    continue;
                }
                out.add(
                        String.join(
                                " ",
                                x.path().replace(root, "ROOT"),
                                x.reason().replace(root, "ROOT"),
                                String.valueOf(x.nodeId())));
            }
        }
        out.sort(null);
        return out;
    }
}
