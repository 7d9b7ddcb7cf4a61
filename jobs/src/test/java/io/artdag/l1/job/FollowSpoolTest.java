package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.sink.segment.FaultInjector;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreException;
import io.artdag.l1.store.StoreIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A followed spool: a node is ingested once its metadata.json exists, not before; a stopped run
 * resumes from its checkpoint and ingests only what came since.
 */
class FollowSpoolTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = JobTestSupport.miniCluster();

    @TempDir Path tmp;
    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutdown() {
        runner.shutdownNow();
    }

    private Future<LocalIngest.Summary> follow(
            Path store, Path spool, CompletableFuture<Void> stop) {
        LocalIngest.Settings settings =
                new LocalIngest.Settings(
                        store,
                        List.of(IngestInput.of(spool, true)),
                        true,
                        JobTestSupport.fastOptions(),
                        2,
                        null,
                        stop);
        return runner.submit(
                () ->
                        LocalIngest.run(
                                settings,
                                StreamExecutionEnvironment::getExecutionEnvironment,
                                FaultInjector.NONE));
    }

    private static void node(Path spool, String id, long seed, boolean withMetadata)
            throws Exception {
        TestCorpus.write(spool.resolve(id + "/output.bin"), 300_000 + seed, seed);
        if (withMetadata) {
            Files.writeString(
                    spool.resolve(id + "/metadata.json"),
                    "{\"node_id\": \"" + id + "\", \"node_type\": \"SEGMENT\"}");
        }
    }

    private static long sightings(Path store) throws Exception {
        if (!Files.exists(LocalStore.indexFile(store))) {
            return 0;
        }
        try (StoreIndex index = StoreIndex.openReadOnly(LocalStore.indexFile(store))) {
            return index.sightings().size();
        } catch (StoreException beingCreated) {
            return 0;
        }
    }

    private static void awaitSightings(Path store, long n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sightings(store) < n) {
            assertThat(System.nanoTime()).as("waiting for %d sightings", n).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void ingestsReadyNodesAndResumesAfterAStop() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Path store = tmp.resolve("store");
        node(spool, "n1", 1, true);
        node(spool, "n2", 2, false); // output written, metadata not yet: not ready

        CompletableFuture<Void> stop1 = new CompletableFuture<>();
        Future<LocalIngest.Summary> run1 = follow(store, spool, stop1);
        awaitSightings(store, 1);
        node(spool, "n3", 3, true);
        awaitSightings(store, 2);
        Thread.sleep(1000); // a few scans: n2 must still not be picked up
        assertThat(sightings(store)).isEqualTo(2);
        stop1.complete(null);
        LocalIngest.Summary s1 = run1.get(60, TimeUnit.SECONDS);
        assertThat(s1.stopped()).isTrue();

        // While stopped, n2's renderer finishes and a new node arrives.
        Files.writeString(spool.resolve("n2/metadata.json"), "{\"node_id\": \"n2\"}");
        node(spool, "n4", 4, true);

        CompletableFuture<Void> stop2 = new CompletableFuture<>();
        Future<LocalIngest.Summary> run2 = follow(store, spool, stop2);
        awaitSightings(store, 4);
        stop2.complete(null);
        LocalIngest.Summary s2 = run2.get(60, TimeUnit.SECONDS);
        assertThat(s2.resumed()).isTrue();

        try (StoreIndex index = StoreIndex.openReadOnly(LocalStore.indexFile(store))) {
            assertThat(index.stats().uniqueContents()).isEqualTo(4);
            assertThat(index.sightings())
                    .extracting(x -> Path.of(x.path()).getParent().getFileName().toString())
                    .containsExactlyInAnyOrder("n1", "n2", "n3", "n4");
        }
    }
}
