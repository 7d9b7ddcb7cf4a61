package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * A configuration file alone points {@code l1 ingest} and {@code l1 get} at the real Kubo, Redis
 * and PostgreSQL (deploy/local/services.sh): mode, services, key prefix, schema and password file
 * come from it, no service flag is given.
 */
class ConfigFileL1ITCase {
    @TempDir Path tmp;

    @Test
    void theFileAloneSelectsL1ModeAndItsServices() throws Exception {
        String ns = "l1conf_" + Long.toHexString(System.nanoTime());
        Path password = tmp.resolve("pg-password");
        Files.writeString(password, TestServices.get("L1_PG_PASSWORD") + "\n");
        Path conf = tmp.resolve("l1.yaml");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "l1:",
                        "  mode: l1",
                        "  kubo:",
                        "    api: " + TestServices.get("L1_KUBO_API"),
                        "  redis:",
                        "    url: " + TestServices.get("L1_REDIS_URL"),
                        "    key-prefix: \"" + ns + ":\"",
                        "  postgres:",
                        "    url: " + TestServices.get("L1_PG_URL"),
                        "    user: " + TestServices.get("L1_PG_USER"),
                        "    password-file: " + password,
                        "    schema: " + ns,
                        "  pin:",
                        "    required: [kubo]",
                        ""));
        Path in = Files.createDirectories(tmp.resolve("in"));
        byte[] bytes = ("configured by file " + ns + "\n").getBytes(StandardCharsets.UTF_8);
        Files.write(in.resolve("out.txt"), bytes);
        String hash = Cli.sha3(bytes);

        Cli.ingest(tmp.resolve("storeA"), List.of("--config", conf.toString()), in);
        try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
            assertThat(redis.hget(ns + ":ipfs_index", hash))
                    .as("CID under the file's prefix")
                    .startsWith("bafk");
        }

        // A new, empty store: the bytes come through the file's services, verified.
        Path out = tmp.resolve("got");
        Cli.Result got =
                Cli.run(
                        "get",
                        "--config",
                        conf.toString(),
                        "--store",
                        tmp.resolve("storeC").toString(),
                        hash,
                        "-o",
                        out.toString());
        assertThat(got.code()).as(got.err()).isZero();
        assertThat(out).hasBinaryContent(bytes);
    }
}
