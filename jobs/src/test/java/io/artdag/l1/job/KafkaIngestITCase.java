package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * l1 mode over renderer output events on the real Kafka broker (deploy/local/kafka.sh), Kubo, Redis
 * and PostgreSQL: a few hundred events with duplicates and bad events mixed in. Every good output
 * is stored once and every bad event is a rejection with its reason; a SIGKILL of the job
 * mid-stream (events produced while it is down) and a broker killed and restarted mid-stream end in
 * the whole final state of the run without a fault.
 */
class KafkaIngestITCase {
    private static final int DISTINCT = 160;
    private static final int DUPLICATES = 40;

    @TempDir static Path work;

    private static Path root;
    private static List<String> events;
    private static Set<String> expectedHashes;
    private static Map<String, Set<String>> nodeIdsByHash;
    private static Set<String> expectedRuns;
    private static Set<String> expectedItemTypes;
    private static int goodEvents;
    private static int badEvents;
    private static Normalized clean;

    @BeforeAll
    static void corpus() throws Exception {
        root = Files.createDirectories(work.resolve("renders"));
        Path outside = Files.createDirectories(work.resolve("outside")).resolve("secret.txt");
        Files.writeString(outside, "not to be read");
        Files.createSymbolicLink(root.resolve("link-out"), outside);
        Random rnd = new Random(11);
        List<Path> distinct = new ArrayList<>();
        expectedHashes = new TreeSet<>();
        nodeIdsByHash = new TreeMap<>();
        expectedRuns = new TreeSet<>();
        expectedItemTypes = new TreeSet<>();
        List<String> good = new ArrayList<>();
        for (int i = 0; i < DISTINCT + DUPLICATES; i++) {
            Path f = root.resolve("run" + (i % 7)).resolve("out-" + i + ".bin");
            Files.createDirectories(f.getParent());
            if (i < DISTINCT) {
                int size = i % 40 == 0 ? (1 << 20) + rnd.nextInt(2 << 20) : rnd.nextInt(64 << 10);
                byte[] b = new byte[size];
                rnd.nextBytes(b);
                Files.write(f, b);
                distinct.add(f);
            } else {
                Files.copy(distinct.get(rnd.nextInt(distinct.size())), f);
            }
            String hash = sha3(f);
            expectedHashes.add(hash);
            nodeIdsByHash.computeIfAbsent(hash, h -> new TreeSet<>()).add("n" + i);
            boolean withRun = i % 4 == 1;
            String run =
                    withRun
                            ? ",\"run_id\":\"run-"
                                    + i
                                    + "\",\"recipe\":\"recipe-x\",\"inputs\":[\"in-"
                                    + i
                                    + "\"],\"actor_id\":\"alice\""
                            : "";
            if (withRun) {
                // The CID is filled in from Redis once the run is done.
                expectedRuns.add(
                        "run-" + i + " " + hash + " CID recipe-x [\"in-" + i + "\"] alice");
            }
            expectedItemTypes.add(hash + " " + (withRun ? "alice" : "artdag-l1") + " render");
            good.add(
                    "{\"node_id\":\"n"
                            + i
                            + "\",\"uri\":\""
                            + f.toUri()
                            + "\",\"node_type\":\"render\",\"metadata\":{\"i\":"
                            + i
                            + "}"
                            + (i % 3 == 0 ? ",\"content_hash\":\"" + hash + "\"" : "")
                            + run
                            + "}");
        }
        Path wrongHash = root.resolve("wrong-hash.bin");
        Files.copy(distinct.get(0), wrongHash);
        List<String> bad =
                List.of(
                        "{\"node_id\": \"broken",
                        "[\"not an object\"]",
                        "{\"node_id\":\"b1\"}",
                        "{\"uri\":\"" + distinct.get(1).toUri() + "\"}",
                        "{\"node_id\":\"../b2\",\"uri\":\"" + distinct.get(1).toUri() + "\"}",
                        "{\"node_id\":\"b3\",\"uri\":\"file:///etc/hostname\"}",
                        "{\"node_id\":\"b4\",\"uri\":\"" + root.resolve("link-out").toUri() + "\"}",
                        "{\"node_id\":\"b5\",\"uri\":\""
                                + root.resolve("missing.bin").toUri()
                                + "\"}",
                        "{\"node_id\":\"b6\",\"uri\":\""
                                + wrongHash.toUri()
                                + "\",\"content_hash\":\""
                                + "0".repeat(64)
                                + "\"}",
                        "{\"node_id\":\"b7\",\"uri\":\"s3://bucket/a.bin\"}");
        events = new ArrayList<>(good);
        for (int i = 0; i < bad.size(); i++) {
            events.add((i + 1) * 19, bad.get(i));
        }
        goodEvents = good.size();
        badEvents = bad.size();
        clean = run("clean", Fault.NONE);
    }

    enum Fault {
        NONE,
        SIGKILL,
        BROKER_KILLED
    }

    @Test
    void everyGoodOutputStoredOnceAndEveryBadEventRejected() throws Exception {
        assertThat(clean.ipfsIndex.keySet()).isEqualTo(expectedHashes);
        assertThat(clean.contentIndex.keySet()).isEqualTo(expectedHashes);
        clean.contentIndex.forEach(
                (hash, node) -> assertThat(nodeIdsByHash.get(hash)).as(hash).contains(node));
        assertThat(clean.state.store().contents()).hasSize(expectedHashes.size());
        assertThat(clean.state.store().sightings()).hasSize(goodEvents);
        assertThat(clean.state.sightings()).hasSize(goodEvents);
        for (String cid : clean.ipfsIndex.values()) {
            assertThat(FaultHarness.pinnedRecursively(cid)).as("pinned " + cid).isTrue();
        }
        assertThat(clean.state.rejected()).hasSize(badEvents);
        String rejections = String.join("\n", clean.state.rejected());
        assertThat(rejections)
                .contains("bad event: not valid JSON (")
                .contains("bad event: not a JSON object (kafka TOPIC/")
                .contains("bad event: no uri (kafka TOPIC/")
                .contains("bad event: no node_id (kafka TOPIC/")
                .contains("bad metadata: unsafe node_id '../b2' (kafka TOPIC/")
                .contains(
                        "/etc/hostname :: outside the allowed roots (l1.kafka.allowed-roots):"
                                + " /etc/hostname (kafka TOPIC/")
                .contains(
                        "link-out :: outside the input root: "
                                + work.resolve("outside/secret.txt").toRealPath())
                .contains("missing.bin :: vanished: the file no longer exists (kafka TOPIC/")
                .contains("wrong-hash.bin :: bad metadata: declared content_hash 0000")
                .contains("only file:// URIs are read (scheme 's3') (kafka TOPIC/");
        // Every rejection names its position: topic, partition and offset.
        assertThat(clean.state.rejected())
                .allMatch(r -> r.matches(".*\\(kafka TOPIC/\\d+@\\d+\\)$"));
        assertThat(clean.state.store().rejections()).hasSize(badEvents);
    }

    @Test
    void runsAreRecordedWithTheirPinnedCids() {
        Set<String> expected = new TreeSet<>();
        for (String r : expectedRuns) {
            String hash = r.split(" ")[1];
            expected.add(r.replace(" CID ", " " + clean.ipfsIndex.get(hash) + " "));
        }
        assertThat(clean.runCache).isEqualTo(expected);
        assertThat(clean.itemTypes).isEqualTo(expectedItemTypes);
    }

    @Test
    void sigkillMidStreamThenRestartEndsInTheFaultFreeState() throws Exception {
        assertSameAsClean(run("kill", Fault.SIGKILL));
    }

    @Test
    void aBrokerKilledAndRestartedMidStreamIsWaitedOut() throws Exception {
        assertSameAsClean(run("broker", Fault.BROKER_KILLED));
    }

    /** Renderers may start after the store: a topic that does not exist yet is waited for. */
    @Test
    void aTopicThatDoesNotExistYetIsWaitedFor() throws Exception {
        String id = "late" + Long.toHexString(System.nanoTime());
        FaultHarness.Mode mode = new FaultHarness.Mode("local", null);
        Path store = work.resolve("store-" + id);
        Path logs = work.resolve("logs-" + id);
        List<String> args = new ArrayList<>(FaultHarness.ingestArgs(mode, store, root));
        args.remove(args.size() - 1);
        args.addAll(
                List.of(
                        "--kafka-bootstrap",
                        bootstrap(),
                        "--kafka-group",
                        id,
                        "--kafka-allowed-root",
                        root.toString(),
                        "kafka://" + id));
        Process p = FaultHarness.startCli(logs, args);
        try {
            // Running, checkpointing, and the topic still absent.
            FaultHarness.awaitWhileRunning(
                    p,
                    () -> java.nio.file.Files.isDirectory(store.resolve("checkpoints")),
                    "the job to run",
                    logs);
            // Longer than a local run's restarts (l1.restart.attempts 10, 500 ms apart) last.
            Thread.sleep(12_000);
            assertThat(p.isAlive()).as("still running without its topic, logs in " + logs).isTrue();
            produce(id, events.subList(0, 20)); // auto-creates the topic
            FaultHarness.awaitWhileRunning(
                    p,
                    () -> {
                        try {
                            StoreSnapshot s = StoreSnapshot.of(store);
                            return s.sightings().size() + s.rejections().size() >= 20;
                        } catch (Exception e) {
                            return false;
                        }
                    },
                    "the late topic's events",
                    logs);
        } finally {
            p.destroy();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        try (java.util.stream.Stream<Path> logFiles = Files.list(logs)) {
            for (Path log : logFiles.toList()) {
                assertThat(Files.readString(log))
                        .as("no failover for want of the topic (" + log + ")")
                        .doesNotContain("UnknownTopicOrPartitionException");
            }
        }
    }

    @Test
    void aKafkaInputWithoutAllowedRootsIsAClearError() {
        FaultHarness.Cli r =
                FaultHarness.cli(
                        "ingest",
                        "--quiet",
                        "--store",
                        work.resolve("no-roots").toString(),
                        "--kafka-bootstrap",
                        TestServices.get("L1_KAFKA_BOOTSTRAP"),
                        "kafka://renders");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .contains(
                        "l1 ingest: kafka://renders: l1.kafka.allowed-roots is not set (the l1"
                                + " CLI: --kafka-allowed-root DIR)");
    }

    private static void assertSameAsClean(Normalized faulted) {
        assertThat(faulted.state).isEqualTo(clean.state);
        assertThat(faulted.ipfsIndex).isEqualTo(clean.ipfsIndex);
        assertThat(faulted.runCache).isEqualTo(clean.runCache);
        assertThat(faulted.itemTypes).isEqualTo(clean.itemTypes);
        faulted.contentIndex.forEach(
                (hash, node) -> assertThat(nodeIdsByHash.get(hash)).as(hash).contains(node));
    }

    /** A run's final state with the topic's name replaced, and its Redis indexes. */
    record Normalized(
            FaultHarness.FinalState state,
            Map<String, String> ipfsIndex,
            Map<String, String> contentIndex,
            Set<String> runCache,
            Set<String> itemTypes) {}

    private static Normalized run(String name, Fault fault) throws Exception {
        String id = name + Long.toHexString(System.nanoTime());
        String topic = "renders-" + id;
        FaultHarness.Mode mode = new FaultHarness.Mode("l1", "kafka_" + id);
        Path store = work.resolve("store-" + id);
        Path logs = work.resolve("logs-" + id);
        createTopic(topic);
        List<String> args = new ArrayList<>(FaultHarness.ingestArgs(mode, store, root));
        args.remove(args.size() - 1); // the directory input
        args.addAll(
                List.of(
                        "--kafka-bootstrap",
                        bootstrap(),
                        "--kafka-group",
                        "g-" + id,
                        "--kafka-allowed-root",
                        root.toString(),
                        "kafka://" + topic));
        int half = events.size() / 2;
        produce(topic, events.subList(0, half));
        Process p = FaultHarness.startCli(logs, args);
        switch (fault) {
            case NONE:
                produce(topic, events.subList(half, events.size()));
                break;
            case SIGKILL:
                FaultHarness.awaitWhileRunning(
                        p, () -> indexed(mode) >= 30, "30 contents indexed", logs);
                FaultHarness.sigkill(p);
                produce(topic, events.subList(half, events.size()));
                Thread.sleep(3000);
                p = FaultHarness.startCli(logs, args);
                break;
            case BROKER_KILLED:
                FaultHarness.awaitWhileRunning(
                        p, () -> indexed(mode) >= 30, "30 contents indexed", logs);
                FaultHarness.script("kafka.sh", "kill");
                Thread.sleep(8000);
                FaultHarness.script("kafka.sh", "start");
                produce(topic, events.subList(half, events.size()));
                break;
            default:
                throw new AssertionError(fault);
        }
        Process running = p;
        FaultHarness.awaitWhileRunning(
                running, () -> complete(mode, store), "every event ingested", logs);
        running.destroy(); // SIGTERM: stops the run as Ctrl-C does
        assertThat(running.waitFor(120, TimeUnit.SECONDS)).as("stopped, logs in " + logs).isTrue();
        StoreSnapshot.assertSound(store);
        FaultHarness.FinalState s = FaultHarness.state(mode, store);
        Map<String, String> ipfs;
        Map<String, String> content;
        try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
            ipfs = new TreeMap<>(redis.hgetAll(mode.ns() + ":ipfs_index"));
            content = new TreeMap<>(redis.hgetAll(mode.ns() + ":content_index"));
        }
        // Which node id maps a duplicated content depends on arrival order (first mapping
        // wins); the test above checks that it is one of that content's node ids.
        TreeMap<String, String> contentKeys = new TreeMap<>();
        content.keySet().forEach(k -> contentKeys.put(k, "?"));
        FaultHarness.FinalState normalized =
                new FaultHarness.FinalState(
                        new StoreSnapshot(
                                s.store().contents(),
                                s.store().sightings(),
                                s.store().rejections().stream()
                                        .map(r -> r.replace(topic, "TOPIC"))
                                        .sorted()
                                        .toList()),
                        contentKeys,
                        s.ipfsIndex(),
                        s.cacheItems(),
                        s.storagePins(),
                        s.sightings(),
                        s.rejected().stream()
                                .map(r -> r.replace(topic, "TOPIC"))
                                .collect(Collectors.toCollection(TreeSet::new)));
        return new Normalized(
                normalized,
                ipfs,
                content,
                rows(
                        mode,
                        "SELECT run_id || ' ' || output_hash || ' ' || coalesce(ipfs_cid, 'null')"
                                + " || ' ' || recipe || ' ' || inputs::text || ' ' || actor_id"
                                + " FROM run_cache"),
                // Which metadata a (content, actor, type) row keeps depends on arrival order.
                rows(
                        mode,
                        "SELECT content_hash || ' ' || actor_id || ' ' || type FROM item_types"));
    }

    private static Set<String> rows(FaultHarness.Mode mode, String sql) throws Exception {
        return FaultHarness.rows(mode, sql);
    }

    private static boolean complete(FaultHarness.Mode mode, Path store) {
        try {
            if (indexed(mode) < expectedHashes.size()
                    || count(mode, "sightings") < goodEvents
                    || count(mode, "rejected_inputs") < badEvents
                    || count(mode, "run_cache") < expectedRuns.size()
                    || count(mode, "item_types") < expectedItemTypes.size()) {
                return false;
            }
            StoreSnapshot local = StoreSnapshot.of(store);
            return local.sightings().size() >= goodEvents && local.rejections().size() >= badEvents;
        } catch (Exception e) {
            return false; // not there yet (schema not migrated, index not created)
        }
    }

    private static long indexed(FaultHarness.Mode mode) {
        try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
            return redis.hlen(mode.ns() + ":ipfs_index");
        }
    }

    private static long count(FaultHarness.Mode mode, String table) throws Exception {
        try (Connection c = FaultHarness.pg();
                Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + mode.ns());
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String bootstrap() {
        return TestServices.get("L1_KAFKA_BOOTSTRAP");
    }

    private static void createTopic(String topic) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    private static void produce(String topic, List<String> values) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            int i = 0;
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, "k" + (i++ % 5), v)).get();
            }
        }
    }

    private static String sha3(Path f) throws Exception {
        // The JDK's SHA3-256, independent of the implementation the job picks.
        MessageDigest md = MessageDigest.getInstance("SHA3-256");
        return HexFormat.of().formatHex(md.digest(Files.readAllBytes(f)));
    }
}
