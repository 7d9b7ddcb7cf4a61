package io.artdag.l1.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.connector.L1Store;
import io.artdag.l1.connector.StoreAssertions;
import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * The example job in l1 mode on a MiniCluster against the real Kubo, Redis and PostgreSQL, with a
 * task failure once a checkpoint's contents are committed: Redis {@code {prefix}ipfs_index}, Kubo's
 * pins and PostgreSQL's {@code cache_items} each hold exactly the distinct contents with the CIDs
 * Kubo itself computes for their bytes ({@code add --only-hash}, the store's default profile).
 */
class RenderJobL1ITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void l1ModeEndsExactlyOnceInEveryService() throws Exception {
        long n = 30;
        String ns = "l1render_" + Long.toHexString(System.nanoTime());
        Path out = tmp.resolve("out");
        Path store = tmp.resolve("store");
        FailOnceAfterACommit.reset();

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(RenderJobTest.restarts());
        env.setParallelism(2);
        env.enableCheckpointing(500);
        L1Store l1 =
                L1Store.builder()
                        .setStorePath(store)
                        .setMode("l1")
                        .set(L1Options.KUBO_API, TestServices.get("L1_KUBO_API"))
                        .set(L1Options.REDIS_URL, TestServices.get("L1_REDIS_URL"))
                        .set(L1Options.REDIS_KEY_PREFIX, ns + ":")
                        .set(L1Options.POSTGRES_URL, TestServices.get("L1_PG_URL"))
                        .set(L1Options.POSTGRES_USER, TestServices.get("L1_PG_USER"))
                        .set(L1Options.POSTGRES_PASSWORD, TestServices.get("L1_PG_PASSWORD"))
                        .set(L1Options.POSTGRES_SCHEMA, ns)
                        .build();
        assertThat(l1.runId()).isPresent();
        l1.sinkFrom(
                RenderJob.render(env, out, n, 15)
                        .map(new FailOnceAfterACommit(store))
                        .uid("fail-once")
                        .name("FailOnce"));
        env.execute("render-job l1 mode with a failure");

        assertThat(FailOnceAfterACommit.COMMITTED_AT_FAILURE.get())
                .as("contents committed when the failure was injected")
                .isPositive();
        RenderJobTest.assertExactlyOnce(store, out, n);

        Map<String, String> expected = new TreeMap<>();
        for (long i = 0; i < n; i++) {
            byte[] b = RenderExpectations.bytesOfStep(i);
            expected.computeIfAbsent(StoreAssertions.sha3(b), h -> kuboOnlyHash(b));
        }
        assertThat(StoreAssertions.contents(store)).isEqualTo(expected);
        try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
            assertThat(new TreeMap<>(redis.hgetAll(ns + ":ipfs_index"))).isEqualTo(expected);
        }
        for (String cid : expected.values()) {
            assertThat(pinnedRecursively(cid)).as(cid + " pinned in Kubo").isTrue();
        }
        assertThat(cacheItems(ns)).isEqualTo(expected);
    }

    /** The CID Kubo computes for {@code bytes}: CIDv1, raw leaves, 1 MiB chunks; nothing added. */
    private static String kuboOnlyHash(byte[] bytes) {
        String boundary = "l1-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"file\";"
                                + " filename=\"f\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode r =
                kubo(
                        "add?only-hash=true&pin=false&cid-version=1&raw-leaves=true"
                                + "&chunker=size-1048576",
                        HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
                        "multipart/form-data; boundary=" + boundary);
        return r.path("Hash").asText();
    }

    /** Kubo's RPC {@code pin/ls --type=recursive CID}, asked directly. */
    private static boolean pinnedRecursively(String cid) {
        JsonNode r =
                kubo("pin/ls?type=recursive&arg=" + cid, HttpRequest.BodyPublishers.noBody(), null);
        return r.path("Keys").path(cid).path("Type").asText().equals("recursive");
    }

    private static JsonNode kubo(String call, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder req =
                HttpRequest.newBuilder(
                                URI.create(TestServices.get("L1_KUBO_API") + "/api/v0/" + call))
                        .POST(body);
        if (contentType != null) {
            req.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> rsp = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(rsp.statusCode()).as("Kubo " + call + ": " + rsp.body()).isEqualTo(200);
            return JSON.readTree(rsp.body());
        } catch (Exception e) {
            throw new AssertionError("Kubo " + call, e);
        }
    }

    private static Map<String, String> cacheItems(String schema) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c =
                        DriverManager.getConnection(
                                TestServices.get("L1_PG_URL"),
                                TestServices.get("L1_PG_USER"),
                                TestServices.get("L1_PG_PASSWORD"));
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT content_hash, ipfs_cid FROM \""
                                                + schema
                                                + "\".cache_items")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }
}
