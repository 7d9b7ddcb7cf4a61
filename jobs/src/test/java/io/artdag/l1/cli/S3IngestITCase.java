package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.job.ObjectStores;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.Rejection;
import io.artdag.l1.testing.TestServices;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.core.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * {@code l1 ingest s3://BUCKET/PREFIX} against a real S3-compatible server ({@code
 * deploy/local/s3.sh}: {@code L1_S3_ENDPOINT} and the AWS variables; unset, the test fails): the
 * same tree ingested from S3 and from disk gives the same contents, CIDs and counts; objects
 * outside the prefix, and a key with {@code ..} segments, are never read; in l1 mode the contents
 * reach Kubo and Redis under the same CIDs.
 */
class S3IngestITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MUST_NOT_BE_READ =
            "outside the prefix: must never be ingested\n".getBytes(StandardCharsets.UTF_8);

    @TempDir Path tmp;

    private static String endpoint;

    @BeforeAll
    static void s3Server() {
        endpoint = require(ObjectStores.ENDPOINT_ENV);
        require("AWS_ACCESS_KEY_ID");
        require("AWS_SECRET_ACCESS_KEY");
        ObjectStores.initialize();
    }

    static String require(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new AssertionError(
                    name
                            + " is not set: start the S3 server with"
                            + " eval \"$(deploy/local/s3.sh start)\" (./bin/test does it)");
        }
        return v;
    }

    @Test
    void s3PrefixIngestsLikeTheSameTreeOnDisk() throws Exception {
        String bucket = "l1-s3-it-" + Long.toHexString(System.nanoTime());
        Path in = tree(tmp.resolve("in"));
        createBucket(bucket);
        String prefix = "s3://" + bucket + "/renders/in";
        upload(in, prefix);
        // Beside the prefix: a sibling whose name starts like it, and a key that climbs out.
        putObject(bucket, "renders/in-sibling/x.txt", MUST_NOT_BE_READ);
        putObject(bucket, "renders/outside.txt", MUST_NOT_BE_READ);
        putObject(bucket, "renders/in/sub/%2E%2E/%2E%2E/outside.txt", MUST_NOT_BE_READ);
        putObject(bucket, "renders/in/sub/ok.txt", "inside\n".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(in.resolve("sub"));
        Files.writeString(in.resolve("sub/ok.txt"), "inside\n");

        Path diskStore = tmp.resolve("disk-store");
        Cli.ingest(diskStore, List.of(), in);
        Path s3Store = tmp.resolve("s3-store");
        Cli.Result r =
                Cli.run(
                        "ingest",
                        "--quiet",
                        "--store",
                        s3Store.toString(),
                        "--parallelism",
                        "2",
                        prefix + "/");
        assertThat(r.code()).as("ingest %s: %s", prefix, r.err()).isZero();

        Map<String, String> disk = contents(diskStore);
        Map<String, String> s3 = contents(s3Store);
        assertThat(disk).hasSize(7);
        assertThat(s3).isEqualTo(disk);
        assertThat(s3).doesNotContainKey(Cli.sha3(MUST_NOT_BE_READ));
        JsonNode diskStats = stats(diskStore);
        JsonNode s3Stats = stats(s3Store);
        for (String field : List.of("unique_contents", "duplicates", "rejected", "content_bytes")) {
            assertThat(s3Stats.get(field)).as(field).isEqualTo(diskStats.get(field));
        }
        assertThat(s3Stats.get("duplicates").asLong()).isEqualTo(1);
        assertThat(s3Stats.get("rejected").asLong()).isZero();
        try (LocalStore s = LocalStore.openExisting(s3Store)) {
            assertThat(s.index().rejections()).extracting(Rejection::path).isEmpty();
        }

        // A single object as the input, and the errors that name the input.
        Path one = tmp.resolve("one-store");
        r = Cli.run("ingest", "--quiet", "--store", one.toString(), prefix + "/big.bin");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(contents(one)).containsOnlyKeys(Cli.sha3(in.resolve("big.bin")));
        r = Cli.run("ingest", "--quiet", "--store", one.toString(), prefix + "/no-such-thing");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains(prefix + "/no-such-thing: no such object or prefix");
        r = Cli.run("ingest", "--quiet", "--follow", "--store", one.toString(), prefix);
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains(prefix + ": --follow needs a local spool directory");

        // l1 mode: the same CIDs in Redis's ipfs_index, and the bytes back through Kubo.
        String ns = "l1s3_" + Long.toHexString(System.nanoTime());
        Path password = Files.writeString(tmp.resolve("pg-password"), pg("L1_PG_PASSWORD"));
        List<String> services =
                List.of(
                        "--mode", "l1",
                        "--kubo-api", TestServices.get("L1_KUBO_API"),
                        "--redis-url", TestServices.get("L1_REDIS_URL"),
                        "--redis-key-prefix", ns + ":",
                        "--pg-url", TestServices.get("L1_PG_URL"),
                        "--pg-user", pg("L1_PG_USER"),
                        "--pg-password-file", password.toString(),
                        "--pg-schema", ns);
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "ingest",
                                "--quiet",
                                "--store",
                                tmp.resolve("l1-store").toString()));
        args.addAll(services);
        args.add(prefix);
        r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).as("ingest --mode l1 %s: %s", prefix, r.err()).isZero();
        try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
            for (Map.Entry<String, String> e : disk.entrySet()) {
                assertThat(redis.hget(ns + ":ipfs_index", e.getKey()))
                        .as(e.getKey())
                        .isEqualTo(e.getValue());
            }
        }
        String bigHash = Cli.sha3(in.resolve("big.bin"));
        List<String> get =
                new ArrayList<>(List.of("get", "--store", tmp.resolve("empty-store").toString()));
        get.addAll(services);
        get.addAll(List.of(bigHash, "-o", tmp.resolve("big.out").toString()));
        r = Cli.run(get.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(tmp.resolve("big.out")).hasSameBinaryContentAs(in.resolve("big.bin"));
    }

    private static String pg(String name) {
        return TestServices.get(name);
    }

    /** Nested directories, an empty file, a 3 MiB file (four chunks), odd names, a duplicate. */
    private static Path tree(Path in) throws IOException {
        Files.createDirectories(in.resolve("nested/deeper"));
        Files.createDirectories(in.resolve("odd names"));
        Files.writeString(in.resolve("a.txt"), "alpha\n");
        Files.writeString(in.resolve("dup.txt"), "alpha\n");
        byte[] b = new byte[10_000];
        new Random(7).nextBytes(b);
        Files.write(in.resolve("nested/deeper/b.bin"), b);
        Files.write(in.resolve("nested/empty"), new byte[0]);
        byte[] big = new byte[(3 << 20) + 123];
        new Random(8).nextBytes(big);
        Files.write(in.resolve("big.bin"), big);
        Files.writeString(in.resolve("odd names/ünï cödé & #1 %41.txt"), "unicode\n");
        Files.writeString(in.resolve("nested/n.txt"), "nested\n");
        Files.writeString(in.resolve(".hidden"), "hidden files are skipped\n");
        return in;
    }

    /** Copies every file under {@code in} to {@code prefix} through Flink's FileSystem. */
    static void upload(Path in, String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(in)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                org.apache.flink.core.fs.Path to =
                        new org.apache.flink.core.fs.Path(
                                prefix + "/" + in.relativize(f).toString());
                try (OutputStream out =
                        to.getFileSystem().create(to, FileSystem.WriteMode.OVERWRITE)) {
                    Files.copy(f, out);
                }
            }
        }
    }

    static void createBucket(String bucket) throws Exception {
        HttpResponse<String> r = http("PUT", "/" + bucket, new byte[0]);
        assertThat(r.statusCode()).as("create bucket %s: %s", bucket, r.body()).isEqualTo(200);
    }

    /**
     * Writes one object with the key as given (already URL-encoded), through the S3 REST API:
     * Flink's FileSystem would resolve a {@code ..} segment before sending it. The local server
     * accepts unsigned requests.
     */
    static void putObject(String bucket, String encodedKey, byte[] body) throws Exception {
        HttpResponse<String> r = http("PUT", "/" + bucket + "/" + encodedKey, body);
        assertThat(r.statusCode()).as("PUT %s: %s", encodedKey, r.body()).isEqualTo(200);
    }

    private static HttpResponse<String> http(String method, String path, byte[] body)
            throws Exception {
        HttpRequest req =
                HttpRequest.newBuilder(URI.create(endpoint + path))
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                        .header("Content-Type", "application/octet-stream")
                        .build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** content hash -> root CID, from {@code l1 ls --json}. */
    static Map<String, String> contents(Path store) throws IOException {
        Cli.Result r = Cli.run("ls", "--json", "--store", store.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, String> m = new TreeMap<>();
        for (JsonNode c : JSON.readTree(r.out())) {
            m.put(c.get("content_hash").asText(), c.get("cid").asText());
        }
        return m;
    }

    static JsonNode stats(Path store) throws IOException {
        Cli.Result r = Cli.run("stats", "--json", "--store", store.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }
}
