package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.sink.segment.FaultInjector;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.testing.TestServices;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * Two l1-mode jobs at once — a backfill over a whole tree and another over part of it, each with
 * its own local store, sharing Kubo, Redis and PostgreSQL — store each content once: artdag's
 * claims decide which job stores it, the other records a sighting.
 */
class ConcurrentJobsITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path tmp;

    private static Map<String, String> contents(Path store) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (LocalStore s = LocalStore.openExisting(store)) {
            s.index().forEachContent(c -> out.put(c.contentHash(), c.rootCid()));
        }
        return out;
    }

    @Test
    void overlappingJobsStoreEachContentOnce() throws Exception {
        String ns = "l1conc_" + Long.toHexString(System.nanoTime());
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 3);
        Configuration options = L1ModeITCase.options(ns);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> whole = pool.submit(() -> ingest(tmp.resolve("store-a"), options, tree));
            Future<?> part =
                    pool.submit(
                            () -> ingest(tmp.resolve("store-b"), options, tree.resolve("renders")));
            whole.get(300, TimeUnit.SECONDS);
            part.get(300, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        Map<String, String> a = contents(tmp.resolve("store-a"));
        Map<String, String> b = contents(tmp.resolve("store-b"));
        Set<String> both = new HashSet<>(a.keySet());
        both.retainAll(b.keySet());
        assertThat(both).as("contents stored by both jobs").isEmpty();

        Map<String, String> union = new TreeMap<>(a);
        union.putAll(b);
        Set<String> expected = new HashSet<>(JobTestSupport.sha3OfRegularFiles(tree).values());
        assertThat(union.keySet()).isEqualTo(expected);
        try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
            assertThat(new TreeMap<>(redis.hgetAll(ns + ":ipfs_index"))).isEqualTo(union);
        }
        StoreSnapshot.assertSound(tmp.resolve("store-a"));
        StoreSnapshot.assertSound(tmp.resolve("store-b"));
    }

    private static Void ingest(Path store, Configuration options, Path input) throws Exception {
        LocalIngest.run(
                new LocalIngest.Settings(
                        store, List.of(IngestInput.of(input, false)), false, options, 2, null),
                StreamExecutionEnvironment::getExecutionEnvironment,
                FaultInjector.NONE);
        return null;
    }
}
