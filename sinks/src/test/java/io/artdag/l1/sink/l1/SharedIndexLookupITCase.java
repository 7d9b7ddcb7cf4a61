package io.artdag.l1.sink.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.operators.HashedFile;
import io.artdag.l1.postgres.ProvenanceStore;
import io.artdag.l1.postgres.ProvenanceStoreOptions;
import io.artdag.l1.testing.TestServices;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The shared-index lookup before Dedup against the real Redis ({@code L1_REDIS_URL}) and PostgreSQL
 * ({@code L1_PG_URL}), run by Flink's async I/O operator in its test harness as l1 mode runs it:
 * content {@code ipfs_index} names comes out cached, and so does content only artdag's {@code
 * cache_items} names; new content comes out unmarked, claimed for this run; content another run
 * holds comes out held elsewhere, its claim untouched. Lookups arriving together are answered in
 * batches. Each test uses its own key prefix and PostgreSQL schema (migrated, dropped afterwards),
 * reads and writes artdag's keys and rows with plain clients, and deletes its keys afterwards.
 */
class SharedIndexLookupITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** "hello\n" as a raw-leaf CIDv1 (ipfs-car 3.1.0's pack; JsonOutputTest's HELLO_V1). */
    private static final String HELLO_V1 =
            "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am";

    private String prefix;
    private String runId;
    private String schema;
    private RedisClient redis;

    /** The lookup's counters, as its operator registers them. */
    private InterceptingOperatorMetricGroup metrics;

    @BeforeEach
    void connect() {
        prefix = "l1-lookup-test:" + UUID.randomUUID() + ":";
        runId = "lookup-run-" + UUID.randomUUID();
        schema = "lookup_test_" + UUID.randomUUID().toString().replace("-", "");
        redis = RedisClient.create(URI.create(TestServices.get("L1_REDIS_URL")));
        new ProvenanceStore(settings().postgres()).migrate();
    }

    @AfterEach
    void deleteKeys() throws Exception {
        try (RedisClient r = redis) {
            String[] keys = r.keys(prefix + "*").toArray(String[]::new);
            if (keys.length > 0) {
                r.del(keys);
            }
        }
        try (Connection c = postgres();
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private L1Settings settings() {
        return settings(TestServices.get("L1_PG_URL"));
    }

    private L1Settings settings(String postgresUrl) {
        Configuration c = new Configuration();
        c.set(L1Options.REDIS_URL, TestServices.get("L1_REDIS_URL"));
        c.set(L1Options.REDIS_KEY_PREFIX, prefix);
        c.set(L1Options.RUN_ID, runId);
        c.set(L1Options.POSTGRES_URL, postgresUrl);
        c.set(L1Options.POSTGRES_USER, TestServices.get("L1_PG_USER"));
        c.set(L1Options.POSTGRES_PASSWORD, TestServices.get("L1_PG_PASSWORD"));
        c.set(L1Options.POSTGRES_SCHEMA, schema);
        return L1Settings.fromConfig(c).validate();
    }

    /** A plain JDBC connection to the test's schema. */
    private Connection postgres() throws Exception {
        ProvenanceStoreOptions o = settings().postgres();
        Connection c = DriverManager.getConnection(o.jdbcUrl(), o.user(), o.password());
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
        }
        return c;
    }

    /** A {@code cache_items} row as artdag writes it, with plain SQL. */
    private void cacheItem(String contentHash, String ipfsCid) throws Exception {
        try (Connection c = postgres();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO cache_items (content_hash, ipfs_cid) VALUES (?, ?)")) {
            ps.setString(1, contentHash);
            ps.setString(2, ipfsCid);
            ps.executeUpdate();
        }
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
        Run r = run(new SharedIndexLookup(settings(), 2), 16, 30_000, in);
        assertThat(r.failure()).isEmpty();
        return r.out();
    }

    /** What a run of the operator emitted, and what it failed the task with. */
    private record Run(List<HashedFile> out, Optional<Throwable> failure) {}

    /**
     * Runs {@code in} through {@code lookup} in the async wait operator with {@code capacity}
     * records in flight and a timeout of {@code timeoutMs} per record, until the input ends.
     */
    private Run run(SharedIndexLookup lookup, int capacity, long timeoutMs, HashedFile... in)
            throws Exception {
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
                                        lookup,
                                        timeoutMs,
                                        capacity,
                                        AsyncDataStream.OutputMode.ORDERED),
                                TypeInformation.of(HashedFile.class)
                                        .createSerializer(new SerializerConfigImpl()),
                                env)) {
            env.setExpectedExternalFailureCause(Throwable.class);
            harness.open();
            for (HashedFile f : in) {
                harness.processElement(new StreamRecord<>(f));
            }
            harness.endInput(); // waits for every lookup in flight
            return new Run(
                    harness.extractOutputValues(),
                    env.getActualExternalFailureCause().map(t -> (Throwable) t));
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

    /** A CID for {@code cache_items} and {@code ipfs_index} rows (the index does not read it). */
    private static String cid(int i) {
        return HELLO_V1.substring(0, HELLO_V1.length() - 6) + String.format("%06d", i);
    }

    private static List<HashedFile> contents(String kind, int n) throws Exception {
        List<HashedFile> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(hashed(kind + " " + i + "\n"));
        }
        return out;
    }

    /** {@code out} holds exactly the contents of {@code expected}, each marked as given. */
    private static void assertMarked(
            List<HashedFile> out, List<HashedFile> expected, boolean cached, boolean held) {
        List<String> hashes = expected.stream().map(f -> f.contentHash).toList();
        assertThat(out)
                .filteredOn(f -> hashes.contains(f.contentHash))
                .hasSize(expected.size())
                .extracting(f -> f.cached, f -> f.heldElsewhere)
                .containsOnly(tuple(cached, held));
    }

    /** Redis' count of {@code command} calls since its start ({@code INFO commandstats}). */
    private long redisCalls(String command) {
        Matcher m =
                Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
                        .matcher(redis.info("commandstats"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void aBatchOfMixedContentsIsAnsweredContentByContent() throws Exception {
        List<HashedFile> indexed = contents("in ipfs_index", 40);
        List<HashedFile> inPostgres = contents("only in cache_items", 12);
        List<HashedFile> held = contents("held by another run", 10);
        List<HashedFile> ours = contents("claimed by this run before", 8);
        List<HashedFile> finished = contents("finished elsewhere, never indexed", 6);
        List<HashedFile> fresh = contents("new", 60);
        for (int i = 0; i < indexed.size(); i++) {
            redis.hset(prefix + "ipfs_index", indexed.get(i).contentHash, cid(i));
        }
        for (int i = 0; i < inPostgres.size(); i++) {
            cacheItem(inPostgres.get(i).contentHash, cid(1000 + i));
        }
        for (HashedFile f : held) {
            claimAs("another-run", "running", f.contentHash);
        }
        for (HashedFile f : ours) {
            claimAs(runId, "claimed", f.contentHash);
        }
        for (HashedFile f : finished) {
            claimAs("another-run", "completed", f.contentHash);
        }
        Map<String, String> heldBefore = new java.util.HashMap<>();
        for (HashedFile f : held) {
            heldBefore.put(f.contentHash, redis.get(claimKey(f.contentHash)));
        }
        List<HashedFile> all = new ArrayList<>();
        for (List<HashedFile> l : List.of(indexed, inPostgres, held, ours, finished, fresh)) {
            all.addAll(l);
        }
        Collections.shuffle(all, new Random(42));

        Run r =
                run(
                        new SharedIndexLookup(settings(), 2, 256, Duration.ofMillis(50), true),
                        256,
                        30_000,
                        all.toArray(HashedFile[]::new));

        assertThat(r.failure()).isEmpty();
        assertThat(r.out())
                .extracting(f -> f.contentHash)
                .containsExactly(all.stream().map(f -> f.contentHash).toArray(String[]::new));
        assertMarked(r.out(), indexed, true, false);
        assertMarked(r.out(), inPostgres, true, false);
        assertMarked(r.out(), held, false, true);
        assertMarked(r.out(), ours, false, false);
        assertMarked(r.out(), finished, false, false);
        assertMarked(r.out(), fresh, false, false);

        // Redis as artdag reads it: new content claimed for this run with artdag's value and
        // TTL; this run's own claims still its own; contents either index names, and the claims
        // of others, left alone.
        for (HashedFile f : fresh) {
            JsonNode claim = JSON.readTree(redis.get(claimKey(f.contentHash)));
            assertThat(claim.get("worker_id").asText()).isEqualTo(runId);
            assertThat(claim.get("status").asText()).isEqualTo("claimed");
            assertThat(claim.get("cache_id").asText()).isEqualTo(f.contentHash);
            assertThat(claim.get("claimed_at").asText())
                    .isEqualTo(claim.get("updated_at").asText());
            assertThat(claim.size()).isEqualTo(5);
            assertThat(redis.pttl(claimKey(f.contentHash))).isBetween(240_000L, 300_000L);
        }
        for (HashedFile f : ours) {
            JsonNode claim = JSON.readTree(redis.get(claimKey(f.contentHash)));
            assertThat(claim.get("worker_id").asText()).isEqualTo(runId);
            assertThat(redis.pttl(claimKey(f.contentHash))).isBetween(240_000L, 300_000L);
        }
        for (HashedFile f : held) {
            assertThat(redis.get(claimKey(f.contentHash))).isEqualTo(heldBefore.get(f.contentHash));
        }
        for (HashedFile f : finished) {
            assertThat(JSON.readTree(redis.get(claimKey(f.contentHash))).get("status").asText())
                    .isEqualTo("completed");
        }
        for (HashedFile f : indexed) {
            assertThat(redis.exists(claimKey(f.contentHash))).isFalse();
        }
        for (HashedFile f : inPostgres) {
            assertThat(redis.exists(claimKey(f.contentHash))).isFalse();
        }
        assertCounted(indexed.size() + inPostgres.size(), held.size());
        assertThat(counter("cachedInPostgres")).isEqualTo(inPostgres.size());
        // 136 contents, all in flight at once: a few batches, not one round trip per content
        assertThat(counter("lookupBatches")).isBetween(1L, 8L);
    }

    @Test
    void contentOnlyPostgresNamesWithACidComesOutCachedAndIsNotClaimed() throws Exception {
        HashedFile hello = hashed("hello\n");
        cacheItem(hello.contentHash, HELLO_V1);
        // a row without a CID names nothing as published: the content is claimed as new
        HashedFile noCid = hashed("a cache_items row without a CID\n");
        cacheItem(noCid.contentHash, "");

        List<HashedFile> out = lookUp(hello, noCid);

        assertThat(out)
                .extracting(f -> f.contentHash)
                .containsExactly(hello.contentHash, noCid.contentHash);
        assertThat(out)
                .extracting(f -> f.cached, f -> f.heldElsewhere)
                .containsExactly(tuple(true, false), tuple(false, false));
        assertThat(redis.exists(claimKey(hello.contentHash))).isFalse();
        assertThat(JSON.readTree(redis.get(claimKey(noCid.contentHash))).get("worker_id").asText())
                .isEqualTo(runId);
        assertCounted(1, 0);
        assertThat(counter("cachedInPostgres")).isEqualTo(1);
    }

    @Test
    void theFallbackCanBeTurnedOff() throws Exception {
        HashedFile hello = hashed("hello\n");
        cacheItem(hello.contentHash, HELLO_V1);

        Run r =
                run(
                        new SharedIndexLookup(settings(), 2, 256, Duration.ofMillis(5), false),
                        16,
                        30_000,
                        hello);

        assertThat(r.failure()).isEmpty();
        assertEmitted(r.out(), false, false, hello);
        assertThat(redis.exists(claimKey(hello.contentHash))).isTrue();
    }

    @Test
    void lookupsArrivingTogetherShareOneRoundTripPerBatch() throws Exception {
        // 256 new contents in flight at once, batches of 64 and a linger far longer than the
        // test: every batch is sent because it is full, so exactly 4 batches, 4 HMGETs on
        // ipfs_index (and no HGET per content) and 4 claim script calls.
        List<HashedFile> fresh = contents("batched", 256);
        for (int i = 0; i < 64; i++) {
            redis.hset(prefix + "ipfs_index", fresh.get(4 * i).contentHash, cid(i));
        }
        long hmgetBefore = redisCalls("hmget");
        long evalBefore = redisCalls("evalsha") + redisCalls("eval");

        Run r =
                run(
                        new SharedIndexLookup(settings(), 2, 64, Duration.ofMinutes(5), true),
                        256,
                        60_000,
                        fresh.toArray(HashedFile[]::new));

        long hmget = redisCalls("hmget") - hmgetBefore;
        long eval = redisCalls("evalsha") + redisCalls("eval") - evalBefore;
        assertThat(r.failure()).isEmpty();
        assertThat(r.out()).hasSize(256);
        assertThat(r.out()).filteredOn(f -> f.cached).hasSize(64);
        // other jobs may use the same Redis meanwhile: bounds, far below one per content
        assertThat(hmget).isBetween(4L, 16L);
        assertThat(eval).isBetween(4L, 64L);
        assertThat(counter("lookupBatches")).isEqualTo(4);
        assertCounted(64, 0);
        for (int i = 0; i < 256; i++) {
            assertThat(redis.exists(claimKey(fresh.get(i).contentHash))).isEqualTo(i % 4 != 0);
        }
    }

    @Test
    void aLoneContentIsAnsweredAfterTheLingerNotHeldForABatch() throws Exception {
        HashedFile a = hashed("alone\n");
        long start = System.nanoTime();

        Run r =
                run(
                        new SharedIndexLookup(settings(), 2, 256, Duration.ofMillis(200), true),
                        16,
                        30_000,
                        a);

        assertThat(r.failure()).isEmpty();
        assertEmitted(r.out(), false, false, a);
        // endInput returned: the batch was sent without filling up (with the harness' start-up)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(counter("lookupBatches")).isEqualTo(1);
    }

    @Test
    void postgresUnreachableIsWaitedOutNotSkipped() throws Exception {
        // Nothing listens on port 1: the fallback cannot answer, so the content is neither
        // claimed nor let through; the lookup asks again until the operator's timeout fails it.
        // The harness' processing time is set by the test: the timeout fires when it says so.
        HashedFile a = hashed("asked while PostgreSQL is down\n");
        metrics = new InterceptingOperatorMetricGroup();
        InterceptingTaskMetricGroup task =
                new InterceptingTaskMetricGroup() {
                    @Override
                    public InternalOperatorMetricGroup getOrAddOperator(
                            OperatorID id, String name, Map<String, String> variables) {
                        return metrics;
                    }
                };
        SharedIndexLookup lookup =
                new SharedIndexLookup(
                        settings("jdbc:postgresql://127.0.0.1:1/artdag"),
                        2,
                        256,
                        Duration.ofMillis(5),
                        true);
        try (MockEnvironment env = new MockEnvironmentBuilder().setMetricGroup(task).build();
                OneInputStreamOperatorTestHarness<HashedFile, HashedFile> harness =
                        new OneInputStreamOperatorTestHarness<>(
                                new AsyncWaitOperatorFactory<>(
                                        lookup, 60_000, 16, AsyncDataStream.OutputMode.ORDERED),
                                TypeInformation.of(HashedFile.class)
                                        .createSerializer(new SerializerConfigImpl()),
                                env)) {
            env.setExpectedExternalFailureCause(Throwable.class);
            harness.setProcessingTime(0);
            harness.open();
            harness.processElement(new StreamRecord<>(a));
            Thread.sleep(1_500); // three rounds of asking
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(env.getActualExternalFailureCause()).isEmpty();
            assertThat(redis.exists(claimKey(a.contentHash))).isFalse();
            assertThat(counter("lookupRetries")).isGreaterThanOrEqualTo(2);

            harness.setProcessingTime(60_001); // the async timeout
            harness.endInput();

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(env.getActualExternalFailureCause()).isPresent();
            Throwable failure = env.getActualExternalFailureCause().get();
            assertThat(failure).hasRootCauseInstanceOf(TimeoutException.class);
            assertThat(failure)
                    .rootCause()
                    .hasMessageContaining(a.contentHash)
                    .hasMessageContaining("PostgreSQL stayed unreachable");
        }
        assertThat(redis.exists(claimKey(a.contentHash))).isFalse();
        assertThat(counter("cachedElsewhere")).isZero();
    }
}
