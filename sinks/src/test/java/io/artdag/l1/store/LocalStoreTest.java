package io.artdag.l1.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.car.CarV2Writer;
import io.artdag.l1.hash.ContentHashes;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.UnixFsFileBuilder;
import io.artdag.l1.ipld.UnixFsProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest {
    @TempDir Path tmp;

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes one file's DAG into a sealed staged segment, as the sink's writer does. */
    private static ContentRecord stage(LocalStore store, String segment, byte[] data)
            throws IOException {
        CarV2Writer car = new CarV2Writer(LocalStore.stagedFile(store.stagingDir(), segment), 4096);
        UnixFsFileBuilder b = new UnixFsFileBuilder(UnixFsProfile.V1_2025, car::put);
        b.write(data, 0, data.length);
        Cid root = b.finish();
        car.addRoot(root);
        car.seal(true);
        String hash = ContentHashes.hex(sha3(data));
        return new ContentRecord(
                hash,
                root.toString(),
                data.length,
                "unixfs-v1-2025",
                segment,
                "n",
                "T",
                "/in/" + segment,
                null);
    }

    private static byte[] sha3(byte[] data) {
        var h = ContentHashes.newSha3_256();
        h.update(data, 0, data.length);
        return h.digest();
    }

    @Test
    void commitsAreIdempotentAndMakeContentReadable() throws IOException {
        byte[] data = bytes(3 * (1 << 20) + 7, 1);
        try (LocalStore store = LocalStore.open(tmp.resolve("s"))) {
            ContentRecord c = stage(store, "w-0", data);
            for (int i = 0; i < 3; i++) {
                store.commitSegment("w-0");
                store.index()
                        .commitRecords(
                                List.of(c),
                                List.of(new Sighting(c.contentHash(), "/in/a", "n", "T")),
                                List.of(new Rejection("/in/bad", "not a regular file", null)));
            }
            assertThat(Files.exists(store.segmentFile("w-0"))).isTrue();
            assertThat(store.stagingFiles()).isEmpty();
            StoreStats stats = store.index().stats();
            assertThat(stats.uniqueContents()).isEqualTo(1);
            assertThat(stats.segments()).isEqualTo(1);
            assertThat(stats.rejected()).isEqualTo(1);
            assertThat(stats.blocks()).isEqualTo(5); // 4 raw leaves + 1 dag-pb root

            try (StoreReader reader = new StoreReader(store)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                reader.readVerified(reader.resolve(c.contentHash()), out);
                assertThat(out.toByteArray()).isEqualTo(data);
                assertThat(reader.resolve(c.rootCid()).contentHash()).isEqualTo(c.contentHash());
            }
            assertThat(new StoreVerifier(store, m -> {}).verify().problems()).isEmpty();
        }
    }

    @Test
    void corruptBytesAreReportedNeverServed() throws IOException {
        byte[] data = bytes(100_000, 2);
        ContentRecord c;
        try (LocalStore store = LocalStore.open(tmp.resolve("s"))) {
            c = stage(store, "w-0", data);
            store.commitSegment("w-0");
            store.index().commitRecords(List.of(c), List.of(), List.of());
            // flip one byte in the middle of the block payload
            try (RandomAccessFile f =
                    new RandomAccessFile(store.segmentFile("w-0").toFile(), "rw")) {
                long at = Files.size(store.segmentFile("w-0")) / 2;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x01);
            }
            Path dest = tmp.resolve("out.bin");
            try (StoreReader reader = new StoreReader(store)) {
                assertThatThrownBy(() -> reader.copyTo(reader.resolve(c.contentHash()), dest))
                        .isInstanceOf(StoreReader.CorruptContentException.class)
                        .hasMessageContaining(c.contentHash());
            }
            assertThat(dest).doesNotExist();
            assertThat(new StoreVerifier(store, m -> {}).verify().problems())
                    .anySatisfy(p -> assertThat(p).contains("does not hash to its CID"));
        }
    }

    @Test
    void repairRemovesTornAndUncommittedFiles() throws IOException {
        try (LocalStore store = LocalStore.open(tmp.resolve("s"))) {
            stage(store, "w-0", bytes(10, 3));
            stage(store, "w-1", bytes(10, 4));
            store.commitSegment("w-1");
            Files.writeString(LocalStore.inProgressFile(store.stagingDir(), "w-2"), "torn");
            // a segment moved into segments/ whose index row never got written
            stage(store, "w-3", bytes(10, 5));
            Files.move(LocalStore.stagedFile(store.stagingDir(), "w-3"), store.segmentFile("w-3"));

            LocalStore.RepairReport keep = store.repair(true);
            assertThat(keep).isEqualTo(new LocalStore.RepairReport(1, 0, 0));
            assertThat(LocalStore.stagedFile(store.stagingDir(), "w-0")).exists();

            LocalStore.RepairReport all = store.repair(false);
            assertThat(all).isEqualTo(new LocalStore.RepairReport(0, 1, 1));
            assertThat(store.stagingFiles()).isEmpty();
            assertThat(store.segmentFile("w-1")).exists();
            assertThat(store.segmentFile("w-3")).doesNotExist();
        }
    }

    @Test
    void aSegmentThatVanishedBeforeItsCommitIsAClearError() throws IOException {
        try (LocalStore store = LocalStore.open(tmp.resolve("s"))) {
            assertThatThrownBy(() -> store.commitSegment("w-9"))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("w-9")
                    .hasMessageContaining("deleted before it could be committed");
        }
    }

    @Test
    void contentsNeedTheirSegmentCommittedFirst() throws IOException {
        try (LocalStore store = LocalStore.open(tmp.resolve("s"))) {
            ContentRecord c = stage(store, "w-0", bytes(10, 6));
            assertThatThrownBy(() -> store.index().commitRecords(List.of(c), List.of(), List.of()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("w-0 of content");
            assertThat(store.index().stats().uniqueContents()).isZero();
        }
    }

    @Test
    void concurrentCommittersWaitForEachOtherInsteadOfFailing() throws Exception {
        Path root = tmp.resolve("s");
        try (LocalStore a = LocalStore.open(root);
                LocalStore b = LocalStore.open(root)) {
            ContentRecord ca = stage(a, "wa-0", bytes(1000, 7));
            ContentRecord cb = stage(b, "wb-0", bytes(1000, 8));
            a.commitSegment("wa-0");
            b.commitSegment("wb-0");
            java.util.concurrent.ExecutorService pool =
                    java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var fa =
                        pool.submit(
                                () -> {
                                    for (int i = 0; i < 200; i++) {
                                        a.index()
                                                .commitRecords(
                                                        List.of(ca),
                                                        List.of(
                                                                new Sighting(
                                                                        ca.contentHash(),
                                                                        "/a/" + i,
                                                                        null,
                                                                        null)),
                                                        List.of());
                                    }
                                    return null;
                                });
                var fb =
                        pool.submit(
                                () -> {
                                    for (int i = 0; i < 200; i++) {
                                        b.index()
                                                .commitRecords(
                                                        List.of(cb),
                                                        List.of(
                                                                new Sighting(
                                                                        cb.contentHash(),
                                                                        "/b/" + i,
                                                                        null,
                                                                        null)),
                                                        List.of());
                                    }
                                    return null;
                                });
                fa.get();
                fb.get();
            } finally {
                pool.shutdownNow();
            }
            assertThat(a.index().stats().uniqueContents()).isEqualTo(2);
            assertThat(a.index().sightings()).hasSize(400);
        }
    }
}
