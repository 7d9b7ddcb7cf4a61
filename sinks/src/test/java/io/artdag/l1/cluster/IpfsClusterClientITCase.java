package io.artdag.l1.cluster;

import static io.artdag.l1.cluster.ClusterFixtures.await;
import static io.artdag.l1.cluster.ClusterFixtures.freshBlockInKubo0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.testing.TestServices;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IpfsClusterClient} against the real two-peer cluster of deploy/local/ipfs-cluster.sh
 * (L1_CLUSTER_API, L1_CLUSTER_API_1), whose peer 0 runs on the Kubo of L1_KUBO_API. Without the
 * variables the test fails, naming the script; it is never skipped.
 */
class IpfsClusterClientITCase {
    private static final Duration REPLICATION_LIMIT = Duration.ofSeconds(60);

    private static String api0;
    private static IpfsClusterClient peer0;
    private static IpfsClusterClient peer1;

    @TempDir static Path dir;

    @BeforeAll
    static void connect() {
        api0 = TestServices.cluster("L1_CLUSTER_API");
        peer0 = IpfsClusterClient.create(api0);
        peer1 = IpfsClusterClient.create(TestServices.cluster("L1_CLUSTER_API_1"));
    }

    @Test
    void twoReachablePeersEachOnItsOwnKubo() throws Exception {
        List<ClusterPeer> peers = peer0.peers();
        assertThat(peers).hasSize(2).allMatch(ClusterPeer::reachable, "reachable");
        ClusterPeer id0 = peer0.id();
        ClusterPeer id1 = peer1.id();
        assertThat(peers).extracting(ClusterPeer::id).containsExactlyInAnyOrder(id0.id(), id1.id());
        assertThat(id0.ipfsId()).isNotBlank().isNotEqualTo(id1.ipfsId());
        assertThat(peer1.peers()).extracting(ClusterPeer::id).contains(id0.id());
    }

    @Test
    void pinWithReplicationTwoReachesBothPeersThenUnpin() throws Exception {
        String cid = freshBlockInKubo0(dir, "replicate");
        assertThat(peer0.status(cid).pinnedCount()).isZero();

        ClusterPin pin = peer0.pin(cid, 2, 2, "artdag-it " + cid);
        assertThat(pin.cid()).isEqualTo(cid);
        assertThat(pin.name()).isEqualTo("artdag-it " + cid);
        assertThat(pin.replicationMin()).isEqualTo(2);
        assertThat(pin.replicationMax()).isEqualTo(2);
        assertThat(pin.allocations()).containsExactlyInAnyOrder(peer0.id().id(), peer1.id().id());

        ClusterPinStatus st =
                await(
                        "both peers pin " + cid,
                        REPLICATION_LIMIT,
                        () -> peer0.status(cid),
                        s -> s.pinnedCount() == 2);
        assertThat(st.peers()).hasSize(2);
        assertThat(st.name()).isEqualTo("artdag-it " + cid);
        // peer 1 (whose Kubo fetched the block from Kubo 0 over bitswap) agrees
        assertThat(peer1.status(cid).pinnedCount()).isEqualTo(2);

        // and so does ipfs-cluster-ctl
        String ctl = ClusterFixtures.script("ctl", "status", cid);
        assertThat(ctl).contains(cid).contains("artdag-l1-peer0").contains("artdag-l1-peer1");
        assertThat(ctl.lines().filter(l -> l.contains(": PINNED")).count()).as(ctl).isEqualTo(2);

        // pinning again with the same settings is a no-op
        assertThat(peer0.pin(cid, 2, 2, "artdag-it " + cid).allocations()).hasSize(2);

        assertThat(peer0.unpin(cid)).isTrue();
        await(
                "both peers unpin " + cid,
                REPLICATION_LIMIT,
                () -> peer0.status(cid),
                s -> s.count(ClusterPinState.UNPINNED) == 2);
        assertThat(peer0.unpin(cid)).as("second unpin").isFalse();
    }

    @Test
    void pinEverywhereNamesNoAllocations() throws Exception {
        String cid = freshBlockInKubo0(dir, "everywhere");
        ClusterPin pin = peer1.pin(cid, ClusterReplication.EVERYWHERE, null);
        assertThat(pin.allocations()).isEmpty();
        assertThat(pin.replicationMin()).isEqualTo(-1);
        await(
                "every peer pins " + cid,
                REPLICATION_LIMIT,
                () -> peer0.status(cid),
                s -> s.pinnedCount() == 2);
        assertThat(peer1.unpin(cid)).isTrue();
    }

    @Test
    void moreReplicasThanPeersIsARetryableAllocationFailure() throws Exception {
        String cid = freshBlockInKubo0(dir, "three");
        assertThatThrownBy(() -> peer0.pin(cid, 3, 3, null))
                .isInstanceOfSatisfying(
                        IpfsClusterUnavailableException.class,
                        e -> {
                            assertThat(e.retryable()).isTrue();
                            assertThat(e.httpStatus()).isEqualTo(500);
                            assertThat(e.backend()).isEqualTo(api0);
                            assertThat(e.getMessage())
                                    .startsWith("ipfs-cluster " + api0 + ": ")
                                    .contains("not enough peers to allocate")
                                    .contains("POST /pins/" + cid);
                        });
        assertThat(peer0.status(cid).pinnedCount()).isZero();
    }

    @Test
    void badInputIsRefusedAndNotRetryable() throws Exception {
        assertThatThrownBy(() -> peer0.status("bafyNotACid"))
                .isInstanceOfSatisfying(
                        IpfsClusterException.class,
                        e -> {
                            assertThat(e.retryable()).isFalse();
                            assertThat(e.httpStatus()).isEqualTo(400);
                            assertThat(e.getMessage()).contains(api0).contains("GET /pins/");
                        });
        assertThatThrownBy(() -> peer0.status("../id"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> peer0.pin("bafkqaaa", 1, -1, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 <= min <= max");
    }

    @Test
    void unreachableClusterIsRetryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        IpfsClusterClient dead = IpfsClusterClient.create(url);
        assertThatThrownBy(dead::peers)
                .isInstanceOfSatisfying(
                        IpfsClusterUnavailableException.class,
                        e -> {
                            assertThat(e.retryable()).isTrue();
                            assertThat(e.httpStatus()).isEqualTo(-1);
                            assertThat(e.getMessage())
                                    .startsWith("ipfs-cluster " + url + ": cannot connect");
                        });
    }
}
