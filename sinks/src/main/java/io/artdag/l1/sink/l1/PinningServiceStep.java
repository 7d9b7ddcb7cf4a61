package io.artdag.l1.sink.l1;

import io.artdag.l1.cluster.PinRequestStatus;
import io.artdag.l1.cluster.PinningServiceClient;
import io.artdag.l1.postgres.PinRecords;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.StoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks a Pinning Service API to pin each content's root, with this Kubo's addresses as origins, and
 * records the request in {@code storage_pins} with its status. An existing request for the CID is
 * reused, so a replay creates no second pin. Required, it waits until the service says {@code
 * pinned}; tracked, it records {@code queued}/{@code pinning} and polls those requests at later
 * commits (they live in PostgreSQL, so a restart polls them too).
 */
final class PinningServiceStep implements PublishStep {
    static final String PROVIDER = PinBackends.SERVICE;
    private static final long POLL_MS = 500;
    private static final long CONFIRM_WAIT_MS = 60_000;

    private final L1Clients clients;
    private final boolean required;
    private final PinMetrics metrics;
    private List<String> origins;

    PinningServiceStep(L1Clients clients, boolean required, PinMetrics metrics) {
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
        PinningServiceClient service = clients.service();
        long storageId = storageId();
        if (origins == null) {
            origins = clients.kubo().id().addresses();
        }
        List<PinRecords.Pin> rows = new ArrayList<>();
        long deadline = System.currentTimeMillis() + CONFIRM_WAIT_MS;
        for (ContentRecord c : ctx.batch().contents()) {
            PinRequestStatus st = existing(service, c.rootCid());
            if (st == null) {
                st = service.add(c.rootCid(), c.contentHash(), origins);
            }
            while (required && st.status() != PinRequestStatus.Status.PINNED) {
                failIfFailed(st);
                if (System.currentTimeMillis() > deadline) {
                    throw new PinNotConfirmedException(
                            "pinning service "
                                    + clients.pins().service().endpoint()
                                    + ": "
                                    + c.rootCid()
                                    + " is still "
                                    + st.status().wire());
                }
                Thread.sleep(POLL_MS);
                st = service.get(st.requestId()).orElse(st);
            }
            rows.add(row(c.contentHash(), storageId, c.rootCid(), st));
        }
        PinRecords records = new PinRecords(clients.provenance());
        if (!rows.isEmpty()) {
            records.record(rows);
        }
        recheck(records, storageId);
    }

    /** A request for {@code cid} the service already has (not failed), or null. */
    private static PinRequestStatus existing(PinningServiceClient service, String cid)
            throws IOException {
        for (PinRequestStatus s : service.findByCid(cid)) {
            if (s.status() != PinRequestStatus.Status.FAILED) {
                return s;
            }
        }
        return null;
    }

    private void failIfFailed(PinRequestStatus st) throws StoreException {
        if (st.status() == PinRequestStatus.Status.FAILED) {
            metrics.failed().inc();
            throw new StoreException(
                    "pinning service "
                            + clients.pins().service().endpoint()
                            + ": the pin of "
                            + st.cid()
                            + " failed (request "
                            + st.requestId()
                            + ")");
        }
    }

    private PinRecords.Pin row(String hash, long storageId, String cid, PinRequestStatus st) {
        String status =
                switch (st.status()) {
                    case PINNED -> PinRecords.PINNED;
                    case FAILED -> "failed";
                    case PINNING -> "pinning";
                    default -> "queued";
                };
        if (st.status() == PinRequestStatus.Status.PINNED) {
            metrics.confirmed().inc();
        } else if (st.status() == PinRequestStatus.Status.FAILED) {
            metrics.failed().inc();
        }
        return new PinRecords.Pin(hash, storageId, cid, status, st.requestId());
    }

    /** Polls the requests earlier commits (or runs) left queued or pinning. */
    private void recheck(PinRecords records, long storageId) throws IOException {
        List<PinRecords.Pin> updated = new ArrayList<>();
        List<PinRecords.Pin> pending = records.pending(storageId, 500);
        for (PinRecords.Pin p : pending) {
            if (p.requestId() == null) {
                continue;
            }
            Optional<PinRequestStatus> st = clients.service().get(p.requestId());
            if (st.isPresent() && !st.get().status().wire().equals(p.status())) {
                updated.add(row(p.contentHash(), storageId, p.ipfsCid(), st.get()));
            }
        }
        if (!updated.isEmpty()) {
            records.record(updated);
        }
        metrics.pending()
                .set(
                        pending.size()
                                - updated.stream()
                                        .filter(u -> !u.status().equals("pinning"))
                                        .filter(u -> !u.status().equals("queued"))
                                        .count());
    }

    private long storageId() {
        return clients.storageId(
                PROVIDER, "{\"endpoint\": \"" + clients.pins().service().endpoint() + "\"}");
    }
}
