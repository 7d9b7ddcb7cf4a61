package io.artdag.l1.sink.l1;

import io.artdag.l1.cluster.ClusterReplication;
import io.artdag.l1.cluster.IpfsClusterClient;
import io.artdag.l1.postgres.PinRecords;
import io.artdag.l1.store.ContentRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pins each content's root through IPFS Cluster with the configured replication (the blocks are
 * already in the first peer's Kubo, imported by the step before) and records it in {@code
 * storage_pins}. Required, it waits until each pin has reached the minimum replication before the
 * later steps name the CID; tracked, it records the pins as {@code pinning} and confirms them at
 * later commits. Idempotent: pinning a pinned CID again changes nothing.
 */
final class ClusterPinStep implements PublishStep {
    static final String PROVIDER = PinBackends.CLUSTER;
    private static final long POLL_MS = 250;
    private static final long CONFIRM_WAIT_MS = 60_000;

    private final L1Clients clients;
    private final boolean required;
    private final PinMetrics metrics;

    ClusterPinStep(L1Clients clients, boolean required, PinMetrics metrics) {
        this.clients = clients;
        this.required = required;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return required ? PROVIDER : PROVIDER + " (tracked)";
    }

    @Override
    public void publish(PublishContext ctx) throws IOException, InterruptedException {
        IpfsClusterClient cluster = clients.cluster();
        ClusterReplication replication = clients.pins().replication();
        long storageId = storageId();
        int needed = replication.everywhere() ? cluster.peers().size() : replication.min();
        List<PinRecords.Pin> rows = new ArrayList<>();
        for (ContentRecord c : ctx.batch().contents()) {
            cluster.pin(c.rootCid(), replication, c.contentHash());
        }
        long deadline = System.currentTimeMillis() + CONFIRM_WAIT_MS;
        for (ContentRecord c : ctx.batch().contents()) {
            int pinned = cluster.status(c.rootCid()).pinnedCount();
            while (required && pinned < needed) {
                if (System.currentTimeMillis() > deadline) {
                    throw new PinNotConfirmedException(
                            "IPFS Cluster "
                                    + clients.pins().cluster().apiUrl()
                                    + ": "
                                    + c.rootCid()
                                    + " pinned on "
                                    + pinned
                                    + " of the "
                                    + needed
                                    + " peers it needs");
                }
                Thread.sleep(POLL_MS);
                pinned = cluster.status(c.rootCid()).pinnedCount();
            }
            boolean done = pinned >= needed;
            rows.add(
                    new PinRecords.Pin(
                            c.contentHash(),
                            storageId,
                            c.rootCid(),
                            done ? PinRecords.PINNED : "pinning",
                            null));
            if (done) {
                metrics.confirmed().inc();
            }
        }
        PinRecords records = new PinRecords(clients.provenance());
        if (!rows.isEmpty()) {
            records.record(rows);
        }
        recheck(records, storageId, needed);
    }

    /** Confirms the pins earlier commits (or runs) left {@code pinning}. */
    private void recheck(PinRecords records, long storageId, int needed) throws IOException {
        List<PinRecords.Pin> confirmed = new ArrayList<>();
        List<PinRecords.Pin> pending = records.pending(storageId, 500);
        for (PinRecords.Pin p : pending) {
            if (clients.cluster().status(p.ipfsCid()).pinnedCount() >= needed) {
                confirmed.add(
                        new PinRecords.Pin(
                                p.contentHash(), storageId, p.ipfsCid(), PinRecords.PINNED, null));
            }
        }
        if (!confirmed.isEmpty()) {
            records.record(confirmed);
            metrics.confirmed().inc(confirmed.size());
        }
        metrics.pending().set(pending.size() - confirmed.size());
    }

    private long storageId() {
        ClusterReplication r = clients.pins().replication();
        return clients.storageId(
                PROVIDER,
                "{\"api\": \""
                        + clients.pins().cluster().apiUrl()
                        + "\", \"replication_min\": "
                        + r.min()
                        + ", \"replication_max\": "
                        + r.max()
                        + "}");
    }
}
