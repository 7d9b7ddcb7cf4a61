package io.artdag.l1.sink.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.car.BlockLocation;
import io.artdag.l1.car.CarV2Reader;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.operators.IngestEvent;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.Rejection;
import io.artdag.l1.store.Sighting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.MetricsGroupTestUtils;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segment writer on a real store in a temporary directory, driven as Flink drives a {@link
 * org.apache.flink.api.connector.sink2.CommittingSinkWriter}: {@code write}, then at a checkpoint
 * {@code prepareCommit} and {@code snapshotState}; after a failure a new writer from {@link
 * SegmentSink#restoreWriter} with the checkpointed states. Sealing: a checkpoint seals the open
 * segment into a committable that names exactly what was written; the seal size and age split
 * segments. Restore: what a writer sealed after its checkpoint, and its torn in-progress segment,
 * are deleted; what the checkpoint's committables name, and every other writer's file, stay.
 */
class SegmentWriterTest {
    private static final int MIB = 1 << 20;
    private static final int HEADER_RESERVE = 4096;

    /** "hello\n" as a raw-leaf CIDv1 (ipfs-car 3.1.0's pack; JsonOutputTest's HELLO_V1). */
    private static final String HELLO_V1 =
            "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am";

    private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir Path tmp;

    /**
     * The parts of Flink's writer context {@link SegmentSink#createWriter} reads: a processing time
     * service the test moves by hand, and a metric group whose counters the test can read (as
     * Flink's TestSinkInitContext builds it).
     */
    private static final class InitContext implements WriterInitContext {
        final TestProcessingTimeService time = new TestProcessingTimeService();
        final MetricListener metrics = new MetricListener();
        private final SinkWriterMetricGroup group =
                MetricsGroupTestUtils.mockWriterMetricGroup(metrics.getMetricGroup());

        long counter(String name) {
            return metrics.getCounter(name).map(Counter::getCount).orElseThrow();
        }

        @Override
        public ProcessingTimeService getProcessingTimeService() {
            return time;
        }

        @Override
        public SinkWriterMetricGroup metricGroup() {
            return group;
        }

        @Override
        public OptionalLong getRestoredCheckpointId() {
            return OptionalLong.empty();
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            throw new UnsupportedOperationException();
        }

        @Override
        public MailboxExecutor getMailboxExecutor() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SerializationSchema.InitializationContext
                asSerializationSchemaInitializationContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isObjectReuseEnabled() {
            return false;
        }

        @Override
        public <IN> TypeSerializer<IN> createInputSerializer() {
            throw new UnsupportedOperationException();
        }

        @Override
        public JobInfo getJobInfo() {
            return new org.apache.flink.api.common.JobInfoImpl(
                    new org.apache.flink.api.common.JobID(), "segment-writer-test");
        }

        @Override
        public TaskInfo getTaskInfo() {
            throw new UnsupportedOperationException();
        }
    }

    private Path store() {
        return tmp.resolve("store");
    }

    private Path staging() {
        return store().resolve("staging");
    }

    private SegmentSink sink(long sealBytes, Duration sealAge) {
        return SegmentSink.builder()
                .setStorePath(store())
                .setSealBytes(sealBytes)
                .setSealAge(sealAge)
                .setHeaderReserveBytes(HEADER_RESERVE)
                .build();
    }

    /** A 2 MiB-seal sink that seals only at checkpoints and at its size. */
    private SegmentSink sink() {
        return sink(2 * MIB, Duration.ZERO);
    }

    private static Path file(Path dir, String name, byte[] content) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve(name), content);
    }

    private Path input(String name, byte[] content) throws IOException {
        return file(tmp.resolve("in"), name, content);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The SHA3-256 of {@code data} as the JDK computes it (not the code under test). */
    private static String sha3(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA3-256").digest(data));
    }

    /** New content, as Dedup hands it to the sink. */
    private static IngestEvent newContent(Path f, String nodeId) throws Exception {
        IngestEvent e = new IngestEvent();
        e.kind = IngestEvent.Kind.NEW;
        e.path = f.toString();
        e.contentHash = sha3(Files.readAllBytes(f));
        e.size = Files.size(f);
        e.modifiedMillis = Files.getLastModifiedTime(f).toMillis();
        e.nodeId = nodeId;
        e.nodeType = "T";
        return e;
    }

    private static void write(SegmentWriter w, Path... files) throws Exception {
        for (Path f : files) {
            w.write(newContent(f, "node-" + f.getFileName()), null);
        }
    }

    /** Names of the files in staging, sorted. */
    private List<String> stagingFiles() throws IOException {
        try (Stream<Path> s = Files.list(staging())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static SegmentCommittable onlyCommittable(Collection<SegmentCommittable> cs) {
        assertThat(cs).hasSize(1);
        return cs.iterator().next();
    }

    private static List<BlockLocation> sections(CarV2Reader car) throws IOException {
        List<BlockLocation> out = new ArrayList<>();
        for (Iterator<BlockLocation> it = car.sections(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void aCheckpointSealsTheOpenSegmentIntoACommittableNamingWhatWasWritten() throws Exception {
        InitContext ctx = new InitContext();
        Path hello = input("hello.txt", HELLO);
        try (SegmentWriter w = sink().createWriter(ctx)) {
            IngestEvent stored = newContent(hello, "node-1");
            stored.metadataJson = "{\"k\":1}";
            w.write(stored, null);
            IngestEvent duplicate = newContent(hello, "node-2");
            duplicate.kind = IngestEvent.Kind.DUPLICATE;
            duplicate.path = "/elsewhere/hello.txt";
            w.write(duplicate, null);
            w.write(IngestEvent.rejected("/in/broken", "node-3", "unreadable (test)"), null);

            List<String> open = stagingFiles();
            assertThat(open).singleElement().asString().endsWith(LocalStore.IN_PROGRESS_SUFFIX);

            w.flush(false);
            SegmentCommittable c = onlyCommittable(w.prepareCommit());

            String segment = c.writerId() + "-0";
            assertThat(c.segments()).containsExactly(segment);
            String helloSha3 = sha3(HELLO);
            assertThat(c.contents())
                    .containsExactly(
                            new ContentRecord(
                                    helloSha3,
                                    HELLO_V1,
                                    HELLO.length,
                                    "unixfs-v1-2025",
                                    segment,
                                    "node-1",
                                    "T",
                                    hello.toString(),
                                    "{\"k\":1}"));
            assertThat(c.sightings())
                    .containsExactly(
                            new Sighting(helloSha3, hello.toString(), "node-1", "T"),
                            new Sighting(helloSha3, "/elsewhere/hello.txt", "node-2", "T"));
            assertThat(c.rejections())
                    .containsExactly(new Rejection("/in/broken", "unreadable (test)", "node-3"));
            assertThat(c.sealedAtMillis()).isPositive();

            // Sealed: renamed from in progress to <name>.car, with the one root and block.
            assertThat(stagingFiles()).containsExactly(segment + LocalStore.CAR_SUFFIX);
            Path car = LocalStore.stagedFile(staging(), segment);
            // CARv2 pragma and header (51) + reserved CARv1 header space + one section (varint 1,
            // CIDv1 raw sha2-256 36, 6 data bytes) + MultihashIndexSorted with one entry (codec
            // varint 2, code count 4, code 8, width count 4, width 4, length 8, digest 32 +
            // offset 8): the layout of the CARv2 spec, counted by hand.
            assertThat(Files.size(car)).isEqualTo(51 + HEADER_RESERVE + 43 + 70);
            try (CarV2Reader r = CarV2Reader.open(car)) {
                assertThat(r.roots()).containsExactly(Cid.parse(HELLO_V1));
                List<BlockLocation> blocks = sections(r);
                assertThat(blocks)
                        .singleElement()
                        .extracting(BlockLocation::cid)
                        .isEqualTo(Cid.parse(HELLO_V1));
                assertThat(r.readBlock(blocks.get(0))).isEqualTo(HELLO);
            }

            assertThat(ctx.counter("segmentsSealed")).isEqualTo(1);
            assertThat(ctx.counter("filesStored")).isEqualTo(1);
            assertThat(ctx.counter("bytesStored")).isEqualTo(HELLO.length);
            assertThat(ctx.counter("blocksStored")).isEqualTo(1);

            // The next checkpoint has nothing new: no committable, no new segment.
            assertThat(w.prepareCommit()).isEmpty();
            assertThat(stagingFiles()).containsExactly(segment + LocalStore.CAR_SUFFIX);
        }
    }

    @Test
    void aCheckpointWithNothingWrittenHandsOverNothing() throws Exception {
        InitContext ctx = new InitContext();
        try (SegmentWriter w = sink().createWriter(ctx)) {
            assertThat(w.prepareCommit()).isEmpty();
            assertThat(stagingFiles()).isEmpty();
            assertThat(ctx.counter("segmentsSealed")).isZero();
        }
    }

    @Test
    void aCheckpointWithOnlySightingsAndRejectionsHandsThemOverWithoutASegment() throws Exception {
        Path hello = input("hello.txt", HELLO);
        try (SegmentWriter w = sink().createWriter(new InitContext())) {
            IngestEvent duplicate = newContent(hello, "node-2");
            duplicate.kind = IngestEvent.Kind.DUPLICATE;
            w.write(duplicate, null);
            w.write(IngestEvent.rejected("/in/broken", "node-3", "unreadable (test)"), null);

            SegmentCommittable c = onlyCommittable(w.prepareCommit());
            assertThat(c.segments()).isEmpty();
            assertThat(c.contents()).isEmpty();
            assertThat(c.sightings())
                    .containsExactly(new Sighting(sha3(HELLO), hello.toString(), "node-2", "T"));
            assertThat(c.rejections())
                    .containsExactly(new Rejection("/in/broken", "unreadable (test)", "node-3"));
            assertThat(stagingFiles()).isEmpty();
        }
    }

    @Test
    void theSealSizeSplitsTheContentsOverSeveralSegmentsInOrder() throws Exception {
        // 1.5 MB each: two leaves (1 MiB and the rest) and a root. A 2 MiB segment holds one
        // file's DAG but not a second file's first full leaf, so each file gets a segment.
        int size = 1_500_000;
        List<byte[]> data = List.of(random(size, 1), random(size, 2), random(size, 3));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            files.add(input("f" + i, data.get(i)));
        }
        InitContext ctx = new InitContext();
        try (SegmentWriter w = sink().createWriter(ctx)) {
            write(w, files.toArray(Path[]::new));
            SegmentCommittable c = onlyCommittable(w.prepareCommit());

            String id = c.writerId();
            assertThat(c.segments()).containsExactly(id + "-0", id + "-1", id + "-2");
            assertThat(c.contents()).extracting(ContentRecord::segment).isEqualTo(c.segments());
            assertThat(c.contents())
                    .extracting(ContentRecord::contentHash)
                    .containsExactly(sha3(data.get(0)), sha3(data.get(1)), sha3(data.get(2)));
            assertThat(c.contents()).extracting(ContentRecord::size).containsOnly((long) size);
            assertThat(ctx.counter("segmentsSealed")).isEqualTo(3);

            ByteArrayOutputStream leaves = new ByteArrayOutputStream();
            for (int i = 0; i < 3; i++) {
                Path car = LocalStore.stagedFile(staging(), c.segments().get(i));
                try (CarV2Reader r = CarV2Reader.open(car)) {
                    assertThat(r.roots()).containsExactly(Cid.parse(c.contents().get(i).rootCid()));
                    long payload = 0;
                    for (BlockLocation b : sections(r)) {
                        payload += b.blockOffset() + b.blockLength() - b.sectionOffset();
                        byte[] block = r.readBlock(b);
                        // Every block is addressed by its SHA-256, as the JDK computes it.
                        assertThat(b.cid().multihash().digest())
                                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(block));
                        if (b.cid().codec() == Cid.RAW) {
                            leaves.write(block);
                        }
                    }
                    assertThat(payload).isLessThanOrEqualTo(2 * MIB);
                }
            }
            // The raw leaves, in segment and file order, are the inputs' bytes.
            ByteArrayOutputStream inputs = new ByteArrayOutputStream();
            for (byte[] d : data) {
                inputs.write(d);
            }
            assertThat(leaves.toByteArray()).isEqualTo(inputs.toByteArray());
        }
    }

    @Test
    void theSealAgeSealsAnOpenSegmentBeforeTheCheckpoint() throws Exception {
        InitContext ctx = new InitContext();
        ctx.time.setCurrentTime(0);
        try (SegmentWriter w = sink(2 * MIB, Duration.ofSeconds(10)).createWriter(ctx)) {
            write(w, input("hello.txt", HELLO));
            for (long t = 2_500; t < 10_000; t += 2_500) {
                ctx.time.setCurrentTime(t); // age checks every quarter of the seal age
                assertThat(stagingFiles()).singleElement().asString().endsWith(".inprogress");
            }
            ctx.time.setCurrentTime(10_000);
            assertThat(stagingFiles()).singleElement().asString().endsWith(".car");
            assertThat(ctx.counter("segmentsSealed")).isEqualTo(1);

            SegmentCommittable c = onlyCommittable(w.prepareCommit());
            assertThat(c.segments()).containsExactly(c.writerId() + "-0");
            assertThat(c.contents()).extracting(ContentRecord::rootCid).containsExactly(HELLO_V1);
            assertThat(ctx.counter("segmentsSealed")).isEqualTo(1);
        }
    }

    @Test
    void aRestoredWriterDeletesWhatWasSealedAfterItsCheckpointAndKeepsWhatItNames()
            throws Exception {
        SegmentSink sink = sink();
        Path[] in = new Path[4];
        for (int i = 0; i < in.length; i++) {
            in[i] = input("f" + i, random(1_500_000, 10 + i));
        }
        SegmentWriter failed = sink.createWriter(new InitContext());
        try (SegmentCommitter committer =
                new SegmentCommitter(
                        sink,
                        store().toAbsolutePath(),
                        MetricsGroupTestUtils.mockCommitterMetricGroup())) {
            // Checkpoint 1 completes: its segment is committed.
            write(failed, in[0]);
            SegmentCommittable first = onlyCommittable(failed.prepareCommit());
            committer.commit(List.of(new SegmentCommitterTest.Request(first)));
            // Checkpoint 2 is taken, but the job fails before it completes: its committable is
            // in the checkpoint, its segment still in staging.
            write(failed, in[1]);
            SegmentCommittable second = onlyCommittable(failed.prepareCommit());
            List<SegmentWriterState> state = failed.snapshotState(2);
            // After it, one segment is sealed (the size) and one is left half written.
            write(failed, in[2], in[3]);
            String id = first.writerId();
            assertThat(first.segments()).containsExactly(id + "-0");
            assertThat(second.segments()).containsExactly(id + "-1");
            assertThat(state).containsExactly(new SegmentWriterState(id, 2));
            assertThat(stagingFiles())
                    .containsExactly(id + "-1.car", id + "-2.car", id + "-3.car.inprogress");

            try (SegmentWriter restored = sink.restoreWriter(new InitContext(), state)) {
                assertThat(stagingFiles()).containsExactly(id + "-1.car");
                assertThat(store().resolve("segments").resolve(id + "-0.car")).exists();

                // Flink commits the restored committable again: its segment is there to commit.
                committer.commit(List.of(new SegmentCommitterTest.Request(second)));
                assertThat(stagingFiles()).isEmpty();

                // The restored writer stores the lost inputs again under its own name.
                write(restored, in[2]);
                SegmentCommittable again = onlyCommittable(restored.prepareCommit());
                assertThat(again.writerId()).isNotEqualTo(id);
                committer.commit(List.of(new SegmentCommitterTest.Request(again)));
            }
        } finally {
            failed.close();
        }
        try (LocalStore s = LocalStore.openExisting(store())) {
            assertThat(s.index().segments()).hasSize(3);
            for (int i = 0; i < 3; i++) {
                String hash = sha3(Files.readAllBytes(in[i]));
                assertThat(s.index().content(hash)).as("content of f" + i).isPresent();
                assertThat(s.segmentFile(s.index().content(hash).get().segment())).exists();
            }
        }
    }

    @Test
    void aWriterLeavesEveryOtherWritersFilesAlone() throws Exception {
        SegmentSink sink = sink();
        Path hello = input("hello.txt", HELLO);
        Path big = input("big", random(1_500_000, 20));
        Path other = input("other", random(1_500_000, 21));
        // Three writers of a parallel sink sharing the store: a and b fail after a checkpoint
        // and are restored into one writer (rescaled); c is alive and has a segment open.
        SegmentWriter a = sink.createWriter(new InitContext());
        SegmentWriter b = sink.createWriter(new InitContext());
        SegmentWriter c = sink.createWriter(new InitContext());
        try {
            write(a, hello);
            SegmentCommittable aNamed = onlyCommittable(a.prepareCommit());
            List<SegmentWriterState> aState = a.snapshotState(1);
            write(a, big, other); // a's second segment is sealed by size after the checkpoint
            write(b, big);
            SegmentCommittable bNamed = onlyCommittable(b.prepareCommit());
            List<SegmentWriterState> bState = b.snapshotState(1);
            write(b, hello); // in progress, torn by the failure
            write(c, hello);
            onlyCommittable(c.prepareCommit());
            write(c, big); // c's open segment
            String ia = aNamed.writerId();
            String ib = bNamed.writerId();
            String ic = c.snapshotState(2).get(0).writerId();
            assertThat(stagingFiles())
                    .containsExactlyInAnyOrder(
                            ia + "-0.car",
                            ia + "-1.car",
                            ia + "-2.car.inprogress",
                            ib + "-0.car",
                            ib + "-1.car.inprogress",
                            ic + "-0.car",
                            ic + "-1.car.inprogress");

            // A writer started afresh knows no earlier writer: it deletes nothing.
            try (SegmentWriter fresh = sink.createWriter(new InitContext())) {
                assertThat(stagingFiles()).hasSize(7);
            }

            List<SegmentWriterState> both = new ArrayList<>(aState);
            both.addAll(bState);
            try (SegmentWriter restored = sink.restoreWriter(new InitContext(), both)) {
                assertThat(stagingFiles())
                        .containsExactlyInAnyOrder(
                                ia + "-0.car",
                                ib + "-0.car",
                                ic + "-0.car",
                                ic + "-1.car.inprogress");
            }
        } finally {
            a.close();
            b.close();
            c.close();
        }
    }

    /** What the handoff of {@link #eachSealedSegmentIsHandedOffBeforeItsCommittable} saw. */
    static final List<SealedSegment> HANDED =
            java.util.Collections.synchronizedList(new ArrayList<>());

    static final List<String> HANDED_FILES =
            java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * With a handoff (l1 mode: the unpinned import into Kubo), every segment is handed off once it
     * is sealed, as its sealed file, before the checkpoint's committable exists; the committable
     * describes each one as the file says (roots from the CAR header, indexed blocks, size), a
     * segment that holds only leaves of a file rooted in the next one included.
     */
    @Test
    void eachSealedSegmentIsHandedOffBeforeItsCommittable() throws Exception {
        HANDED.clear();
        HANDED_FILES.clear();
        SegmentSink sink =
                SegmentSink.builder()
                        .setStorePath(store())
                        .setSealBytes(2 * MIB)
                        .setSealAge(Duration.ZERO)
                        .setHeaderReserveBytes(HEADER_RESERVE)
                        .setHandoff(
                                metrics ->
                                        (file, segment) -> {
                                            assertThat(file).exists().isRegularFile();
                                            HANDED_FILES.add(file.getFileName().toString());
                                            HANDED.add(segment);
                                        })
                        .build();
        // Its first chunk fills a 2 MiB segment; the second, the rest and the root fit the next.
        Path big = input("big", random(2 * MIB + 500_000, 7));
        Path small = input("small", random(1000, 8));
        SegmentCommittable c;
        try (SegmentWriter w = sink.createWriter(new InitContext())) {
            write(w, big, small);
            // The first segment, sealed at its size, is handed off without waiting for a
            // checkpoint (on the handoff's own thread).
            while (HANDED.isEmpty()) {
                Thread.sleep(5);
            }
            c = onlyCommittable(w.prepareCommit());
        }
        assertThat(c.segments()).hasSize(2);
        assertThat(HANDED).hasSize(2);
        assertThat(c.handedOff()).isEqualTo(HANDED);
        for (int i = 0; i < 2; i++) {
            String name = c.segments().get(i);
            SealedSegment h = c.handedOff(name);
            assertThat(HANDED_FILES.get(i)).isEqualTo(name + LocalStore.CAR_SUFFIX);
            Path file = LocalStore.stagedFile(staging(), name);
            assertThat(h.bytes()).isEqualTo(Files.size(file));
            try (CarV2Reader car = CarV2Reader.open(file)) {
                assertThat(h.blocks()).isEqualTo(car.readIndex().size());
                List<String> roots =
                        car.roots().stream()
                                .filter(r -> !r.equals(Cid.EMPTY_IDENTITY))
                                .map(Object::toString)
                                .toList();
                assertThat(h.roots()).isEqualTo(roots);
            }
        }
        assertThat(c.handedOff(c.segments().get(0)).roots())
                .as("only leaves of the big file")
                .isEmpty();
        assertThat(c.handedOff(c.segments().get(1)).roots()).hasSize(2);
    }

    @Test
    void aHandoffThatFailsFailsTheCheckpoint() throws Exception {
        SegmentSink sink =
                SegmentSink.builder()
                        .setStorePath(store())
                        .setSealBytes(2 * MIB)
                        .setSealAge(Duration.ZERO)
                        .setHandoff(
                                metrics ->
                                        (file, segment) -> {
                                            throw new IOException("Kubo refused (test)");
                                        })
                        .build();
        try (SegmentWriter w = sink.createWriter(new InitContext())) {
            write(w, input("one", random(1000, 9)));
            assertThatThrownBy(w::prepareCommit).hasMessageContaining("Kubo refused (test)");
        }
    }

    /**
     * The writer goes on while a sealed segment is being handed off (Kubo importing it), and the
     * checkpoint's committable waits for it: with the handoff held, writing on and sealing a second
     * segment returns, and prepareCommit returns only once the handoff is let go.
     */
    @Test
    void theWriterGoesOnWhileASegmentIsHandedOffAndTheCommittableWaits() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        List<String> done = java.util.Collections.synchronizedList(new ArrayList<>());
        SegmentSink sink =
                SegmentSink.builder()
                        .setStorePath(store())
                        .setSealBytes(2 * MIB)
                        .setSealAge(Duration.ZERO)
                        .setHandoff(
                                metrics ->
                                        (file, segment) -> {
                                            started.countDown();
                                            release.await();
                                            done.add(segment.name());
                                        })
                        .build();
        try (SegmentWriter w = sink.createWriter(new InitContext())) {
            write(w, input("big", random(2 * MIB + 500_000, 21)));
            started.await(); // the first segment is being handed off, and held there
            write(w, input("more", random(300_000, 22)));
            assertThat(done).as("nothing handed off yet, and the writer went on").isEmpty();
            java.util.concurrent.CompletableFuture<Collection<SegmentCommittable>> commit =
                    java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return w.prepareCommit();
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            });
            Thread.sleep(200);
            assertThat(commit).as("the committable waits for the handoff").isNotDone();
            release.countDown();
            SegmentCommittable c = onlyCommittable(commit.get());
            assertThat(done).containsExactlyElementsOf(c.segments()).hasSize(2);
            assertThat(c.handedOff().stream().map(SealedSegment::name).toList())
                    .isEqualTo(c.segments());
        }
    }

    /** A writer closed (the task failing over) while a handoff runs interrupts it and waits. */
    @Test
    void closingTheWriterInterruptsAHandoffInProgress() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean interrupted =
                new java.util.concurrent.atomic.AtomicBoolean();
        SegmentSink sink =
                SegmentSink.builder()
                        .setStorePath(store())
                        .setSealBytes(2 * MIB)
                        .setSealAge(Duration.ZERO)
                        .setHandoff(
                                metrics ->
                                        (file, segment) -> {
                                            started.countDown();
                                            try {
                                                new java.util.concurrent.CountDownLatch(1).await();
                                            } catch (InterruptedException e) {
                                                interrupted.set(true);
                                                throw e;
                                            }
                                        })
                        .build();
        SegmentWriter w = sink.createWriter(new InitContext());
        write(w, input("big", random(2 * MIB + 500_000, 23)));
        started.await();
        w.close();
        assertThat(interrupted).as("the handoff was interrupted before close returned").isTrue();
    }
}
