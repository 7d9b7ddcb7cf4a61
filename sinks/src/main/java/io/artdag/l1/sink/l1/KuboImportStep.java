package io.artdag.l1.sink.l1;

import io.artdag.l1.car.CarV2Reader;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.kubo.DagImportResult;
import io.artdag.l1.kubo.KuboException;
import io.artdag.l1.postgres.ProvenanceRows;
import io.artdag.l1.sink.segment.SealedSegment;
import io.artdag.l1.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Imports each committed segment into Kubo with its roots pinned ({@code dag/import
 * pin-roots=true}) and checks every pin with {@code pin/ls}: after this step the batch's blocks are
 * durable in Kubo. Roots pinned already are never pinned again, since Kubo re-pins by unpinning
 * first (docs/guarantees.md). Records the imported segments for the later steps.
 */
final class KuboImportStep implements PublishStep {
    private final L1Clients clients;
    private final LongConsumer importMillis;
    private final LongConsumer importBytes;

    KuboImportStep(L1Clients clients, LongConsumer importMillis, LongConsumer importBytes) {
        this.clients = clients;
        this.importMillis = importMillis;
        this.importBytes = importBytes;
    }

    @Override
    public String name() {
        return "kubo";
    }

    @Override
    public void publish(PublishContext ctx) throws IOException {
        ctx.imported().clear();
        for (String name : ctx.batch().segments()) {
            Path file = ctx.store().segmentFile(name);
            SealedSegment handedOff = ctx.batch().handedOff(name);
            if (handedOff != null && pinHandedOff(handedOff, file)) {
                ctx.imported()
                        .add(
                                new ProvenanceRows.Segment(
                                        name,
                                        handedOff.roots(),
                                        handedOff.bytes(),
                                        handedOff.blocks()));
                continue;
            }
            List<String> roots = new ArrayList<>();
            long blocks;
            try (CarV2Reader car = CarV2Reader.open(file)) {
                for (Cid r : car.roots()) {
                    if (!r.equals(Cid.EMPTY_IDENTITY)) {
                        roots.add(r.toString());
                    }
                }
                blocks = car.readIndex().size();
            }
            // Kubo answers a pin request for a root it has pinned already by dropping that pin
            // and adding it back once it has walked the DAG: a root that Redis may name already
            // (a replayed commit, a pending publication) would be unpinned meanwhile. So only the
            // roots not pinned yet are pinned. The blocks are imported every time: a segment
            // also carries blocks of contents whose roots are in a later segment.
            List<String> unpinned = clients.kubo().notPinned(roots);
            boolean pinRoots = unpinned.size() == roots.size();
            long t0 = System.nanoTime();
            DagImportResult result = clients.kubo().dagImport(file, pinRoots);
            importMillis.accept((System.nanoTime() - t0) / 1_000_000);
            importBytes.accept(Files.size(file));
            if (!result.failedRoots().isEmpty()) {
                throw new StoreException(
                        "dag/import of " + file + " could not pin " + result.failedRoots());
            }
            if (!pinRoots) {
                for (String root : unpinned) {
                    clients.kubo().pinAdd(root);
                }
            }
            if (!clients.kubo().allPinned(roots)) {
                throw new StoreException(
                        "dag/import of "
                                + file
                                + " reported success but not every one of its "
                                + roots.size()
                                + " roots is pinned");
            }
            ctx.imported().add(new ProvenanceRows.Segment(name, roots, Files.size(file), blocks));
        }
    }

    /**
     * Pins the roots of a segment imported at seal time ({@link KuboSealImport}) from the blocks
     * Kubo holds, without importing it again. Returns false when Kubo lacks some of its blocks (a
     * garbage collection since the seal) and the file is here to import them from; throws when it
     * is not.
     */
    private boolean pinHandedOff(SealedSegment segment, Path file) throws IOException {
        List<String> unpinned = clients.kubo().notPinned(segment.roots());
        try {
            for (String root : unpinned) {
                clients.kubo().pinAdd(root, true);
            }
        } catch (KuboException e) {
            if (ServiceFailures.isTransient(e)) {
                throw e;
            }
            if (Files.exists(file)) {
                return false;
            }
            throw new StoreException(
                    "segment "
                            + segment.name()
                            + " was imported into Kubo when it was sealed, but Kubo cannot pin"
                            + " its roots from its own blocks now ("
                            + e.getMessage()
                            + ") and its file is not on this machine; were Kubo's unpinned"
                            + " blocks garbage-collected between seal and commit? (see"
                            + " docs/scaling.md)",
                    e);
        }
        if (!clients.kubo().allPinned(segment.roots())) {
            throw new StoreException(
                    "pin/add of segment "
                            + segment.name()
                            + " reported success but not every one of its "
                            + segment.roots().size()
                            + " roots is pinned");
        }
        return true;
    }
}
