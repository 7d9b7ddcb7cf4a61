package io.artdag.l1.cli;

import static io.artdag.l1.cli.ServeTesting.assertError;
import static io.artdag.l1.cli.ServeTesting.get;
import static io.artdag.l1.cli.ServeTesting.head;
import static io.artdag.l1.cli.ServeTesting.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.Multihash;
import io.artdag.l1.testing.TestServices;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * {@code l1 serve --mode l1} against the real Kubo, Redis and PostgreSQL
 * (deploy/local/services.sh): files ingested in l1 mode into store A are served from a new, empty
 * store B, contents through Redis (or PostgreSQL) and IPFS, blocks and CARs from Kubo, every block
 * verified.
 */
class ServeL1ITCase {
    @TempDir Path tmp;

    @Test
    void servesFromAnEmptyStoreThroughTheServices() throws Exception {
        String ns = "l1serve_" + Long.toHexString(System.nanoTime());
        Path in = Files.createDirectories(tmp.resolve("in"));
        byte[] big = new byte[(3 << 20) + 555]; // four 1 MiB raw leaves and a root
        new Random(51).nextBytes(big);
        Files.write(in.resolve("big.bin"), big);
        byte[] small = ("served in l1 mode " + ns + "\n").getBytes(StandardCharsets.UTF_8);
        Files.write(in.resolve("small.txt"), small);
        Files.write(in.resolve("empty"), new byte[0]);
        Path password = tmp.resolve("pg-password");
        Files.writeString(password, TestServices.get("L1_PG_PASSWORD"));
        List<String> services =
                List.of(
                        "--mode", "l1",
                        "--kubo-api", TestServices.get("L1_KUBO_API"),
                        "--redis-url", TestServices.get("L1_REDIS_URL"),
                        "--redis-key-prefix", ns + ":",
                        "--pg-url", TestServices.get("L1_PG_URL"),
                        "--pg-user", TestServices.get("L1_PG_USER"),
                        "--pg-password-file", password.toString(),
                        "--pg-schema", ns);
        Path storeA = tmp.resolve("storeA");
        Cli.ingest(storeA, services, in);
        Cid bigRoot = ServeCommandTest.rootOf(storeA, in.resolve("big.bin"));

        Path storeB = tmp.resolve("storeB");
        List<String> args = new ArrayList<>(List.of("serve", "--store", storeB.toString()));
        args.addAll(services);
        args.addAll(List.of("--port", "0"));
        try (ReadServer server = ServeTesting.start(args.toArray(String[]::new))) {
            for (byte[] bytes : List.of(big, small, new byte[0])) {
                String hash = Cli.sha3(bytes);
                HttpResponse<byte[]> r = get(server, "/content/" + hash);
                assertThat(r.statusCode()).as(ServeTesting.text(r)).isEqualTo(200);
                assertThat(r.body()).isEqualTo(bytes);
                assertThat(header(r, "ETag")).isEqualTo("\"" + hash + "\"");
                // Fetched through the services: the lookup kept a verified copy in store B.
                assertThat(storeB.resolve("fetched").resolve(hash)).hasBinaryContent(bytes);
                HttpResponse<byte[]> again = get(server, "/content/" + hash, "Range", "bytes=-3");
                if (bytes.length == 0) {
                    assertThat(again.statusCode()).isEqualTo(416);
                } else {
                    assertThat(again.statusCode()).isEqualTo(206);
                    assertThat(again.body())
                            .isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 3, bytes.length));
                }
            }
            HttpResponse<byte[]> h = head(server, "/content/" + Cli.sha3(big));
            assertThat(header(h, "Content-Length")).isEqualTo(Integer.toString(big.length));
            String unknown = "cd".repeat(32);
            assertError(get(server, "/content/" + unknown), 404, unknown);

            // Store B holds no segment: every block below comes from Kubo, verified.
            assertThat(storeB.resolve("segments")).doesNotExist();
            HttpResponse<byte[]> car = get(server, "/ipfs/" + bigRoot + "?format=car");
            assertThat(car.statusCode()).as(ServeTesting.text(car)).isEqualTo(200);
            Path carFile = tmp.resolve("big.car");
            Files.write(carFile, car.body());
            Path ipfsCar = Cli.ipfsCar();
            assertThat(Cli.toolLines(ipfsCar, "roots", carFile.toString()))
                    .containsExactly(bigRoot.toString());
            Path unpacked = tmp.resolve("big.unpacked");
            Cli.tool(ipfsCar, "unpack", carFile.toString(), "--output", unpacked.toString());
            assertThat(unpacked).hasBinaryContent(big);
            assertThat(ExportCommandTest.Car.read(car.body()).order()).hasSize(5);

            byte[] leaf = Arrays.copyOfRange(big, 1 << 20, 2 << 20);
            Cid leafCid =
                    Cid.v1(Cid.RAW, Multihash.of(Multihash.SHA2_256, ServeTesting.sha256(leaf)));
            HttpResponse<byte[]> raw = get(server, "/ipfs/" + leafCid + "?format=raw");
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.body()).isEqualTo(leaf);
            String absent = "bafkreihi342xgecagn7t5sq6lix2zoukqrh6qzykplmpacdobdz2qy25ni";
            assertError(get(server, "/ipfs/" + absent + "?format=raw"), 404, absent);
        }

        // Redis no longer names small.txt: PostgreSQL's cache_items does, for a new store C.
        String smallHash = Cli.sha3(small);
        try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
            assertThat(redis.hdel(ns + ":ipfs_index", smallHash)).isEqualTo(1);
        }
        args.set(2, tmp.resolve("storeC").toString());
        try (ReadServer server = ServeTesting.start(args.toArray(String[]::new))) {
            HttpResponse<byte[]> r = get(server, "/content/" + smallHash);
            assertThat(r.statusCode()).as(ServeTesting.text(r)).isEqualTo(200);
            assertThat(r.body()).isEqualTo(small);
        }
    }
}
