package io.artdag.l1.cluster;

import static io.artdag.l1.cluster.ClusterFixtures.await;
import static io.artdag.l1.cluster.ClusterFixtures.freshBlockInKubo0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PinningServiceClient} against the Pinning Service API of deploy/local/ipfs-cluster.sh's
 * peer 0 (L1_PINSVC_API, token L1_PINSVC_TOKEN). Without the variables the test fails, naming the
 * script; it is never skipped.
 */
class PinningServiceClientITCase {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static String endpoint;
    private static PinningServiceClient service;
    private static IpfsClusterClient cluster;

    @TempDir static Path dir;

    @BeforeAll
    static void connect() {
        endpoint = TestServices.cluster("L1_PINSVC_API");
        // the token comes from the environment, as in production (never an argument)
        Configuration conf = new Configuration();
        conf.set(PinOptions.SERVICE_ENDPOINT, endpoint);
        service =
                new PinningServiceClient(
                        PinningServiceClientOptions.fromConfig(
                                conf,
                                Map.of(
                                        PinOptions.SERVICE_TOKEN_ENV,
                                        TestServices.cluster("L1_PINSVC_TOKEN"))));
        cluster = IpfsClusterClient.create(TestServices.cluster("L1_CLUSTER_API"));
    }

    @Test
    void addFollowFindRemove() throws Exception {
        String cid = freshBlockInKubo0(dir, "pinsvc");
        assertThat(service.findByCid(cid)).isEmpty();
        assertThat(service.get(cid)).isEmpty();

        PinRequestStatus added = service.add(cid, "artdag-it pinsvc", List.of());
        assertThat(added.cid()).isEqualTo(cid);
        assertThat(added.name()).isEqualTo("artdag-it pinsvc");
        assertThat(added.requestId()).isNotBlank();
        assertThat(added.status()).isNotEqualTo(PinRequestStatus.Status.FAILED);

        PinRequestStatus pinned =
                await(
                                "request " + added.requestId() + " pinned",
                                LIMIT,
                                () -> service.get(added.requestId()),
                                o ->
                                        o.isPresent()
                                                && o.get().status()
                                                        == PinRequestStatus.Status.PINNED)
                        .orElseThrow();
        assertThat(pinned.cid()).isEqualTo(cid);
        assertThat(pinned.created()).isNotBlank();

        // IPFS Cluster answers each call from its peers' current states: a later call may still
        // see a peer pinning, so the listing is awaited too.
        List<PinRequestStatus> found =
                await(
                        "listing of " + cid + " pinned",
                        LIMIT,
                        () -> service.findByCid(cid),
                        l -> l.size() == 1 && l.get(0).status() == PinRequestStatus.Status.PINNED);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).requestId()).isEqualTo(added.requestId());
        assertThat(found.get(0).status()).isEqualTo(PinRequestStatus.Status.PINNED);
        // the service's pin is a cluster pin (everywhere, the cluster's default)
        await("both peers pin " + cid, LIMIT, () -> cluster.status(cid), s -> s.pinnedCount() == 2);

        assertThat(service.remove(added.requestId())).isTrue();
        Optional<PinRequestStatus> gone =
                await(
                        "request " + added.requestId() + " removed",
                        LIMIT,
                        () -> service.get(added.requestId()),
                        Optional::isEmpty);
        assertThat(gone).isEmpty();
    }

    @Test
    void wrongTokenIsAClearUnauthorizedError() throws Exception {
        PinningServiceClient wrong =
                new PinningServiceClient(
                        PinningServiceClientOptions.builder()
                                .endpoint(endpoint)
                                .token("not-the-token")
                                .build());
        String cid = freshBlockInKubo0(dir, "unauthorized");
        assertThatThrownBy(() -> wrong.add(cid, null, List.of()))
                .isInstanceOfSatisfying(
                        PinningServiceException.class,
                        e -> {
                            assertThat(e).isNotInstanceOf(PinningServiceUnavailableException.class);
                            assertThat(e.retryable()).isFalse();
                            assertThat(e.httpStatus()).isEqualTo(401);
                            assertThat(e.getMessage())
                                    .startsWith(
                                            "pinning service "
                                                    + endpoint
                                                    + ": unauthorized (check the token)")
                                    .doesNotContain("not-the-token");
                        });
        assertThatThrownBy(() -> wrong.findByCid(cid))
                .isInstanceOfSatisfying(
                        PinningServiceException.class, e -> assertThat(e.retryable()).isFalse());
        assertThat(service.findByCid(cid)).as("nothing was pinned").isEmpty();
    }

    @Test
    void tokenFromAFile(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("token");
        Files.writeString(f, TestServices.cluster("L1_PINSVC_TOKEN") + "\n");
        Configuration conf = new Configuration();
        conf.set(PinOptions.SERVICE_ENDPOINT, endpoint);
        conf.set(PinOptions.SERVICE_TOKEN_FILE, f.toString());
        PinningServiceClientOptions o = PinningServiceClientOptions.fromConfig(conf, Map.of());
        assertThat(o.toString()).doesNotContain(TestServices.cluster("L1_PINSVC_TOKEN"));
        String cid = freshBlockInKubo0(dir, "tokenfile");
        assertThat(new PinningServiceClient(o).findByCid(cid)).isEmpty();
    }
}
