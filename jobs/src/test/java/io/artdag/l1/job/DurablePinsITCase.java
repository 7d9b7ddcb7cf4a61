package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.testing.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * l1 mode with durable pins on the real two-peer IPFS Cluster of deploy/local/ipfs-cluster.sh and
 * its Pinning Service API: replication 2 reaches both peers before Redis names a CID (a sampler
 * checks every CID the moment it appears), the pinning service's pins are tracked to {@code
 * pinned}, a SIGKILL and rerun (a replay of restored commits) creates no second pin request or row,
 * and a wrong token is one clear error at the start.
 */
class DurablePinsITCase {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    private static String cluster() {
        return TestServices.cluster("L1_CLUSTER_API");
    }

    private static String pinsvc() {
        return TestServices.cluster("L1_PINSVC_API");
    }

    /** Peers whose status of {@code cid} is {@code pinned}, asked over the REST API directly. */
    private static int pinnedPeers(String cid) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(cluster() + "/pins/" + cid)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return 0;
        }
        int n = 0;
        for (JsonNode peer : JSON.readTree(r.body()).path("peer_map")) {
            if (peer.path("status").asText().equals("pinned")) {
                n++;
            }
        }
        return n;
    }

    /** Pin requests the pinning service has for {@code cid}, in any state. */
    private static int serviceRequests(String cid) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                pinsvc()
                                                        + "/pins?cid="
                                                        + cid
                                                        + "&status=queued,pinning,pinned,failed"))
                                .header(
                                        "Authorization",
                                        "Bearer " + TestServices.cluster("L1_PINSVC_TOKEN"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("count").asInt();
    }

    private Path corpus() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("renders"));
        Random rnd = new Random(7);
        for (int i = 0; i < 24; i++) {
            byte[] b =
                    new byte[i % 8 == 0 ? (1 << 20) + rnd.nextInt(1 << 20) : rnd.nextInt(50_000)];
            rnd.nextBytes(b);
            Files.write(root.resolve("out-" + i + ".bin"), b);
        }
        Files.copy(root.resolve("out-3.bin"), root.resolve("again-3.bin"));
        return root;
    }

    private static List<String> pinArgs() {
        return List.of(
                "--pin-cluster", cluster(), "--pin-replication", "2:2", "--pin-service", pinsvc());
    }

    @Test
    void replicatedBeforeNamedTrackedUntilPinnedAndReplayedWithoutDuplicates() throws Exception {
        Path input = corpus();
        FaultHarness.Mode mode =
                new FaultHarness.Mode("l1", "pins_" + Long.toHexString(System.nanoTime()));
        Path store = tmp.resolve("store");
        Path logs = tmp.resolve("logs");
        List<String> args = new ArrayList<>(FaultHarness.ingestArgs(mode, store, input));
        args.addAll(args.size() - 1, pinArgs());

        // Every CID Redis names must already be on both peers.
        Map<String, Integer> seenAt = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread sampler =
                new Thread(
                        () -> {
                            try (RedisClient redis =
                                    RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
                                while (!stop.get()) {
                                    for (String cid :
                                            redis.hgetAll(mode.ns() + ":ipfs_index").values()) {
                                        if (!seenAt.containsKey(cid)) {
                                            seenAt.put(cid, pinnedPeers(cid));
                                        }
                                    }
                                    Thread.sleep(20);
                                }
                            } catch (Exception e) {
                                seenAt.put("sampler failed: " + e, -1);
                            }
                        });
        sampler.start();
        Process p = FaultHarness.startCli(logs, args);
        FaultHarness.awaitWhileRunning(
                p, () -> JobTestSupport.committedSegments(store) >= 2, "2 segments", logs);
        FaultHarness.sigkill(p);
        // The rerun resumes from the checkpoint and commits (publishes) restored batches again.
        assertThat(FaultHarness.startCli(logs, args).waitFor(300, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        sampler.join();

        Map<String, String> ipfs;
        try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
            ipfs = new TreeMap<>(redis.hgetAll(mode.ns() + ":ipfs_index"));
        }
        assertThat(ipfs).hasSize(24);
        assertThat(seenAt).hasSize(24);
        assertThat(seenAt.values()).as("peers pinning a CID when Redis named it").containsOnly(2);
        for (String cid : ipfs.values()) {
            assertThat(pinnedPeers(cid)).as(cid).isEqualTo(2);
            assertThat(serviceRequests(cid)).as("pin requests for " + cid).isEqualTo(1);
        }

        // The pinning service's pins are tracked: refreshed until every one is pinned.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        JsonNode service = null;
        while (System.nanoTime() < deadline) {
            FaultHarness.Output r =
                    FaultHarness.cliOut(
                            List.of(
                                            "pins",
                                            "--refresh",
                                            "--json",
                                            "--pin-cluster",
                                            cluster(),
                                            "--pin-replication",
                                            "2:2",
                                            "--pin-service",
                                            pinsvc())
                                    .toArray(String[]::new),
                            mode);
            assertThat(r.exit()).as(r.err()).isZero();
            service = null;
            for (JsonNode b : JSON.readTree(r.out())) {
                if (b.path("provider_type").asText().equals("pinning-service")) {
                    service = b;
                }
            }
            if (service != null && service.path("pinned").asInt() == 24) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(service).isNotNull();
        assertThat(service.path("pinned").asInt()).isEqualTo(24);
        assertThat(service.path("failed").asInt()).isZero();
        // One row per content and backend (kubo, cluster, service), none twice after the replay.
        Set<String> rows =
                FaultHarness.rows(
                        mode,
                        "SELECT sp.content_hash || ' ' || sb.provider_type || ' ' || sp.status"
                                + " FROM storage_pins sp JOIN storage_backends sb ON sb.id ="
                                + " sp.storage_id");
        assertThat(rows).hasSize(24 * 3);
        assertThat(rows).allMatch(r -> r.endsWith(" pinned"));
        assertThat(FaultHarness.rows(mode, "SELECT provider_type FROM storage_backends"))
                .containsExactlyInAnyOrder("kubo", "ipfs-cluster", "pinning-service");
        assertThat(FaultHarness.rows(mode, "SELECT config::text FROM storage_backends"))
                .noneMatch(c -> c.contains(TestServices.cluster("L1_PINSVC_TOKEN")));
    }

    /**
     * Replication 2:2 with one of the two peers stopped mid-run for longer than the cluster takes
     * to notice: the job waits (nothing is named while only one peer could pin), and once the peer
     * is back every content reaches both peers and is indexed; nothing lost.
     */
    @Test
    void aClusterPeerStoppedMidRunIsWaitedFor() throws Exception {
        Path input = corpus();
        FaultHarness.Mode mode =
                new FaultHarness.Mode("l1", "pinspeer_" + Long.toHexString(System.nanoTime()));
        Path store = tmp.resolve("store");
        Path logs = tmp.resolve("logs");
        List<String> args = new ArrayList<>(FaultHarness.ingestArgs(mode, store, input));
        args.addAll(
                args.size() - 1, List.of("--pin-cluster", cluster(), "--pin-replication", "2:2"));
        Process p = FaultHarness.startCli(logs, args);
        try {
            FaultHarness.awaitWhileRunning(
                    p, () -> JobTestSupport.committedSegments(store) >= 1, "a commit", logs);
            FaultHarness.script("ipfs-cluster.sh", "stop-peer", "1");
            long named;
            try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
                named = redis.hlen(mode.ns() + ":ipfs_index");
                Thread.sleep(30_000);
                assertThat(p.isAlive()).as("waiting for the peer, logs in " + logs).isTrue();
                for (String cid : redis.hgetAll(mode.ns() + ":ipfs_index").values()) {
                    assertThat(pinnedPeers(cid))
                            .as("named while a peer is down: " + cid)
                            .isEqualTo(2);
                }
            }
            System.err.printf("[pins] %d contents named before the peer stopped%n", named);
        } finally {
            FaultHarness.script("ipfs-cluster.sh", "start-peer", "1");
        }
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("ingest ended, logs in " + logs).isTrue();
        assertThat(p.exitValue()).as("exit code, logs in " + logs).isZero();
        Map<String, String> ipfs;
        try (RedisClient redis = RedisClient.create(TestServices.get("L1_REDIS_URL"))) {
            ipfs = new TreeMap<>(redis.hgetAll(mode.ns() + ":ipfs_index"));
        }
        assertThat(ipfs).hasSize(24);
        for (String cid : ipfs.values()) {
            assertThat(pinnedPeers(cid)).as(cid).isEqualTo(2);
        }
    }

    @Test
    void aWrongTokenIsOneClearErrorAtTheStart() throws Exception {
        Path input = corpus();
        Path token = tmp.resolve("token");
        Files.writeString(token, "not-the-token\n");
        FaultHarness.Mode mode =
                new FaultHarness.Mode("l1", "pinstok_" + Long.toHexString(System.nanoTime()));
        List<String> args =
                new ArrayList<>(FaultHarness.ingestArgs(mode, tmp.resolve("store"), input));
        args.addAll(
                args.size() - 1,
                List.of("--pin-service", pinsvc(), "--pin-service-token-file", token.toString()));
        FaultHarness.Cli r = FaultHarness.cli(args.toArray(String[]::new));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .contains("pinning service " + pinsvc())
                .contains("unauthorized (check the token)")
                .doesNotContain("not-the-token");
    }
}
