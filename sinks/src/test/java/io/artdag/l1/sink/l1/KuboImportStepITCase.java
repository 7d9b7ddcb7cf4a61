package io.artdag.l1.sink.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.car.CarV2Writer;
import io.artdag.l1.hash.ContentHashes;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.UnixFsFileBuilder;
import io.artdag.l1.ipld.UnixFsProfile;
import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.kubo.KuboTestOps;
import io.artdag.l1.postgres.ProvenanceRows;
import io.artdag.l1.sink.segment.PublishBatch;
import io.artdag.l1.sink.segment.SealedSegment;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubo step against the real Kubo: publishing a segment again (a restored commit's replay, a
 * moved store's pending publication) never leaves a moment at which one of its roots, which Redis
 * may already name, is not pinned. Kubo's pinner answers a pin request for a root it already has
 * pinned by removing that pin and adding it back after walking the whole DAG, so a step that
 * re-pinned would open exactly such a window (a CI run of L1ModeITCase caught one).
 */
class KuboImportStepITCase {
    private static final int MIB = 1 << 20;

    private static final KuboClient kubo = KuboTestOps.create(TestServices.get("L1_KUBO_API"));

    @TempDir Path tmp;
    private LocalStore store;
    private L1Clients clients;

    @BeforeEach
    void open() throws Exception {
        store = LocalStore.open(tmp.resolve("store"));
        clients = clients();
    }

    @AfterEach
    void close() throws Exception {
        clients.close();
        store.close();
    }

    /** One segment holding {@code count} fresh contents of {@code size} bytes; returns roots. */
    private static List<ContentRecord> segment(LocalStore store, String name, int count, int size)
            throws Exception {
        SecureRandom random = new SecureRandom();
        List<ContentRecord> contents = new ArrayList<>();
        CarV2Writer car = new CarV2Writer(LocalStore.stagedFile(store.stagingDir(), name), 4096);
        byte[] data = new byte[size];
        for (int i = 0; i < count; i++) {
            random.nextBytes(data);
            UnixFsFileBuilder b = new UnixFsFileBuilder(UnixFsProfile.V1_2025, car::put);
            b.write(data, 0, data.length);
            Cid root = b.finish();
            car.addRoot(root);
            var h = ContentHashes.newSha3_256();
            h.update(data, 0, data.length);
            String hash = ContentHashes.hex(h.digest());
            contents.add(
                    new ContentRecord(
                            hash,
                            root.toString(),
                            size,
                            "unixfs-v1-2025",
                            name,
                            "n" + i,
                            "T",
                            "/in/" + i,
                            null));
        }
        car.seal(true);
        store.commit(List.of(name), contents, List.of(), List.of(), true);
        return contents;
    }

    private static List<String> roots(List<ContentRecord> contents) {
        List<String> roots = new ArrayList<>();
        for (ContentRecord c : contents) {
            roots.add(c.rootCid());
        }
        return roots;
    }

    private static L1Clients clients() {
        Configuration c = new Configuration();
        c.set(L1Options.KUBO_API, TestServices.get("L1_KUBO_API"));
        return new L1Clients(L1Settings.fromConfig(c).forReader("it"), PinBackends.NONE);
    }

    /** Asks Kubo about {@code roots} in a loop until closed; records every "not pinned". */
    private static final class PinSampler implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger samples = new AtomicInteger();
        private final List<String> unpinned = new CopyOnWriteArrayList<>();
        private final Thread thread;

        PinSampler(KuboClient kubo, List<String> roots) {
            thread =
                    new Thread(
                            () -> {
                                try {
                                    while (running.get()) {
                                        for (String root : roots) {
                                            if (!kubo.isPinned(root)) {
                                                unpinned.add(root);
                                            }
                                        }
                                        samples.incrementAndGet();
                                    }
                                } catch (Exception e) {
                                    unpinned.add("sampler failed: " + e);
                                }
                            },
                            "pin-sampler");
            thread.start();
        }

        void assertNeverUnpinned() throws InterruptedException {
            close();
            assertThat(samples.get()).isGreaterThan(0);
            assertThat(unpinned).as("roots seen unpinned while publishing").isEmpty();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void publishingAgainNeverUnpinsARoot() throws Exception {
        // Contents of many blocks: Kubo walks each one's DAG while re-pinning it.
        List<ContentRecord> contents = segment(store, "w-0", 3, 24 * MIB);
        PublishBatch batch = new PublishBatch(List.of("w-0"), contents, List.of());
        KuboImportStep step = new KuboImportStep(clients, ms -> {}, bytes -> {});
        step.publish(new PublishContext(store, batch));
        for (ContentRecord c : contents) {
            assertThat(kubo.isPinned(c.rootCid())).as(c.rootCid()).isTrue();
        }

        // Replays: the same segment published again, as a restored commit does.
        try (PinSampler sampler = new PinSampler(kubo, roots(contents))) {
            for (int i = 0; i < 8; i++) {
                PublishContext ctx = new PublishContext(store, batch);
                step.publish(ctx);
                assertThat(ctx.imported()).hasSize(1);
            }
            sampler.assertNeverUnpinned();
        }
    }

    @Test
    void rootsPinnedAlreadyStayPinnedAndTheOthersArePinned() throws Exception {
        List<ContentRecord> contents = segment(store, "w-0", 3, 24 * MIB);
        List<String> roots = roots(contents);
        // Another job (or an earlier, interrupted publication) pinned the first root only.
        assertThat(kubo.dagImport(store.segmentFile("w-0"), false).failedRoots()).isEmpty();
        kubo.pinAdd(roots.get(0));
        assertThat(kubo.isPinned(roots.get(1))).isFalse();

        KuboImportStep step = new KuboImportStep(clients, ms -> {}, bytes -> {});
        try (PinSampler sampler = new PinSampler(kubo, List.of(roots.get(0)))) {
            step.publish(
                    new PublishContext(
                            store, new PublishBatch(List.of("w-0"), contents, List.of())));
            sampler.assertNeverUnpinned();
        }
        for (String root : roots) {
            assertThat(kubo.isPinned(root)).as(root).isTrue();
        }
    }

    @Test
    @Timeout(180)
    void aContentSpanningTwoSegmentsIsPinnedOnceBothAreImported() throws Exception {
        // The first segment holds only leaves of the content (no root at all); the second
        // the remaining leaves and the root, as the writer cuts a file larger than a segment.
        CarV2Writer first = new CarV2Writer(LocalStore.stagedFile(store.stagingDir(), "w-0"), 4096);
        CarV2Writer second =
                new CarV2Writer(LocalStore.stagedFile(store.stagingDir(), "w-1"), 4096);
        AtomicInteger blocks = new AtomicInteger();
        UnixFsFileBuilder b =
                new UnixFsFileBuilder(
                        UnixFsProfile.V1_2025,
                        (cid, d, off, len) ->
                                (blocks.getAndIncrement() < 3 ? first : second)
                                        .put(cid, d, off, len));
        byte[] data = new byte[6 * MIB + 17];
        new SecureRandom().nextBytes(data);
        b.write(data, 0, data.length);
        Cid root = b.finish();
        second.addRoot(root);
        first.seal(true);
        second.seal(true);
        var h = ContentHashes.newSha3_256();
        h.update(data, 0, data.length);
        ContentRecord content =
                new ContentRecord(
                        ContentHashes.hex(h.digest()),
                        root.toString(),
                        data.length,
                        "unixfs-v1-2025",
                        "w-1",
                        "n",
                        "T",
                        "/in/big",
                        null);
        store.commit(List.of("w-0"), List.of(), List.of(), List.of(), true);
        store.commit(List.of("w-1"), List.of(content), List.of(), List.of(), true);

        KuboImportStep step = new KuboImportStep(clients, ms -> {}, bytes -> {});
        PublishBatch one = new PublishBatch(List.of("w-0"), List.of(), List.of());
        PublishBatch two = new PublishBatch(List.of("w-1"), List.of(content), List.of());
        step.publish(new PublishContext(store, one));
        step.publish(new PublishContext(store, two));
        assertThat(kubo.isPinned(root.toString())).isTrue();
        // and both again, as a replay after a restore: the root never unpinned
        try (PinSampler sampler = new PinSampler(kubo, List.of(root.toString()))) {
            step.publish(new PublishContext(store, one));
            step.publish(new PublishContext(store, two));
            sampler.assertNeverUnpinned();
        }
    }

    /**
     * Per-TaskManager staging: {@link KuboSealImport} imports a sealed segment unpinned, and the
     * commit on another machine, without the file, pins its roots from Kubo's blocks and records
     * the segment as the file described it.
     */
    @Test
    @Timeout(120)
    void aSegmentImportedAtSealIsPinnedAtCommitWithoutItsFile() throws Exception {
        List<ContentRecord> contents = segment(store, "w-0", 2, 3 * MIB);
        List<String> roots = roots(contents);
        Path file = store.segmentFile("w-0");
        long size = Files.size(file);
        long blocks;
        try (io.artdag.l1.car.CarV2Reader car = io.artdag.l1.car.CarV2Reader.open(file)) {
            blocks = car.readIndex().size();
        }
        SealedSegment sealed = new SealedSegment("w-0", size, blocks, roots);
        KuboSealImport.importWaitingOutOutages(kubo, file, java.time.Duration.ofSeconds(5));
        for (String root : roots) {
            assertThat(kubo.isPinned(root)).as("imported at seal, not pinned: " + root).isFalse();
        }
        Files.delete(file); // the machine that sealed it is gone

        KuboImportStep step = new KuboImportStep(clients, ms -> {}, bytes -> {});
        PublishContext ctx =
                new PublishContext(
                        store,
                        new PublishBatch(List.of("w-0"), contents, List.of(), List.of(sealed)));
        step.publish(ctx);
        for (String root : roots) {
            assertThat(kubo.isPinned(root)).as(root).isTrue();
        }
        assertThat(ctx.imported())
                .containsExactly(new ProvenanceRows.Segment("w-0", roots, size, blocks));
        step.publish(ctx); // a replay: nothing to pin, nothing unpinned
        for (String root : roots) {
            assertThat(kubo.isPinned(root)).as(root).isTrue();
        }
    }

    /**
     * A handed-off segment whose blocks Kubo no longer has (never imported here, as after a garbage
     * collection): with its file on this machine it is imported from the file; without, the step
     * fails at once naming the segment and the cause, instead of waiting for the network.
     */
    @Test
    @Timeout(60)
    void aHandedOffSegmentKuboLacksIsImportedFromItsFileOrFailsClearly() throws Exception {
        List<ContentRecord> contents = segment(store, "w-0", 1, 100_000);
        List<String> roots = roots(contents);
        Path file = store.segmentFile("w-0");
        SealedSegment sealed = new SealedSegment("w-0", Files.size(file), 1, roots);
        KuboImportStep step = new KuboImportStep(clients, ms -> {}, bytes -> {});
        PublishBatch batch = new PublishBatch(List.of("w-0"), contents, List.of(), List.of(sealed));
        step.publish(new PublishContext(store, batch));
        assertThat(kubo.isPinned(roots.get(0))).isTrue();

        List<ContentRecord> other = segment(store, "w-1", 1, 100_000);
        SealedSegment gone =
                new SealedSegment("w-1", Files.size(store.segmentFile("w-1")), 1, roots(other));
        Files.delete(store.segmentFile("w-1"));
        long t0 = System.nanoTime();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                step.publish(
                                        new PublishContext(
                                                store,
                                                new PublishBatch(
                                                        List.of("w-1"),
                                                        other,
                                                        List.of(),
                                                        List.of(gone)))))
                .hasMessageContaining("segment w-1")
                .hasMessageContaining("not on this machine")
                .hasMessageContaining("not found locally");
        assertThat(System.nanoTime() - t0)
                .as("failed without searching the network")
                .isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(30));
    }
}
