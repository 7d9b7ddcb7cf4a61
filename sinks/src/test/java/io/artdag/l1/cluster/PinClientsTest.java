package io.artdag.l1.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options, credentials and error mapping of the pinning clients, against a scripted server. */
class PinClientsTest {
    private HttpServer server;
    private String url;
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String body = "{}";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                ex -> {
                    authorization.set(ex.getRequestHeaders().getFirst("Authorization"));
                    ex.getRequestBody().readAllBytes();
                    byte[] b = body.getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
                    ex.getResponseBody().write(b);
                    ex.close();
                });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void replicationFactorsFollowIpfsCluster() {
        assertThat(new ClusterReplication(-1, -1).everywhere()).isTrue();
        assertThat(new ClusterReplication(1, 3).everywhere()).isFalse();
        for (int[] bad : new int[][] {{1, -1}, {-1, 2}, {0, 0}, {3, 2}, {-2, -2}}) {
            assertThatThrownBy(() -> new ClusterReplication(bad[0], bad[1]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        Configuration c = new Configuration();
        assertThat(ClusterReplication.fromConfig(c)).isEqualTo(ClusterReplication.EVERYWHERE);
        c.set(PinOptions.CLUSTER_REPLICATION_MIN, 2);
        assertThatThrownBy(() -> ClusterReplication.fromConfig(c))
                .hasMessageContaining("l1.pin.cluster.replication-min");
        c.set(PinOptions.CLUSTER_REPLICATION_MAX, 3);
        assertThat(ClusterReplication.fromConfig(c)).isEqualTo(new ClusterReplication(2, 3));
    }

    @Test
    void clusterBasicAuthFromAFileIsSentAndNeverShown(@TempDir Path tmp) throws Exception {
        Path pw = Files.writeString(tmp.resolve("pw"), "s3cret\n");
        Configuration c = new Configuration();
        c.set(PinOptions.CLUSTER_API, url + "/");
        c.set(PinOptions.CLUSTER_USER, "artdag");
        c.set(PinOptions.CLUSTER_PASSWORD_FILE, pw.toString());
        IpfsClusterClientOptions o = IpfsClusterClientOptions.fromConfig(c, Map.of());
        assertThat(o.apiUrl().toString()).isEqualTo(url);
        assertThat(o.toString()).contains("artdag:***").doesNotContain("s3cret");
        body = "{\"id\":\"12D3KooWpeer\",\"peername\":\"p0\",\"ipfs\":{\"id\":\"12D3KooWipfs\"}}";
        ClusterPeer id = new IpfsClusterClient(o).id();
        assertThat(id).isEqualTo(new ClusterPeer("12D3KooWpeer", "p0", "12D3KooWipfs", ""));
        assertThat(authorization.get()).isEqualTo("Basic YXJ0ZGFnOnMzY3JldA==");

        c.removeConfig(PinOptions.CLUSTER_PASSWORD_FILE);
        assertThat(
                        IpfsClusterClientOptions.fromConfig(
                                        c, Map.of(PinOptions.CLUSTER_PASSWORD_ENV, "envpw"))
                                .user())
                .contains("artdag");
        assertThatThrownBy(() -> IpfsClusterClientOptions.fromConfig(c, Map.of()))
                .hasMessageContaining("l1.pin.cluster.password-file")
                .hasMessageContaining("L1_CLUSTER_PASSWORD");
        assertThatThrownBy(() -> IpfsClusterClientOptions.fromConfig(new Configuration(), Map.of()))
                .hasMessageContaining("l1.pin.cluster.api");
        assertThatThrownBy(() -> IpfsClusterClient.create("http://u:p@127.0.0.1:9094"))
                .hasMessageNotContaining("u:p");
    }

    @Test
    void clusterErrorsAreRetryableOnlyFor5xx() throws Exception {
        IpfsClusterClient client = IpfsClusterClient.create(url);
        status = 503;
        body = "{\"code\":503,\"message\":\"busy\"}";
        assertThatThrownBy(() -> client.status("bafkqaaa"))
                .isInstanceOfSatisfying(
                        IpfsClusterUnavailableException.class,
                        e -> {
                            assertThat(e.retryable()).isTrue();
                            assertThat(e.detail()).isEqualTo("busy");
                            assertThat(e.getMessage())
                                    .isEqualTo(
                                            "ipfs-cluster "
                                                    + url
                                                    + ": busy (GET /pins/bafkqaaa, HTTP 503)");
                        });
        status = 403;
        body = "{\"code\":403,\"message\":\"forbidden\"}";
        assertThatThrownBy(() -> client.unpin("bafkqaaa"))
                .isInstanceOfSatisfying(
                        IpfsClusterException.class,
                        e -> {
                            assertThat(e.retryable()).isFalse();
                            assertThat(e.getMessage()).contains("unauthorized");
                        });
        status = 404;
        body = "{\"code\":404,\"message\":\"pin is not part of the pinset\"}";
        assertThat(client.unpin("bafkqaaa")).isFalse();
    }

    @Test
    void pinningServiceTokenAndErrors(@TempDir Path tmp) throws Exception {
        Configuration c = new Configuration();
        c.set(PinOptions.SERVICE_ENDPOINT, url);
        assertThatThrownBy(() -> PinningServiceClientOptions.fromConfig(c, Map.of()))
                .hasMessageContaining("l1.pin.service.token-file")
                .hasMessageContaining("L1_PINSVC_TOKEN");
        c.set(PinOptions.SERVICE_TOKEN_FILE, tmp.resolve("missing").toString());
        assertThatThrownBy(
                        () ->
                                PinningServiceClientOptions.fromConfig(
                                        c, Map.of(PinOptions.SERVICE_TOKEN_ENV, "envtoken")))
                .hasMessageContaining("l1.pin.service.token-file")
                .hasMessageContaining("no such file");
        c.removeConfig(PinOptions.SERVICE_TOKEN_FILE);
        PinningServiceClientOptions o =
                PinningServiceClientOptions.fromConfig(
                        c, Map.of(PinOptions.SERVICE_TOKEN_ENV, "tok123"));
        assertThat(o.toString()).doesNotContain("tok123");
        PinningServiceClient client = new PinningServiceClient(o);

        body =
                "{\"requestid\":\"r1\",\"status\":\"queued\",\"created\":\"2026-01-01T00:00:00Z\","
                        + "\"pin\":{\"cid\":\"bafkqaaa\",\"name\":\"n\",\"origins\":[\"/ip4/1.2.3.4/tcp/1\"]},"
                        + "\"delegates\":[\"/ip4/5.6.7.8/tcp/4001\"]}";
        status = 202;
        PinRequestStatus s = client.add("bafkqaaa", "n", List.of("/ip4/1.2.3.4/tcp/1"));
        assertThat(authorization.get()).isEqualTo("Bearer tok123");
        assertThat(s)
                .isEqualTo(
                        new PinRequestStatus(
                                "r1",
                                PinRequestStatus.Status.QUEUED,
                                "2026-01-01T00:00:00Z",
                                "bafkqaaa",
                                "n",
                                List.of("/ip4/1.2.3.4/tcp/1"),
                                List.of("/ip4/5.6.7.8/tcp/4001")));

        status = 403;
        body = "{\"error\":{\"reason\":\"FORBIDDEN\",\"details\":\"no\"}}";
        assertThatThrownBy(() -> client.get("r1"))
                .isInstanceOfSatisfying(
                        PinningServiceException.class,
                        e -> {
                            assertThat(e.retryable()).isFalse();
                            assertThat(e.getMessage())
                                    .isEqualTo(
                                            "pinning service "
                                                    + url
                                                    + ": unauthorized (check the token): FORBIDDEN:"
                                                    + " no (GET /pins/r1, HTTP 403)");
                        });
        status = 500;
        body = "oops";
        assertThatThrownBy(() -> client.findByCid("bafkqaaa"))
                .isInstanceOfSatisfying(
                        PinningServiceUnavailableException.class,
                        e -> assertThat(e.retryable()).isTrue());
        status = 404;
        body = "{\"error\":{\"reason\":\"NOT_FOUND\"}}";
        assertThat(client.get("r1")).isEmpty();
        assertThat(PinRequestStatus.Status.of("weird")).isEqualTo(PinRequestStatus.Status.UNKNOWN);
    }
}
