package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.kubo.KuboTestOps;
import io.artdag.l1.postgres.ProvenanceStore;
import io.artdag.l1.postgres.ProvenanceStoreOptions;
import io.artdag.l1.postgres.ProvenanceTestOps;
import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.segment.FaultInjector;
import io.artdag.l1.sink.segment.SegmentCommittable;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.testing.TestServices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * l1 mode against the real Kubo, Redis and PostgreSQL that deploy/local/services.sh starts: every
 * root pinned, Redis and PostgreSQL agree with the local index, a replay changes nothing, failures
 * during commits change nothing, and at no sampled moment does Redis name a CID that Kubo has not
 * pinned.
 */
class L1ModeITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = JobTestSupport.miniCluster();

    @TempDir Path tmp;

    static String env(String name) {
        return TestServices.get(name);
    }

    static Configuration options(String ns) {
        Configuration c = JobTestSupport.fastOptions();
        c.set(io.artdag.l1.job.IngestOptions.MODE, "l1");
        c.set(L1Options.KUBO_API, env("L1_KUBO_API"));
        c.set(L1Options.REDIS_URL, env("L1_REDIS_URL"));
        c.set(L1Options.REDIS_KEY_PREFIX, ns + ":");
        c.set(L1Options.POSTGRES_URL, env("L1_PG_URL"));
        c.set(L1Options.POSTGRES_USER, TestServices.get("L1_PG_USER"));
        c.set(L1Options.POSTGRES_PASSWORD, TestServices.get("L1_PG_PASSWORD"));
        c.set(L1Options.POSTGRES_SCHEMA, ns);
        return c;
    }

    private void ingest(Path store, Configuration options, FaultInjector faults, Path... in)
            throws Exception {
        List<IngestInput> inputs = new ArrayList<>();
        for (Path p : in) {
            inputs.add(IngestInput.of(p, false));
        }
        LocalIngest.run(
                new LocalIngest.Settings(store, inputs, false, options, 2, null),
                StreamExecutionEnvironment::getExecutionEnvironment,
                faults);
    }

    /** What the services hold for one namespace. */
    private record ServiceState(
            Map<String, String> ipfsIndex,
            long cacheItems,
            long pins,
            long sightings,
            long rejected,
            long itemTypes) {}

    private ServiceState state(String ns) throws Exception {
        Map<String, String> ipfs;
        try (RedisClient redis = RedisClient.create(env("L1_REDIS_URL"))) {
            ipfs = new TreeMap<>(redis.hgetAll(ns + ":ipfs_index"));
        }
        ProvenanceStore pg = provenance(ns);
        return new ServiceState(
                ipfs,
                ProvenanceTestOps.count(pg, "cache_items"),
                ProvenanceTestOps.count(pg, "storage_pins"),
                ProvenanceTestOps.count(pg, "sightings"),
                ProvenanceTestOps.count(pg, "rejected_inputs"),
                ProvenanceTestOps.count(pg, "item_types"));
    }

    private ProvenanceStore provenance(String ns) {
        return new ProvenanceStore(
                ProvenanceStoreOptions.builder()
                        .jdbcUrl(env("L1_PG_URL"))
                        .user(TestServices.get("L1_PG_USER"))
                        .password(TestServices.get("L1_PG_PASSWORD"))
                        .schema(ns)
                        .build());
    }

    static final AtomicInteger COMMITS = new AtomicInteger();

    /**
     * Fails the 2nd and 3rd commit (the 3rd is the re-commit after the first restore) after its
     * local part, before publishing.
     */
    static final class CommitCrashes implements FaultInjector {
        private static final long serialVersionUID = 1L;

        @Override
        public void duringCommit(SegmentCommittable committable) {
            int n = COMMITS.incrementAndGet();
            if (n == 2 || n == 3) {
                throw new RuntimeException("injected failure during commit " + n);
            }
        }
    }

    @Test
    void publishesExactlyOnceAndNeverNamesAnUnpinnedCid() throws Exception {
        String ns = "l1test_" + Long.toHexString(System.nanoTime());
        String nsCrash = ns + "_crash";
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 2);
        Path cache = TestCorpus.cache(tmp.resolve("cache"), tree.resolve("renders/r0/out-6.bin"));
        Path store = tmp.resolve("store");
        KuboClient kubo = KuboTestOps.create(env("L1_KUBO_API"));

        // Sample the invariant while the crashing run publishes.
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> violations = new ArrayList<>();
        AtomicInteger samples = new AtomicInteger();
        Thread sampler =
                new Thread(
                        () -> {
                            try (RedisClient redis = RedisClient.create(env("L1_REDIS_URL"))) {
                                while (running.get()) {
                                    for (var e :
                                            redis.hgetAll(nsCrash + ":ipfs_index").entrySet()) {
                                        if (!kubo.isPinned(e.getValue())) {
                                            violations.add(e.getKey() + " -> " + e.getValue());
                                        }
                                    }
                                    samples.incrementAndGet();
                                    Thread.sleep(50);
                                }
                            } catch (Exception e) {
                                violations.add("sampler failed: " + e);
                            }
                        });
        sampler.start();
        Path crashedStore = tmp.resolve("crashed");
        try {
            ingest(crashedStore, options(nsCrash), new CommitCrashes(), tree, cache);
        } finally {
            running.set(false);
            sampler.join();
        }

        ingest(store, options(ns), FaultInjector.NONE, tree, cache);
        ServiceState clean = state(ns);

        // Every content: root pinned, Redis and PostgreSQL agree with the local index.
        Set<String> hashes = new HashSet<>();
        try (LocalStore s = LocalStore.openExisting(store)) {
            Map<String, String> local = new TreeMap<>();
            s.index().forEachContent(c -> local.put(c.contentHash(), c.rootCid()));
            assertThat(clean.ipfsIndex()).isEqualTo(local);
            for (String cid : local.values()) {
                assertThat(kubo.isPinned(cid)).as(cid + " pinned").isTrue();
            }
            hashes.addAll(local.keySet());
            assertThat(clean.cacheItems()).isEqualTo(local.size());
            assertThat(clean.pins()).isEqualTo(local.size());
            assertThat(clean.sightings()).isEqualTo(s.index().sightings().size());
            // the FIFO, the dangling link, the cache entry with a wrong content_hash
            assertThat(clean.rejected()).isEqualTo(3);
            // one per valid cache entry (node type SEGMENT, its metadata); tree files have none
            assertThat(clean.itemTypes()).isEqualTo(5);
        }
        assertThat(hashes).isNotEmpty();

        // artdag's run status: the run is recorded as completed.
        try (RedisClient redis = RedisClient.create(env("L1_REDIS_URL"))) {
            var runs = redis.keys(ns + ":run:*");
            assertThat(runs).hasSize(1);
            assertThat(redis.get(runs.iterator().next())).contains("\"status\":\"completed\"");
        }

        // A second run over the same inputs changes nothing anywhere.
        ingest(store, options(ns), FaultInjector.NONE, tree, cache);
        assertThat(state(ns)).isEqualTo(clean);

        // The run with failures ends in the same state, and never named an unpinned CID.
        assertThat(COMMITS.get()).isGreaterThanOrEqualTo(4);
        assertThat(state(nsCrash)).isEqualTo(clean);
        assertThat(StoreSnapshot.of(crashedStore)).isEqualTo(StoreSnapshot.of(store));
        assertThat(violations).isEmpty();
        assertThat(samples.get()).isGreaterThan(0);
    }
}
