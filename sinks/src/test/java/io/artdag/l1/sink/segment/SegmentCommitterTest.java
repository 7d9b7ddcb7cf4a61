package io.artdag.l1.sink.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.car.CarV2Writer;
import io.artdag.l1.hash.ContentHashes;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.UnixFsFileBuilder;
import io.artdag.l1.ipld.UnixFsProfile;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.Sighting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.runtime.metrics.groups.InternalSinkCommitterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committer with test commit requests: local commit, then the publisher, in order; a replay
 * (after a restore) changes nothing; with retain-local off, published segments leave the store and
 * a replay still succeeds without publishing them again.
 */
class SegmentCommitterTest {
    @TempDir Path tmp;

    /** Records the batches it is given; fails the first {@code failures} calls. */
    static final class RecordingPublisher implements SegmentPublisher {
        static final List<List<String>> PUBLISHED = new ArrayList<>();
        static final List<SealedSegment> HANDED_OFF = new ArrayList<>();
        static int failures;

        @Override
        public void publish(LocalStore store, PublishBatch batch) throws IOException {
            // Whatever is published must be readable locally at that moment (Kubo imports it).
            // (unless it was handed off to Kubo at seal time: then Kubo has its blocks).
            for (String s : batch.segments()) {
                if (batch.handedOff(s) == null) {
                    assertThat(store.segmentFile(s)).exists();
                }
            }
            if (failures > 0) {
                failures--;
                throw new io.artdag.l1.store.StoreException("service unreachable (test)");
            }
            PUBLISHED.add(batch.segments());
            HANDED_OFF.addAll(batch.handedOff());
        }
    }

    /** A commit request as Flink hands it to a committer. */
    static final class Request implements Committer.CommitRequest<SegmentCommittable> {
        final SegmentCommittable committable;
        String outcome = "pending";

        Request(SegmentCommittable committable) {
            this.committable = committable;
        }

        @Override
        public SegmentCommittable getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            outcome = "failed: " + t;
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            outcome = "failed: " + t;
        }

        @Override
        public void retryLater() {
            outcome = "retry later";
        }

        @Override
        public void updateAndRetryLater(SegmentCommittable committable) {
            outcome = "retry later";
        }

        @Override
        public void signalAlreadyCommitted() {
            outcome = "already committed";
        }
    }

    private SegmentCommitter committer(boolean retainLocal, boolean publishing) {
        return committer(tmp.resolve("store"), retainLocal, publishing);
    }

    private SegmentCommitter committer(Path store, boolean retainLocal, boolean publishing) {
        SegmentSinkBuilder b =
                SegmentSink.builder()
                        .setStorePath(tmp.resolve("store"))
                        .setCommitMaxRetries(3)
                        .setRetainLocal(retainLocal);
        if (publishing) {
            b.setPublisher((metrics, retried) -> new RecordingPublisher());
        }
        return new SegmentCommitter(
                b.build(),
                store.toAbsolutePath(),
                InternalSinkCommitterMetricGroup.wrap(
                        UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup()));
    }

    private SegmentCommittable stage(String segment, int size, long seed) throws IOException {
        Path store = tmp.resolve("store");
        try (LocalStore s = LocalStore.open(store)) {
            byte[] data = new byte[size];
            new Random(seed).nextBytes(data);
            CarV2Writer car = new CarV2Writer(LocalStore.stagedFile(s.stagingDir(), segment), 4096);
            UnixFsFileBuilder b = new UnixFsFileBuilder(UnixFsProfile.V1_2025, car::put);
            b.write(data, 0, data.length);
            Cid root = b.finish();
            car.addRoot(root);
            car.seal(true);
            var h = ContentHashes.newSha3_256();
            h.update(data, 0, data.length);
            String hash = ContentHashes.hex(h.digest());
            String path = "/in/" + segment;
            return new SegmentCommittable(
                    "w",
                    List.of(segment),
                    List.of(
                            new ContentRecord(
                                    hash,
                                    root.toString(),
                                    size,
                                    "unixfs-v1-2025",
                                    segment,
                                    "n",
                                    "T",
                                    path,
                                    null)),
                    List.of(new Sighting(hash, path, "n", "T")),
                    List.of(),
                    0);
        }
    }

    private static void commit(SegmentCommitter c, Request... requests) throws Exception {
        c.commit(List.of(requests));
    }

    @Test
    void commitsLocallyThenPublishesAndAReplayChangesNothing() throws Exception {
        RecordingPublisher.PUBLISHED.clear();
        RecordingPublisher.failures = 1; // one unreachable service: retried in place
        SegmentCommittable a = stage("w-0", 3 * (1 << 20) + 5, 1);
        try (SegmentCommitter c = committer(true, true)) {
            Request r = new Request(a);
            commit(c, r);
            assertThat(r.outcome).as("never dropped or deferred").isEqualTo("pending");
            commit(c, new Request(a)); // replayed after a restore
        }
        assertThat(RecordingPublisher.PUBLISHED).containsExactly(List.of("w-0"), List.of("w-0"));
        try (LocalStore s = LocalStore.openExisting(tmp.resolve("store"))) {
            assertThat(s.segmentFile("w-0")).exists();
            assertThat(s.index().unpublished()).isEmpty();
            assertThat(s.index().content(a.contents().get(0).contentHash())).isPresent();
        }
    }

    @Test
    void withoutRetainLocalAPublishedSegmentLeavesAndAReplayStillCommits() throws Exception {
        RecordingPublisher.PUBLISHED.clear();
        RecordingPublisher.failures = 0;
        SegmentCommittable a = stage("w-0", 5000, 2);
        try (SegmentCommitter c = committer(false, true)) {
            commit(c, new Request(a));
            try (LocalStore s = LocalStore.openExisting(tmp.resolve("store"))) {
                assertThat(s.segmentFile("w-0")).doesNotExist();
                assertThat(s.index().remoteSegments()).containsExactly("w-0");
            }
            // A restore replays the committable: nothing to move, nothing to publish again.
            commit(c, new Request(a));
        }
        assertThat(RecordingPublisher.PUBLISHED).containsExactly(List.of("w-0"));
        try (LocalStore s = LocalStore.openExisting(tmp.resolve("store"))) {
            assertThat(s.index().content(a.contents().get(0).contentHash())).isPresent();
            assertThat(s.index().unpublished()).isEmpty();
        }
    }

    @Test
    void aSegmentPublishedButNotConfirmedKeepsItsFile() throws Exception {
        RecordingPublisher.PUBLISHED.clear();
        RecordingPublisher.failures = 10; // more than the committer's retries
        SegmentCommittable a = stage("w-0", 5000, 3);
        try (SegmentCommitter c = committer(false, true)) {
            assertThatThrownBy(() -> commit(c, new Request(a))).isInstanceOf(IOException.class);
        }
        try (LocalStore s = LocalStore.openExisting(tmp.resolve("store"))) {
            assertThat(s.segmentFile("w-0")).exists();
            assertThat(s.index().unpublished()).containsExactly("w-0");
            assertThat(s.index().remoteSegments()).isEmpty();
        }
    }

    @Test
    void localModeKeepsEverySegmentWhateverTheOption() throws Exception {
        SegmentCommittable a = stage("w-0", 5000, 4);
        try (SegmentCommitter c = committer(false, false)) {
            commit(c, new Request(a));
            commit(c, new Request(a));
        }
        try (LocalStore s = LocalStore.openExisting(tmp.resolve("store"))) {
            assertThat(s.segmentFile("w-0")).exists();
            assertThat(Files.list(s.stagingDir())).isEmpty();
        }
    }

    /**
     * Per-TaskManager staging after a TaskManager loss: the committable is restored on another
     * machine, whose store has never seen the segment's file. Its handed-off description is enough
     * to commit it (recorded as kept in IPFS only) and to publish it; a publication that fails
     * first is retried and not skipped because the segment is already "remote", and a replay after
     * it publishes nothing again.
     */
    @Test
    void aHandedOffSegmentCommitsOnAnotherMachineWithoutItsFile() throws Exception {
        RecordingPublisher.PUBLISHED.clear();
        RecordingPublisher.HANDED_OFF.clear();
        RecordingPublisher.failures = 1;
        SegmentCommittable sealed = stage("w-0", 5000, 5);
        Path file = LocalStore.stagedFile(tmp.resolve("store").resolve("staging"), "w-0");
        SealedSegment described =
                new SealedSegment(
                        "w-0", Files.size(file), 1, List.of(sealed.contents().get(0).rootCid()));
        SegmentCommittable handedOff =
                new SegmentCommittable(
                        sealed.writerId(),
                        sealed.segments(),
                        sealed.contents(),
                        sealed.sightings(),
                        sealed.rejections(),
                        0,
                        List.of(described));
        Path otherMachine = tmp.resolve("other-taskmanager");
        try (SegmentCommitter c = committer(otherMachine, false, true)) {
            commit(c, new Request(handedOff));
            commit(c, new Request(handedOff)); // replayed by a later restore
        }
        assertThat(RecordingPublisher.PUBLISHED).containsExactly(List.of("w-0"));
        assertThat(RecordingPublisher.HANDED_OFF).containsExactly(described);
        try (LocalStore s = LocalStore.openExisting(otherMachine)) {
            String hash = sealed.contents().get(0).contentHash();
            assertThat(s.index().content(hash)).isPresent();
            assertThat(s.index().remoteSegments()).containsExactly("w-0");
            assertThat(s.index().unpublished()).isEmpty();
            assertThat(s.segmentFile("w-0")).doesNotExist();
        }
    }

    @Test
    void aSegmentThatWasNotHandedOffStillNeedsItsFile() throws Exception {
        SegmentCommittable sealed = stage("w-0", 5000, 6);
        try (SegmentCommitter c = committer(tmp.resolve("elsewhere"), false, true)) {
            assertThatThrownBy(() -> commit(c, new Request(sealed)))
                    .hasMessageContaining("w-0")
                    .hasMessageContaining("deleted before it could be committed");
        }
    }
}
