package io.artdag.l1.cluster;

import static io.artdag.l1.cluster.ClusterFixtures.await;
import static io.artdag.l1.cluster.ClusterFixtures.freshBlockInKubo0;
import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.testing.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins made while cluster peer 1 is stopped ({@code deploy/local/ipfs-cluster.sh stop-peer 1}),
 * then peer 1 started again: what IPFS Cluster 1.1 does, observed on the real two-peer cluster.
 *
 * <ul>
 *   <li>Right after the stop the cluster still counts peer 1 (its metrics live ~30 s): a
 *       replication-2 pin is allocated to both peers, and peer 1 pins it once it is back.
 *   <li>Once peer 1's metrics have expired, replication-min 2 cannot be allocated: a retryable "not
 *       enough peers" error; min 1 / max 2 is allocated to peer 0 only and stays so (the cluster
 *       does not top up to max later).
 *   <li>A pin everywhere (-1/-1) needs no allocation; peer 1 pins it once it is back.
 * </ul>
 *
 * A peer that comes back learns the pins it missed from the CRDT heads that are rebroadcast every
 * 10 s (the script's setting; IPFS Cluster's default is 1 min). The test leaves peer 1 running
 * whatever happens.
 */
class IpfsClusterPeerDownITCase {
    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(120);

    @TempDir Path dir;

    @Test
    void pinsMadeWhilePeerOneIsDownReachItWhenItIsBack() throws Exception {
        IpfsClusterClient peer0 = IpfsClusterClient.create(TestServices.cluster("L1_CLUSTER_API"));
        IpfsClusterClient peer1 =
                IpfsClusterClient.create(TestServices.cluster("L1_CLUSTER_API_1"));
        String id0 = peer0.id().id();
        String id1 = peer1.id().id();
        String two = freshBlockInKubo0(dir, "down-two");
        String upTo2 = freshBlockInKubo0(dir, "down-one-to-two");
        String everywhere = freshBlockInKubo0(dir, "down-everywhere");

        long stopped = System.nanoTime();
        ClusterFixtures.script("stop-peer", "1");
        try {
            assertThat(peer0.pin(two, 2, 2, "down-two").allocations())
                    .containsExactlyInAnyOrder(id0, id1);
            ClusterPinStatus st =
                    await(
                            "peer 0 pins " + two,
                            Duration.ofSeconds(30),
                            () -> peer0.status(two),
                            s -> s.pinnedCount() == 1);
            assertThat(st.peers().get(id0).state()).isEqualTo(ClusterPinState.PINNED);
            if (st.peers().containsKey(id1)) {
                assertThat(st.peers().get(id1).state()).isEqualTo(ClusterPinState.CLUSTER_ERROR);
            }

            // Re-pinning is a no-op while peer 1 still counts; once its metrics expire the
            // cluster can no longer find 2 peers.
            IpfsClusterUnavailableException notEnough =
                    awaitAllocationFailure(peer0, two, Duration.ofSeconds(90));
            assertThat(notEnough.retryable()).isTrue();
            System.out.printf(
                    "peer 1 stopped: the cluster stopped allocating to it after %d s%n",
                    Duration.ofNanos(System.nanoTime() - stopped).toSeconds());

            assertThat(peer0.pin(upTo2, 1, 2, "down-one-to-two").allocations())
                    .containsExactly(id0);
            assertThat(
                            peer0.pin(everywhere, ClusterReplication.EVERYWHERE, "down-everywhere")
                                    .allocations())
                    .isEmpty();
            await(
                    "peer 0 pins " + everywhere,
                    Duration.ofSeconds(30),
                    () -> peer0.status(everywhere),
                    s -> s.pinnedCount() == 1);
        } finally {
            ClusterFixtures.script("start-peer", "1");
        }

        long started = System.nanoTime();
        await(
                "peer 1, back, pins " + two + " and " + everywhere,
                CATCH_UP_LIMIT,
                () -> new ClusterPinStatus[] {peer0.status(two), peer0.status(everywhere)},
                s -> s[0].pinnedCount() == 2 && s[1].pinnedCount() == 2);
        System.out.printf(
                "peer 1 restarted: both pins made while it was down reached 2 peers after %d s%n",
                Duration.ofNanos(System.nanoTime() - started).toSeconds());

        ClusterPinStatus partial = peer1.status(upTo2);
        assertThat(partial.pinnedCount()).as(partial.toString()).isEqualTo(1);
        assertThat(partial.peers().get(id1).state())
                .as(partial.toString())
                .isEqualTo(ClusterPinState.REMOTE);

        for (String cid : new String[] {two, upTo2, everywhere}) {
            assertThat(peer0.unpin(cid)).isTrue();
        }
    }

    /** Re-pins {@code cid} with 2/2 until the cluster refuses for lack of peers. */
    private static IpfsClusterUnavailableException awaitAllocationFailure(
            IpfsClusterClient peer0, String cid, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                peer0.pin(cid, 2, 2, "down-two");
            } catch (IpfsClusterUnavailableException e) {
                if (e.getMessage().contains("not enough peers to allocate")) {
                    return e;
                }
                throw e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "re-pinning " + cid + " with 2/2 still succeeded after " + limit);
            }
            Thread.sleep(1000);
        }
    }
}
