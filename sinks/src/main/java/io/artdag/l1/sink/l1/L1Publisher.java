package io.artdag.l1.sink.l1;

import io.artdag.l1.car.CarV2Reader;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.kubo.DagImportResult;
import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.kubo.KuboUnavailableException;
import io.artdag.l1.postgres.ProvenanceRows;
import io.artdag.l1.postgres.ProvenanceStore;
import io.artdag.l1.postgres.ProvenanceUnavailableException;
import io.artdag.l1.redis.ClaimStatus;
import io.artdag.l1.redis.ContentMapping;
import io.artdag.l1.redis.PutResult;
import io.artdag.l1.redis.RedisIndex;
import io.artdag.l1.redis.RedisUnavailableException;
import io.artdag.l1.redis.TransitionResult;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes committed segments to the L1 services, in the order that keeps invariant 2 (nothing
 * names a CID before it is pinned): import each segment into Kubo with its roots pinned and check
 * the pins, then write artdag's Redis indexes, then the PostgreSQL rows. Every step is idempotent,
 * so a commit replayed after a restore changes nothing. An unreachable service is waited out with
 * backoff up to the outage limit; then the exception fails the task.
 */
public final class L1Publisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(L1Publisher.class);
    static final String PROVIDER = "kubo";
    static final String ACTOR = "artdag-l1";
    static final String PIN_TYPE = "recursive";

    private final L1Settings settings;
    private KuboClient kubo;
    private RedisIndex redis;
    private ProvenanceStore provenance;
    private long storageId = -1;
    private final LongConsumer importMillis;
    private final LongConsumer importBytes;
    private final Runnable retried;

    public L1Publisher(
            L1Settings settings,
            LongConsumer importMillis,
            LongConsumer importBytes,
            Runnable retried) {
        this.settings = settings;
        this.importMillis = importMillis;
        this.importBytes = importBytes;
        this.retried = retried;
    }

    /** What one checkpoint made visible. */
    public record Batch(
            List<String> segments,
            List<ContentRecord> contents,
            List<io.artdag.l1.store.Sighting> sightings,
            List<io.artdag.l1.store.Rejection> rejections) {}

    /** Publishes a batch whose segments are committed in {@code store}. */
    public void publish(LocalStore store, Batch batch) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + settings.outageLimit().toNanos();
        long backoff = 200;
        while (true) {
            try {
                publishOnce(store, batch);
                return;
            } catch (KuboUnavailableException
                    | RedisUnavailableException
                    | ProvenanceUnavailableException e) {
                if (System.nanoTime() + backoff * 1_000_000L > deadline) {
                    throw new IOException(
                            "l1 services unreachable for longer than "
                                    + settings.outageLimit()
                                    + ": "
                                    + e.getMessage(),
                            e);
                }
                LOG.warn(
                        "L1 publish of {} waits for a service: {}",
                        batch.segments(),
                        e.getMessage());
                retried.run();
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    /**
     * Publishes, in commit order, the segments that {@code store} committed in l1 mode but whose
     * publication a crash left unconfirmed ({@link io.artdag.l1.store.StoreIndex#unpublished}). A
     * run that resumes from a checkpoint would publish them again through its restored committer;
     * one that starts afresh (other inputs, a moved store) would not, and finds their contents in
     * the local store: so this runs before every run. Idempotent like every publish.
     *
     * @return how many segments were published
     */
    public int publishPending(LocalStore store) throws IOException, InterruptedException {
        List<String> pending = store.index().unpublished();
        for (String segment : pending) {
            publish(
                    store,
                    new Batch(
                            List.of(segment),
                            store.index().contentsOf(segment),
                            List.of(),
                            List.of()));
            store.index().markPublished(List.of(segment));
        }
        return pending.size();
    }

    private void connect() {
        if (kubo == null) {
            kubo = new KuboClient(settings.kubo());
        }
        if (redis == null) {
            redis = new RedisIndex(settings.redis());
        }
        if (provenance == null) {
            ProvenanceStore p = new ProvenanceStore(settings.postgres());
            p.migrate();
            provenance = p;
        }
        if (storageId < 0) {
            storageId =
                    provenance.ensureStorageBackend(
                            ACTOR, PROVIDER, "{\"api\": \"" + settings.kuboApi() + "\"}", null);
        }
    }

    private void publishOnce(LocalStore store, Batch batch) throws IOException {
        connect();
        // 1. Kubo: every segment imported, its roots pinned (checked, not assumed).
        List<ProvenanceRows.Segment> segments = new ArrayList<>();
        for (String name : batch.segments()) {
            Path file = store.segmentFile(name);
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
            long t0 = System.nanoTime();
            DagImportResult result = kubo.dagImport(file, true);
            importMillis.accept((System.nanoTime() - t0) / 1_000_000);
            importBytes.accept(Files.size(file));
            if (!result.failedRoots().isEmpty()) {
                throw new StoreException(
                        "dag/import of " + file + " could not pin " + result.failedRoots());
            }
            for (String root : roots) {
                if (!kubo.isPinned(root)) {
                    throw new StoreException(
                            "dag/import of "
                                    + file
                                    + " reported success but "
                                    + root
                                    + " is not pinned");
                }
            }
            segments.add(new ProvenanceRows.Segment(name, roots, Files.size(file), blocks));
        }
        // 2. Redis: artdag's indexes, only for pinned roots.
        List<ContentMapping> mappings = new ArrayList<>();
        for (ContentRecord c : batch.contents()) {
            mappings.add(
                    new ContentMapping(
                            c.contentHash(),
                            c.nodeId() == null ? c.contentHash() : c.nodeId(),
                            c.rootCid()));
        }
        List<PutResult> puts = redis.putContents(mappings);
        for (int i = 0; i < puts.size(); i++) {
            if (puts.get(i).outcome() == PutResult.Outcome.CONFLICT) {
                throw new StoreException(
                        "Redis already maps content "
                                + mappings.get(i).contentHash()
                                + " to "
                                + puts.get(i).ipfsCid()
                                + ", not "
                                + mappings.get(i).ipfsCid());
            }
        }
        // Our claims on these contents are done; the result lives resultTtl (1 h).
        for (ContentRecord c : batch.contents()) {
            TransitionResult t =
                    redis.transition(
                            c.contentHash(),
                            settings.owner(),
                            ClaimStatus.COMPLETED,
                            Map.of("ipfs_cid", c.rootCid()));
            if (t.outcome() != TransitionResult.Outcome.OK) {
                LOG.warn(
                        "Claim on {} was not ours to complete ({}); the content is stored and"
                                + " indexed regardless",
                        c.contentHash(),
                        t.outcome());
            }
        }
        // 3. PostgreSQL: segments, cache_items and storage_pins per segment.
        Instant now = Instant.now();
        for (ProvenanceRows.Segment s : segments) {
            List<ProvenanceRows.CacheItem> items = new ArrayList<>();
            for (ContentRecord c : batch.contents()) {
                if (c.segment().equals(s.name())) {
                    items.add(new ProvenanceRows.CacheItem(c.contentHash(), c.rootCid(), now));
                }
            }
            provenance.recordSegmentCommit(s, items, storageId, PIN_TYPE);
        }
        // 4. PostgreSQL run_cache: the runs of this batch's outputs, now that their CIDs are
        // pinned. Sightings, item types and rejected inputs go through the JDBC connector
        // (ProvenanceSinks); they name no CID.
        List<ProvenanceRows.RunCache> runs = runs(store, batch);
        if (!runs.isEmpty()) {
            provenance.recordRuns(runs);
        }
    }

    /** The run rows of a batch's sightings that name a run, with each output's pinned CID. */
    private List<ProvenanceRows.RunCache> runs(LocalStore store, Batch batch) throws IOException {
        List<ProvenanceRows.RunCache> rows = new ArrayList<>();
        Map<String, String> cids = new java.util.HashMap<>();
        for (ContentRecord c : batch.contents()) {
            cids.put(c.contentHash(), c.rootCid());
        }
        for (io.artdag.l1.store.Sighting s : batch.sightings()) {
            if (s.run() == null) {
                continue;
            }
            com.fasterxml.jackson.databind.JsonNode run = RUN_JSON.readTree(s.run());
            String cid = cids.get(s.contentHash());
            if (cid == null) {
                // A duplicate: stored by an earlier checkpoint or another job, and named by an
                // index only once pinned.
                cid = redis.ipfsCid(s.contentHash()).orElse(null);
                if (cid == null) {
                    cid =
                            store.index()
                                    .content(s.contentHash())
                                    .map(ContentRecord::rootCid)
                                    .orElse(null);
                }
            }
            com.fasterxml.jackson.databind.JsonNode inputs = run.get("inputs");
            rows.add(
                    new ProvenanceRows.RunCache(
                            run.path("run_id").asText(),
                            s.contentHash(),
                            cid,
                            run.hasNonNull("recipe") ? run.get("recipe").asText() : null,
                            inputs == null || inputs.isNull() ? null : inputs.toString(),
                            run.hasNonNull("actor_id") ? run.get("actor_id").asText() : null));
        }
        return rows;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper RUN_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
