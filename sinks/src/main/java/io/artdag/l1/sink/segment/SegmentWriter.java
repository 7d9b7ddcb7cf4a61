package io.artdag.l1.sink.segment;

import io.artdag.l1.car.CarV2Writer;
import io.artdag.l1.car.SealedCar;
import io.artdag.l1.hash.FileBytes;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.UnixFsFileBuilder;
import io.artdag.l1.ipld.UnixFsProfile;
import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.IngestEvent;
import io.artdag.l1.operators.InputFiles;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.Rejection;
import io.artdag.l1.store.Sighting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunks each new file into the open CAR segment, building its UnixFS DAG as it reads; seals the
 * segment at a size, an age, and every checkpoint; and hands the sealed segments with the contents,
 * sightings and rejections they carry to the committer.
 */
@Internal
public class SegmentWriter
        implements CommittingSinkWriter<IngestEvent, SegmentCommittable>,
                StatefulSinkWriter<IngestEvent, SegmentWriterState> {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentWriter.class);
    private static final int READ_BUFFER = 1 << 20;

    /**
     * Sealed segments that may be handed off while the task goes on; a third seal waits for the
     * oldest. Bounds the staged files in flight, and a slow Kubo slows the writer down.
     */
    static final int MAX_PENDING_HANDOFFS = 2;

    private final Path staging;
    private final UnixFsProfile profile;

    /** One chunk buffer for every file this writer builds (files are built one at a time). */
    private byte[] chunkBuffer;

    private final long sealBytes;
    private final long sealAgeMillis;
    private final int headerReserve;
    private final FaultInjector faults;
    private final ProcessingTimeService time;

    private final String writerId = UUID.randomUUID().toString();
    private long nextSequence;

    private CarV2Writer segment;
    private String segmentName;
    private long segmentOpenedAt;
    private long blocksWritten;

    private final PendingHandoffs handoffs;
    private final List<String> sealed = new ArrayList<>();
    private final List<SealedSegment> handedOff = new ArrayList<>();
    private final List<ContentRecord> contents = new ArrayList<>();
    private final List<Sighting> sightings = new ArrayList<>();
    private final List<Rejection> rejections = new ArrayList<>();
    private long lastSealMillis;

    private final ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
    private final Counter segmentsSealed;
    private final Counter filesStored;
    private final Counter bytesStored;
    private final Counter blocksStored;

    SegmentWriter(
            SegmentSink sink,
            Path storeRoot,
            ProcessingTimeService time,
            SinkWriterMetricGroup metrics,
            Collection<SegmentWriterState> restored)
            throws IOException {
        this.staging = io.artdag.l1.store.StoreLayout.staging(storeRoot);
        this.profile = UnixFsProfile.fromId(sink.profileId());
        this.sealBytes = sink.sealBytes();
        this.sealAgeMillis = sink.sealAgeMillis();
        this.headerReserve = sink.headerReserveBytes();
        this.faults = sink.faultInjector();
        this.time = time;
        try {
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw failed("creating directory " + staging, e);
        }
        this.segmentsSealed = metrics.counter("segmentsSealed");
        this.filesStored = metrics.counter("filesStored");
        this.bytesStored = metrics.counter("bytesStored");
        this.blocksStored = metrics.counter("blocksStored");
        this.handoffs =
                sink.handoff() == null
                        ? null
                        : new PendingHandoffs(
                                sink.handoff().create(metrics),
                                MAX_PENDING_HANDOFFS,
                                "segment-handoff-" + writerId);
        for (SegmentWriterState state : restored) {
            deleteOrphans(state);
        }
        if (sealAgeMillis > 0) {
            scheduleAgeCheck();
        }
    }

    /** Segments a previous writer sealed after its last checkpoint belong to no committable. */
    private void deleteOrphans(SegmentWriterState state) throws IOException {
        String prefix = state.writerId() + "-";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(staging, prefix + "*")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(LocalStore.IN_PROGRESS_SUFFIX)) {
                    Files.deleteIfExists(p);
                    continue;
                }
                String seq = name.substring(prefix.length(), name.indexOf('.'));
                if (Long.parseLong(seq) >= state.nextSequence()) {
                    LOG.info("Deleting {}: sealed after the restored checkpoint", p);
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void scheduleAgeCheck() {
        long now = time.getCurrentProcessingTime();
        time.registerTimer(
                now + Math.max(1000, sealAgeMillis / 4),
                ts -> {
                    if (segment != null && ts - segmentOpenedAt >= sealAgeMillis) {
                        seal();
                    }
                    scheduleAgeCheck();
                });
    }

    @Override
    public void write(IngestEvent event, Context context) throws IOException, InterruptedException {
        switch (event.kind) {
            case NEW:
                store(event);
                break;
            case DUPLICATE:
                sightings.add(sighting(event));
                break;
            case REJECTED:
                rejections.add(new Rejection(event.path, event.reason, event.nodeId));
                break;
            default:
                throw new IllegalArgumentException("unknown event kind " + event.kind);
        }
    }

    private static Sighting sighting(IngestEvent e) {
        return new Sighting(e.contentHash, e.path, e.nodeId, e.nodeType, e.run);
    }

    private void store(IngestEvent event) throws IOException {
        boolean object = InputFiles.isUri(event.path);
        Path file = object ? null : FilePaths.decode(event.path);
        long size;
        long mtime;
        try {
            if (object) {
                InputFiles.Stat stat = InputFiles.stat(event.path);
                size = stat.size();
                mtime = stat.modifiedMillis();
            } else {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                size = attrs.size();
                mtime = attrs.lastModifiedTime().toMillis();
            }
        } catch (NoSuchFileException e) {
            rejections.add(
                    new Rejection(event.path, "vanished: deleted after hashing", event.nodeId));
            return;
        }
        if (size != event.size || mtime != event.modifiedMillis) {
            rejections.add(changed(event));
            return;
        }
        if (segment != null && !segment.canAddRoot()) {
            seal();
        }
        if (chunkBuffer == null) {
            chunkBuffer = new byte[profile.chunkSize()];
        }
        UnixFsFileBuilder builder = new UnixFsFileBuilder(profile, this::putBlock, chunkBuffer);
        long read;
        FileBytes.Chunks toBuilder = chunk -> FileBytes.toArray(chunk, builder::write);
        if (object) {
            // An object in a Flink FileSystem (s3://…), confined to its input prefix by the hasher.
            try (InputStream in = InputFiles.open(event.path)) {
                read = FileBytes.stream(in, buffer, toBuilder);
            }
        } else {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                read = FileBytes.stream(ch, buffer, toBuilder);
            }
        }
        Cid root = builder.finish();
        if (read != event.size) {
            // Its blocks stay in the segment unreferenced; the content is not recorded.
            rejections.add(changed(event));
            return;
        }
        segment.addRoot(root);
        contents.add(
                new ContentRecord(
                        event.contentHash,
                        root.toString(),
                        event.size,
                        profile.id(),
                        segmentName,
                        event.nodeId,
                        event.nodeType,
                        event.path,
                        event.metadataJson));
        sightings.add(sighting(event));
        filesStored.inc();
        bytesStored.inc(event.size);
    }

    private static Rejection changed(IngestEvent e) {
        return new Rejection(
                e.path,
                "changed while being stored: size or mtime differ from when it was hashed",
                e.nodeId);
    }

    private void putBlock(Cid cid, byte[] data, int off, int len) throws IOException {
        if (segment == null) {
            open();
        } else if (segment.blockCount() > 0
                && segment.payloadBytes() + len > sealBytes
                && !segment.contains(cid.multihash())) {
            seal();
            open();
        }
        boolean added;
        try {
            added = segment.put(cid, data, off, len);
        } catch (IOException e) {
            throw failed("writing " + LocalStore.inProgressFile(staging, segmentName), e);
        }
        if (added) {
            blocksStored.inc();
        }
        blocksWritten++;
        try {
            faults.afterBlock(writerId, blocksWritten);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void open() throws IOException {
        String name = writerId + "-" + nextSequence++;
        Path file = LocalStore.inProgressFile(staging, name);
        try {
            segment = new CarV2Writer(file, headerReserve);
        } catch (IOException e) {
            throw failed("creating " + file, e);
        }
        segmentName = name;
        segmentOpenedAt = time.getCurrentProcessingTime();
    }

    /** Seals the open segment (fsync, then rename into staging as sealed). */
    private void seal() throws IOException {
        if (segment == null) {
            return;
        }
        CarV2Writer s = segment;
        String name = segmentName;
        segment = null;
        segmentName = null;
        Path inProgress = LocalStore.inProgressFile(staging, name);
        SealedCar car;
        try {
            car = s.seal(true);
        } catch (IOException e) {
            throw failed("sealing (writing and fsyncing) " + inProgress, e);
        }
        Path sealedFile = LocalStore.stagedFile(staging, name);
        try {
            Files.move(inProgress, sealedFile, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw failed("renaming " + inProgress + " to " + sealedFile, e);
        }
        try {
            LocalStore.fsyncDirectory(staging);
        } catch (IOException e) {
            throw failed("fsyncing directory " + staging, e);
        }
        if (handoffs != null) {
            SealedSegment described = describe(name, car);
            handoffs.submit(sealedFile, described); // held elsewhere by prepareCommit's end
            handedOff.add(described);
        }
        sealed.add(name);
        lastSealMillis = System.currentTimeMillis();
        segmentsSealed.inc();
        try {
            faults.afterSeal(name);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** What the commit needs of a handed-off segment whose file is not on its machine. */
    private static SealedSegment describe(String name, SealedCar car) {
        List<String> roots = new ArrayList<>();
        for (Cid r : car.roots()) {
            if (!r.equals(Cid.EMPTY_IDENTITY)) {
                roots.add(r.toString());
            }
        }
        return new SealedSegment(name, car.fileSize(), car.indexedBlocks(), roots);
    }

    /** An I/O failure of the segment files, naming the file and what was done to it. */
    private static IOException failed(String what, IOException e) {
        return LocalStore.failed(what, e);
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public Collection<SegmentCommittable> prepareCommit() throws IOException {
        seal();
        if (handoffs != null) {
            handoffs.awaitAll();
        }
        if (sealed.isEmpty() && contents.isEmpty() && sightings.isEmpty() && rejections.isEmpty()) {
            return List.of();
        }
        SegmentCommittable c =
                new SegmentCommittable(
                        writerId,
                        sealed,
                        contents,
                        sightings,
                        rejections,
                        lastSealMillis,
                        handedOff);
        sealed.clear();
        handedOff.clear();
        contents.clear();
        sightings.clear();
        rejections.clear();
        return List.of(c);
    }

    @Override
    public List<SegmentWriterState> snapshotState(long checkpointId) {
        return List.of(new SegmentWriterState(writerId, nextSequence));
    }

    @Override
    public void close() throws Exception {
        if (segment != null) {
            // Not sealed by a checkpoint: its inputs will be processed again after a restore.
            segment.close();
            Files.deleteIfExists(LocalStore.inProgressFile(staging, segmentName));
            segment = null;
        }
        if (handoffs != null) {
            handoffs.close();
        }
    }
}
