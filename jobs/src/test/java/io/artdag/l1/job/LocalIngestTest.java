package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.sink.segment.FaultInjector;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreReader;
import io.artdag.l1.store.StoreStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Local mode end to end on a MiniCluster: a tree and an artdag cache into one store. */
class LocalIngestTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = JobTestSupport.miniCluster();

    @TempDir Path tmp;

    @Test
    void storesEachContentOnceAndRecordsEveryOutput() throws Exception {
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 1);
        Path cache = TestCorpus.cache(tmp.resolve("cache"), tree.resolve("renders/r0/out-6.bin"));
        Path store = tmp.resolve("store");

        JobTestSupport.ingest(store, FaultInjector.NONE, tree, cache);

        TreeMap<String, String> files = JobTestSupport.sha3OfRegularFiles(tmp.resolve("tree"));
        TreeMap<String, String> cacheFiles = JobTestSupport.sha3OfRegularFiles(cache);
        String badNode = cache.resolve("node3/output.bin").toAbsolutePath().toString();
        cacheFiles.remove(badNode);
        files.putAll(cacheFiles);
        Set<String> expectedContents = new HashSet<>(files.values());

        StoreSnapshot snap = StoreSnapshot.of(store);
        Set<String> stored = new HashSet<>();
        snap.contents().forEach(c -> stored.add(c.split(" ")[0]));
        assertThat(stored).isEqualTo(expectedContents);
        assertThat(snap.sightings()).hasSize(files.size());
        for (Map.Entry<String, String> f : files.entrySet()) {
            assertThat(snap.sightings()).contains(f.getValue() + " " + f.getKey());
        }
        assertThat(snap.rejections())
                .anySatisfy(r -> assertThat(r).endsWith("bad/pipe :: not a regular file"))
                .anySatisfy(r -> assertThat(r).contains("bad/dangling :: vanished"))
                .anySatisfy(
                        r ->
                                assertThat(r)
                                        .startsWith(badNode)
                                        .contains("bad metadata: declared content_hash"))
                .hasSize(3);

        try (LocalStore s = LocalStore.openExisting(store);
                StoreReader reader = new StoreReader(s)) {
            StoreStats stats = s.index().stats();
            assertThat(stats.uniqueContents()).isEqualTo(expectedContents.size());
            assertThat(stats.duplicates()).isEqualTo(files.size() - expectedContents.size());
            assertThat(stats.rejected()).isEqualTo(3);
            assertThat(stats.segments()).isGreaterThan(1);
            for (Map.Entry<String, String> f : files.entrySet()) {
                ContentRecord c = reader.resolve(f.getValue());
                Path back = tmp.resolve("back.bin");
                reader.copyTo(c, back);
                assertThat(Files.mismatch(back, Path.of(f.getKey()))).isEqualTo(-1L);
                assertThat(reader.resolve(c.rootCid()).contentHash()).isEqualTo(f.getValue());
            }
        }
        StoreSnapshot.assertSound(store);
    }

    @Test
    void aSecondRunStoresNothingAgain() throws Exception {
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 1);
        Path store = tmp.resolve("store");
        JobTestSupport.ingest(store, FaultInjector.NONE, tree);
        StoreSnapshot first = StoreSnapshot.of(store);
        StoreStats firstStats;
        try (LocalStore s = LocalStore.openExisting(store)) {
            firstStats = s.index().stats();
        }

        JobTestSupport.ingest(store, FaultInjector.NONE, tree);

        assertThat(StoreSnapshot.of(store)).isEqualTo(first);
        try (LocalStore s = LocalStore.openExisting(store)) {
            assertThat(s.index().stats()).isEqualTo(firstStats);
        }
        StoreSnapshot.assertSound(store);
    }
}
