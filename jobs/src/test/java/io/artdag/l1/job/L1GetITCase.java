package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.cli.L1Command;
import io.artdag.l1.hash.ContentHashes;
import io.artdag.l1.read.L1ContentReader;
import io.artdag.l1.read.L1ContentReader.ContentNotFoundException;
import io.artdag.l1.read.L1ContentReader.Result;
import io.artdag.l1.read.L1ContentReader.Tier;
import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.sink.segment.FaultInjector;
import io.artdag.l1.sink.segment.SegmentSinkOptions;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreReader.CorruptContentException;
import io.artdag.l1.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * The l1-mode read path against the real Kubo, Redis and PostgreSQL that deploy/local/services.sh
 * starts: content ingested in l1 mode into one store is found from an empty store through Redis and
 * IPFS, then from the local copy; through PostgreSQL when Redis lacks it or is down; by CID; never
 * served when it does not verify.
 */
class L1GetITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = JobTestSupport.miniCluster();

    @TempDir Path tmp;

    private static String env(String name) {
        return TestServices.get(name);
    }

    private static String pgUser() {
        return TestServices.get("L1_PG_USER");
    }

    private static String pgPassword() {
        return TestServices.get("L1_PG_PASSWORD");
    }

    private static L1Settings settings(String ns, String redisUrl) {
        Configuration c = new Configuration();
        c.set(L1Options.KUBO_API, env("L1_KUBO_API"));
        c.set(L1Options.REDIS_URL, redisUrl);
        c.set(L1Options.REDIS_KEY_PREFIX, ns + ":");
        c.set(L1Options.POSTGRES_URL, env("L1_PG_URL"));
        c.set(L1Options.POSTGRES_USER, pgUser());
        c.set(L1Options.POSTGRES_PASSWORD, pgPassword());
        c.set(L1Options.POSTGRES_SCHEMA, ns);
        return L1Settings.fromConfig(c).forReader("l1-get").validate();
    }

    private void ingestL1(Path store, String ns, Path input) throws Exception {
        Configuration c = JobTestSupport.fastOptions();
        c.set(io.artdag.l1.job.IngestOptions.MODE, "l1");
        c.set(L1Options.KUBO_API, env("L1_KUBO_API"));
        c.set(L1Options.REDIS_URL, env("L1_REDIS_URL"));
        c.set(L1Options.REDIS_KEY_PREFIX, ns + ":");
        c.set(L1Options.POSTGRES_URL, env("L1_PG_URL"));
        c.set(L1Options.POSTGRES_USER, pgUser());
        c.set(L1Options.POSTGRES_PASSWORD, pgPassword());
        c.set(L1Options.POSTGRES_SCHEMA, ns);
        // store A must answer from its own segments: the lookup flow's first tier
        c.set(SegmentSinkOptions.RETAIN_LOCAL, true);
        LocalIngest.run(
                new LocalIngest.Settings(
                        store, List.of(IngestInput.of(input, false)), false, c, 2, null),
                StreamExecutionEnvironment::getExecutionEnvironment,
                FaultInjector.NONE);
    }

    private static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void getFollowsTheLookupFlowAndNeverServesUnverifiedBytes() throws Exception {
        String ns = "l1get_" + Long.toHexString(System.nanoTime());
        Path in = Files.createDirectories(tmp.resolve("in"));
        // one block; several blocks (1 MiB chunks: 3 leaves and a root); empty.
        Files.write(in.resolve("small.txt"), "hello l1 get\n".getBytes(StandardCharsets.UTF_8));
        Files.write(in.resolve("medium.bin"), random(1, 300_000));
        Files.write(in.resolve("large.bin"), random(2, (5 << 20) / 2));
        Files.write(in.resolve("empty"), new byte[0]);
        Path storeA = tmp.resolve("storeA");
        ingestL1(storeA, ns, in);

        Map<String, String> cidOf = new TreeMap<>(); // content hash -> root CID
        try (LocalStore s = LocalStore.openExisting(storeA)) {
            s.index().forEachContent(c -> cidOf.put(c.contentHash(), c.rootCid()));
        }
        Map<String, Path> fileOf = new TreeMap<>();
        for (String f : List.of("small.txt", "medium.bin", "large.bin", "empty")) {
            fileOf.put(ContentHashes.sha3Hex(in.resolve(f)), in.resolve(f));
        }
        assertThat(cidOf.keySet()).isEqualTo(fileOf.keySet());
        String large = ContentHashes.sha3Hex(in.resolve("large.bin"));
        String medium = ContentHashes.sha3Hex(in.resolve("medium.bin"));
        String small = ContentHashes.sha3Hex(in.resolve("small.txt"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        L1Settings settings = settings(ns, env("L1_REDIS_URL"));

        // Store A answers from its own segments.
        try (L1ContentReader a = new L1ContentReader(storeA, settings)) {
            Result r = a.get(large, out.resolve("a"));
            assertThat(r.tier()).isEqualTo(Tier.LOCAL_STORE);
            assertThat(out.resolve("a")).hasSameBinaryContentAs(fileOf.get(large));
        }

        // An empty store B: each content via Redis + IPFS, then from B's local copy.
        Path storeB = tmp.resolve("storeB");
        try (L1ContentReader b = new L1ContentReader(storeB, settings)) {
            for (String hash : fileOf.keySet()) {
                Path dest = out.resolve(hash);
                Result r = b.get(hash, dest);
                assertThat(r.tier()).as(hash).isEqualTo(Tier.REDIS);
                assertThat(r.contentHash()).isEqualTo(hash);
                assertThat(r.cid()).isEqualTo(cidOf.get(hash));
                assertThat(r.contentHashChecked()).isTrue();
                assertThat(r.blocksFetched()).isGreaterThan(hash.equals(large) ? 3 : 0);
                assertThat(r.notes()).isEmpty();
                assertThat(dest).hasSameBinaryContentAs(fileOf.get(hash));
                assertThat(r.localCopy()).hasSameBinaryContentAs(fileOf.get(hash));

                Path again = out.resolve(hash + ".again");
                Result r2 = b.get(hash, again);
                assertThat(r2.tier()).as(hash).isEqualTo(Tier.LOCAL_COPY);
                assertThat(r2.blocksFetched()).isZero();
                assertThat(again).hasSameBinaryContentAs(fileOf.get(hash));
            }
            // By CID: B's local copy answers through fetched/by-cid/.
            Result byCid = b.get(cidOf.get(medium), out.resolve("medium.by-cid"));
            assertThat(byCid.tier()).isEqualTo(Tier.LOCAL_COPY);
            assertThat(byCid.contentHash()).isEqualTo(medium);
            assertThat(out.resolve("medium.by-cid")).hasSameBinaryContentAs(fileOf.get(medium));

            // A corrupted local copy is detected, deleted and fetched again (never served).
            Path copy = b.localCopy(large);
            byte[] bad = Files.readAllBytes(copy);
            bad[bad.length / 2] ^= 1;
            Files.write(copy, bad);
            Result refetched = b.get(large, out.resolve("large.refetched"));
            assertThat(refetched.tier()).isEqualTo(Tier.REDIS);
            assertThat(refetched.notes()).anyMatch(n -> n.contains("corrupt"));
            assertThat(out.resolve("large.refetched")).hasSameBinaryContentAs(fileOf.get(large));
            assertThat(copy).hasSameBinaryContentAs(fileOf.get(large));
        }

        // Redis entry deleted: PostgreSQL cache_items names the CID.
        try (RedisClient redis = RedisClient.create(env("L1_REDIS_URL"))) {
            assertThat(redis.hdel(ns + ":ipfs_index", medium)).isEqualTo(1);
        }
        Path storeC = tmp.resolve("storeC");
        try (L1ContentReader c = new L1ContentReader(storeC, settings)) {
            Result r = c.get(medium, out.resolve("medium.pg"));
            assertThat(r.tier()).isEqualTo(Tier.POSTGRES);
            assertThat(r.contentHashChecked()).isTrue();
            assertThat(out.resolve("medium.pg")).hasSameBinaryContentAs(fileOf.get(medium));
            assertThat(c.get(medium, out.resolve("medium.pg2")).tier()).isEqualTo(Tier.LOCAL_COPY);

            // A CID argument: PostgreSQL's reverse lookup gives the content hash to check.
            Result byCid = c.get(cidOf.get(large), out.resolve("large.cid"));
            assertThat(byCid.tier()).isEqualTo(Tier.POSTGRES);
            assertThat(byCid.contentHash()).isEqualTo(large);
            assertThat(byCid.contentHashChecked()).isTrue();
            assertThat(out.resolve("large.cid")).hasSameBinaryContentAs(fileOf.get(large));
        }

        // Redis down: PostgreSQL answers, and a note says why.
        try (L1ContentReader d =
                new L1ContentReader(tmp.resolve("storeD"), settings(ns, "redis://127.0.0.1:1"))) {
            Result r = d.get(small, out.resolve("small.redis-down"));
            assertThat(r.tier()).isEqualTo(Tier.POSTGRES);
            assertThat(r.notes()).anyMatch(n -> n.contains("Redis"));
            assertThat(out.resolve("small.redis-down")).hasSameBinaryContentAs(fileOf.get(small));
        }

        // A CID no index names: blocks verified against the CID, SHA3-256 computed.
        try (L1ContentReader e =
                new L1ContentReader(
                        tmp.resolve("storeE"), settings(ns + "x", env("L1_REDIS_URL")))) {
            Result r = e.get(cidOf.get(small), out.resolve("small.ipfs"));
            assertThat(r.tier()).isEqualTo(Tier.IPFS);
            assertThat(r.contentHashChecked()).isFalse();
            assertThat(r.contentHash()).isEqualTo(small);
            assertThat(out.resolve("small.ipfs")).hasSameBinaryContentAs(fileOf.get(small));
        }

        // Nobody has it: a clear not-found naming the hash; nothing written.
        String nobody = "0123456789abcdef".repeat(4);
        Path none = out.resolve("none");
        try (L1ContentReader f = new L1ContentReader(tmp.resolve("storeF"), settings)) {
            assertThatThrownBy(() -> f.get(nobody, none))
                    .isInstanceOf(ContentNotFoundException.class)
                    .hasMessageStartingWith(nobody + ": not found")
                    .hasMessageContaining("Redis " + ns + ":ipfs_index: no entry")
                    .hasMessageContaining("PostgreSQL cache_items");

            // Redis names a CID whose bytes are not the content: reported, nothing written or kept.
            String liar = "fedcba9876543210".repeat(4);
            try (RedisClient redis = RedisClient.create(env("L1_REDIS_URL"))) {
                redis.hset(ns + ":ipfs_index", liar, cidOf.get(small));
            }
            assertThatThrownBy(() -> f.get(liar, none))
                    .isInstanceOf(CorruptContentException.class)
                    .hasMessageStartingWith(liar + ": ")
                    .hasMessageContaining("not to the content hash");
            assertThat(f.localCopy(liar)).doesNotExist();
        }
        assertThat(none).doesNotExist();
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(".tmp"));
        }

        // A corrupt local copy whose content no service knows any more: reported, not served.
        Path storeG = tmp.resolve("storeG");
        try (L1ContentReader g =
                new L1ContentReader(storeG, settings(ns + "x", env("L1_REDIS_URL")))) {
            Path copy = g.localCopy(small);
            Files.createDirectories(copy.getParent());
            Files.writeString(copy, "not the content");
            assertThatThrownBy(() -> g.get(small, none))
                    .isInstanceOf(ContentNotFoundException.class)
                    .hasMessageContaining("is corrupt");
            assertThat(copy).doesNotExist();
            assertThat(none).doesNotExist();
        }

        // The CLI: -v names the step; not found is one line and exit 1. The password from a file,
        // as the README asks (an argument would show in the process list).
        Path passwordFile = Files.writeString(tmp.resolve("pg-password"), pgPassword() + "\n");
        String[] service = {
            "--mode", "l1",
            "--kubo-api", env("L1_KUBO_API"),
            "--redis-url", env("L1_REDIS_URL"),
            "--redis-key-prefix", ns + ":",
            "--pg-url", env("L1_PG_URL"),
            "--pg-user", pgUser(),
            "--pg-password-file", passwordFile.toString(),
            "--pg-schema", ns
        };
        Path storeH = tmp.resolve("storeH");
        String[] ok =
                cli(
                        service,
                        "--store",
                        storeH.toString(),
                        "-v",
                        large,
                        "-o",
                        out.resolve("cli").toString());
        assertThat(ok[0]).isEqualTo("0");
        assertThat(ok[1])
                .contains(large + ": Redis ipfs_index, then IPFS")
                .contains("SHA3-256 verified");
        assertThat(out.resolve("cli")).hasSameBinaryContentAs(fileOf.get(large));
        ok =
                cli(
                        service,
                        "--store",
                        storeH.toString(),
                        "-v",
                        large,
                        "-o",
                        out.resolve("cli2").toString());
        assertThat(ok[0]).isEqualTo("0");
        assertThat(ok[1]).contains(large + ": local copy");
        String[] missing =
                cli(service, "--store", storeH.toString(), nobody, "-o", none.toString());
        assertThat(missing[0]).isEqualTo("1");
        assertThat(missing[1].strip())
                .startsWith("l1 get: " + nobody + ": not found")
                .doesNotContain("\n");
        assertThat(none).doesNotExist();
    }

    /** Runs {@code l1 get}; returns {exit code, standard error}. */
    private static String[] cli(String[] service, String... args) {
        String[] all = new String[1 + service.length + args.length];
        all[0] = "get";
        System.arraycopy(service, 0, all, 1, service.length);
        System.arraycopy(args, 0, all, 1 + service.length, args.length);
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = L1Command.execute(all);
        } finally {
            System.setErr(saved);
        }
        return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
    }
}
