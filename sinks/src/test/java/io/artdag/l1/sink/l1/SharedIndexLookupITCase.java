package io.artdag.l1.sink.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.operators.HashedFile;
import io.artdag.l1.testing.TestServices;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * The shared-index lookup before Dedup against the real Redis ({@code L1_REDIS_URL}), run by
 * Flink's async I/O operator in its test harness as l1 mode runs it: content {@code ipfs_index}
 * names comes out cached; new content comes out unmarked, claimed for this run; content another run
 * holds comes out held elsewhere, its claim untouched. Each test uses its own key prefix, reads and
 * writes artdag's keys with a plain Redis client, and deletes its keys afterwards.
 */
class SharedIndexLookupITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** "hello\n" as a raw-leaf CIDv1 (ipfs-car 3.1.0's pack; JsonOutputTest's HELLO_V1). */
    private static final String HELLO_V1 =
            "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am";

    private String prefix;
    private String runId;
    private RedisClient redis;

    /** The lookup's counters, as its operator registers them. */
    private InterceptingOperatorMetricGroup metrics;

    @BeforeEach
    void connect() {
        prefix = "l1-lookup-test:" + UUID.randomUUID() + ":";
        runId = "lookup-run-" + UUID.randomUUID();
        redis = RedisClient.create(URI.create(TestServices.get("L1_REDIS_URL")));
    }

    @AfterEach
    void deleteKeys() {
        try (RedisClient r = redis) {
            String[] keys = r.keys(prefix + "*").toArray(String[]::new);
            if (keys.length > 0) {
                r.del(keys);
            }
        }
    }

    private L1Settings settings() {
        Configuration c = new Configuration();
        c.set(L1Options.REDIS_URL, TestServices.get("L1_REDIS_URL"));
        c.set(L1Options.REDIS_KEY_PREFIX, prefix);
        c.set(L1Options.RUN_ID, runId);
        return L1Settings.fromConfig(c).validate();
    }

    /** The SHA3-256 of {@code text} as the JDK computes it. */
    private static String sha3(String text) throws Exception {
        return HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA3-256")
                                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static HashedFile hashed(String text) throws Exception {
        HashedFile f = new HashedFile();
        f.path = "/out/" + text.strip();
        f.contentHash = sha3(text);
        f.size = text.length();
        f.nodeId = "node-" + text.strip();
        f.nodeType = "T";
        return f;
    }

    /**
     * Runs {@code in} through a {@link SharedIndexLookup} in Flink's async wait operator (ordered,
     * as Flink's AsyncWaitOperatorTest drives it) until the input ends; returns what it emitted.
     */
    private List<HashedFile> lookUp(HashedFile... in) throws Exception {
        metrics = new InterceptingOperatorMetricGroup();
        InterceptingTaskMetricGroup task =
                new InterceptingTaskMetricGroup() {
                    @Override
                    public InternalOperatorMetricGroup getOrAddOperator(
                            OperatorID id, String name, Map<String, String> variables) {
                        return metrics;
                    }
                };
        try (MockEnvironment env = new MockEnvironmentBuilder().setMetricGroup(task).build();
                OneInputStreamOperatorTestHarness<HashedFile, HashedFile> harness =
                        new OneInputStreamOperatorTestHarness<>(
                                new AsyncWaitOperatorFactory<>(
                                        new SharedIndexLookup(settings(), 2),
                                        30_000,
                                        16,
                                        AsyncDataStream.OutputMode.ORDERED),
                                TypeInformation.of(HashedFile.class)
                                        .createSerializer(new SerializerConfigImpl()),
                                env)) {
            harness.open();
            for (HashedFile f : in) {
                harness.processElement(new StreamRecord<>(f));
            }
            harness.endInput(); // waits for every lookup in flight
            return harness.extractOutputValues();
        }
    }

    private long counter(String name) {
        return ((Counter) metrics.get(name)).getCount();
    }

    /** The lookup's counters: contents found cached, and found held by another run. */
    private void assertCounted(long cachedElsewhere, long claimedElsewhere) {
        assertThat(counter("cachedElsewhere")).isEqualTo(cachedElsewhere);
        assertThat(counter("claimedElsewhere")).isEqualTo(claimedElsewhere);
    }

    /** {@code out} is {@code in}, in order, each marked as given. */
    private static void assertEmitted(
            List<HashedFile> out, boolean cached, boolean heldElsewhere, HashedFile... in) {
        assertThat(out)
                .extracting(f -> f.contentHash)
                .containsExactly(Arrays.stream(in).map(f -> f.contentHash).toArray(String[]::new));
        assertThat(out)
                .extracting(f -> f.cached, f -> f.heldElsewhere)
                .containsOnly(tuple(cached, heldElsewhere));
    }

    private String claimKey(String contentHash) {
        return prefix + "claim:" + contentHash;
    }

    /** A claim as artdag writes it: a JSON value with the owner in worker_id, and a TTL. */
    private void claimAs(String owner, String status, String contentHash) throws Exception {
        String now = "2026-01-01T00:00:00+00:00";
        String value =
                JSON.writeValueAsString(
                        Map.of(
                                "cache_id", contentHash,
                                "status", status,
                                "worker_id", owner,
                                "claimed_at", now,
                                "updated_at", now));
        redis.set(claimKey(contentHash), value, SetParams.setParams().px(300_000));
    }

    @Test
    void contentTheSharedIndexNamesComesOutCachedAndIsNotClaimed() throws Exception {
        HashedFile hello = hashed("hello\n");
        redis.hset(prefix + "ipfs_index", hello.contentHash, HELLO_V1);

        List<HashedFile> out = lookUp(hello);

        assertEmitted(out, true, false, hello);
        assertThat(redis.exists(claimKey(hello.contentHash))).isFalse();
        assertCounted(1, 0);
    }

    @Test
    void newContentIsClaimedForThisRun() throws Exception {
        HashedFile a = hashed("new content a\n");
        HashedFile b = hashed("new content b\n");

        List<HashedFile> out = lookUp(a, b);

        assertEmitted(out, false, false, a, b);
        for (HashedFile f : List.of(a, b)) {
            JsonNode claim = JSON.readTree(redis.get(claimKey(f.contentHash)));
            assertThat(claim.get("worker_id").asText()).isEqualTo(runId);
            assertThat(claim.get("status").asText()).isEqualTo("claimed");
            assertThat(claim.get("cache_id").asText()).isEqualTo(f.contentHash);
            assertThat(redis.pttl(claimKey(f.contentHash))).isBetween(1L, 300_000L);
        }
        assertCounted(0, 0);
    }

    @Test
    void contentAnotherRunHoldsComesOutHeldElsewhereAndItsClaimStaysItsOwn() throws Exception {
        HashedFile held = hashed("held by another run\n");
        claimAs("another-run", "running", held.contentHash);
        String before = redis.get(claimKey(held.contentHash));

        List<HashedFile> out = lookUp(held);

        assertEmitted(out, false, true, held);
        assertThat(redis.get(claimKey(held.contentHash))).isEqualTo(before);
        assertCounted(0, 1);
    }

    @Test
    void aClaimThisRunHoldsOrOneFinishedWithoutAnIndexEntryLetsTheContentThrough()
            throws Exception {
        // This run's claim from before a restore (it keeps its run id), and a claim another run
        // finished without ipfs_index naming the content: neither is an answer, so the content
        // goes on to Dedup unmarked.
        HashedFile ours = hashed("claimed by this run before a restore\n");
        claimAs(runId, "claimed", ours.contentHash);
        HashedFile finished = hashed("finished elsewhere, never indexed\n");
        claimAs("another-run", "completed", finished.contentHash);

        List<HashedFile> out = lookUp(ours, finished);

        assertEmitted(out, false, false, ours, finished);
        assertThat(JSON.readTree(redis.get(claimKey(ours.contentHash))).get("worker_id").asText())
                .isEqualTo(runId);
        assertCounted(0, 0);
    }
}
