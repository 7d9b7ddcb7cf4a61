package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.kubo.KuboTestOps;
import io.artdag.l1.sink.segment.FaultInjector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * l1 mode through service outages while it runs — Kubo stopped and restarted, Redis restarted,
 * PostgreSQL's connections killed — ends in the same state as a run without them, and Redis never
 * names a CID Kubo has not pinned. Drives the real services with deploy/local's scripts.
 */
class ServiceOutageITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = JobTestSupport.miniCluster();

    @TempDir Path tmp;

    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    private static void script(String... cmd) throws Exception {
        List<String> c = new ArrayList<>();
        c.add("bash");
        c.add(REPO.resolve("deploy/local").resolve(cmd[0]).toString());
        for (int i = 1; i < cmd.length; i++) {
            c.add(cmd[i]);
        }
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", c) + ":\n" + out).isZero();
    }

    private static void ingest(Path store, Configuration options, Path input) throws Exception {
        LocalIngest.run(
                new LocalIngest.Settings(
                        store, List.of(IngestInput.of(input, false)), false, options, 2, null),
                StreamExecutionEnvironment::getExecutionEnvironment,
                FaultInjector.NONE);
    }

    private static Map<String, String> ipfsIndex(String ns) {
        try (RedisClient redis = RedisClient.create(System.getenv("L1_REDIS_URL"))) {
            return new TreeMap<>(redis.hgetAll(ns + ":ipfs_index"));
        }
    }

    @Test
    void outagesChangeNothing() throws Exception {
        String ns = "l1outage_" + Long.toHexString(System.nanoTime());
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 4);
        Configuration options = L1ModeITCase.options(ns + "_a");
        KuboClient kubo = KuboTestOps.create(System.getenv("L1_KUBO_API"));

        Path clean = tmp.resolve("clean");
        ingest(clean, options, tree);

        Configuration outageOptions = L1ModeITCase.options(ns + "_b");
        Path store = tmp.resolve("outages");
        AtomicBoolean done = new AtomicBoolean();
        List<String> violations = new ArrayList<>();
        List<String> outages = new ArrayList<>();
        Thread chaos =
                new Thread(
                        () -> {
                            try {
                                while (JobTestSupport.committedSegments(store) < 1 && !done.get()) {
                                    Thread.sleep(20);
                                }
                                script("kubo.sh", "stop");
                                outages.add("kubo stopped");
                                Thread.sleep(3000);
                                script("kubo.sh", "start");
                                script("redis.sh", "stop");
                                outages.add("redis restarted");
                                Thread.sleep(1500);
                                script("redis.sh", "start");
                                ProcessBuilder killer =
                                        new ProcessBuilder(
                                                        "psql",
                                                        System.getenv("L1_PG_URL")
                                                                .replace("jdbc:", ""),
                                                        "-U",
                                                        "artdag",
                                                        "-c",
                                                        "SELECT pg_terminate_backend(pid) FROM"
                                                                + " pg_stat_activity WHERE"
                                                                + " datname='artdag' AND pid <>"
                                                                + " pg_backend_pid()")
                                                .redirectErrorStream(true);
                                killer.environment()
                                        .put(
                                                "PGPASSWORD",
                                                System.getenv()
                                                        .getOrDefault("L1_PG_PASSWORD", "artdag"));
                                Process kill = killer.start();
                                kill.getInputStream().readAllBytes();
                                kill.waitFor();
                                outages.add("postgres connections killed");
                            } catch (Exception e) {
                                violations.add("chaos failed: " + e);
                            }
                        });
        Thread sampler =
                new Thread(
                        () -> {
                            while (!done.get()) {
                                try {
                                    for (var e : ipfsIndex(ns + "_b").entrySet()) {
                                        if (!kubo.isPinned(e.getValue())) {
                                            violations.add(e.getKey() + " -> " + e.getValue());
                                        }
                                    }
                                } catch (Exception serviceDown) {
                                    // Kubo or Redis is down right now: nothing to sample
                                }
                                try {
                                    Thread.sleep(100);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        });
        chaos.start();
        sampler.start();
        try {
            ingest(store, outageOptions, tree);
        } finally {
            done.set(true);
            chaos.join();
            sampler.join();
            script("services.sh", "start"); // whatever happened, leave the services running
        }

        assertThat(outages)
                .containsExactly("kubo stopped", "redis restarted", "postgres connections killed");
        assertThat(violations).isEmpty();
        assertThat(StoreSnapshot.of(store)).isEqualTo(StoreSnapshot.of(clean));
        assertThat(ipfsIndex(ns + "_b")).isEqualTo(ipfsIndex(ns + "_a")).isNotEmpty();
        for (String cid : ipfsIndex(ns + "_b").values()) {
            assertThat(kubo.isPinned(cid)).as(cid).isTrue();
        }
        StoreSnapshot.assertSound(store);
    }
}
