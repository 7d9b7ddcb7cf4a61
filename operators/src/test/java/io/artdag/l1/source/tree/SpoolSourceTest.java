package io.artdag.l1.source.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolSourceTest {
    private static final long SLACK = 50;

    @TempDir Path tmp;

    /** Everything the enumerator assigned, in order. */
    private final List<String> assigned = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private SplitEnumeratorContext<DirectorySplit> context() {
        return (SplitEnumeratorContext<DirectorySplit>)
                Proxy.newProxyInstance(
                        getClass().getClassLoader(),
                        new Class<?>[] {SplitEnumeratorContext.class},
                        (proxy, method, args) -> {
                            switch (method.getName()) {
                                case "registeredReaders":
                                    return Map.of(0, new Object());
                                case "assignSplits":
                                    ((SplitsAssignment<DirectorySplit>) args[0])
                                            .assignment()
                                            .values()
                                            .forEach(l -> l.forEach(s -> assigned.add(s.path())));
                                    return null;
                                default:
                                    return null;
                            }
                        });
    }

    private static Path node(Path spool, String id, boolean ready) throws Exception {
        Path dir = Files.createDirectories(spool.resolve(id));
        Files.writeString(dir.resolve("output.bin"), id);
        if (ready) {
            ready(spool, id);
        }
        return dir;
    }

    private static void ready(Path spool, String id) throws Exception {
        Files.writeString(spool.resolve(id).resolve("metadata.json"), "{}");
    }

    private static String meta(Path spool, String id) {
        return spool.resolve(id).resolve("metadata.json").toString();
    }

    private SpoolSplitEnumerator enumerator(Path spool, SpoolEnumeratorState state) {
        return new SpoolSplitEnumerator(context(), spool, 1000, SLACK, state);
    }

    /** One scan, applied as the coordinator would, and every offered node taken by a reader. */
    private static void scan(SpoolSplitEnumerator e, SpoolScanner s) throws Exception {
        e.apply(s.scan(e.snapshotState(0).threshold()), null);
        do {
            e.handleSplitRequest(0, "localhost"); // a reader asks for up to a batch at a time
        } while (!e.unassigned().isEmpty());
    }

    /** The scanners made here, closed after each test (their watches with them). */
    private final List<SpoolScanner> scanners = new ArrayList<>();

    @AfterEach
    void closeScanners() {
        scanners.forEach(SpoolScanner::close);
    }

    private SpoolScanner scanner(Path spool) {
        SpoolScanner s = new SpoolScanner(spool, SLACK, System::currentTimeMillis);
        scanners.add(s);
        return s;
    }

    @Test
    void offersReadyNodesOnceAndThoseThatBecomeReadyLater() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        node(spool, "n1", true);
        node(spool, "n2", false); // output written, metadata not yet
        node(spool, ".tmp-n3", true); // hidden: a renderer's scratch directory
        Files.writeString(spool.resolve("stray.txt"), "not a node");
        Files.createSymbolicLink(spool.resolve("linked"), spool.resolve("n1"));
        SpoolSplitEnumerator e = enumerator(spool, SpoolEnumeratorState.initial());
        SpoolScanner s = scanner(spool);

        scan(e, s);
        assertThat(assigned).containsExactly(meta(spool, "n1"));
        scan(e, s);
        assertThat(assigned).containsExactly(meta(spool, "n1"));

        ready(spool, "n2");
        scan(e, s);
        scan(e, s);
        assertThat(assigned).containsExactly(meta(spool, "n1"), meta(spool, "n2"));
    }

    @Test
    void aNodeCompletedWhileTheSpoolIsQuietIsFound() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        node(spool, "a", true);
        node(spool, "late", false);
        Thread.sleep(3 * SLACK);
        SpoolSplitEnumerator e = enumerator(spool, SpoolEnumeratorState.initial());
        SpoolScanner s = scanner(spool);
        scan(e, s);
        scan(e, s); // the spool directory has not changed: only "late" is looked at
        assertThat(s.notReadyCount()).isEqualTo(1);
        ready(spool, "late");
        scan(e, s);
        assertThat(assigned).containsExactly(meta(spool, "a"), meta(spool, "late"));
        assertThat(s.notReadyCount()).isZero();
    }

    @Test
    void checkpointedStateDoesNotGrowWithTheNodesSeen() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        for (int i = 0; i < 500; i++) {
            node(spool, "old-" + i, true);
        }
        Thread.sleep(1500); // longer than a scan of 500 nodes takes, and the slack
        node(spool, "new", true);
        SpoolSplitEnumerator e = enumerator(spool, SpoolEnumeratorState.initial());
        SpoolScanner s = scanner(spool);
        scan(e, s);
        assertThat(assigned).hasSize(501);

        SpoolEnumeratorState state = e.snapshotState(1);
        assertThat(state.unassigned()).isEmpty();
        // Only what changed within the slack of the newest node is remembered.
        assertThat(state.recent().keySet()).containsExactly(meta(spool, "new"));
        assertThat(SpoolEnumeratorStateSerializer.INSTANCE.serialize(state).length).isLessThan(200);
    }

    @Test
    void aRestoredEnumeratorOffersWhatCameAfterItsCheckpointAndNothingBefore() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        node(spool, "a", true);
        node(spool, "b", false);
        Thread.sleep(3 * SLACK);
        SpoolSplitEnumerator e = enumerator(spool, SpoolEnumeratorState.initial());
        scan(e, scanner(spool));
        byte[] checkpoint = SpoolEnumeratorStateSerializer.INSTANCE.serialize(e.snapshotState(1));

        node(spool, "c", true); // after the checkpoint: offered, then the job fails
        ready(spool, "b");
        scan(e, scanner(spool));
        assertThat(assigned)
                .containsExactlyInAnyOrder(meta(spool, "a"), meta(spool, "c"), meta(spool, "b"));

        assigned.clear();
        SpoolEnumeratorState restored =
                SpoolEnumeratorStateSerializer.INSTANCE.deserialize(
                        SpoolEnumeratorStateSerializer.VERSION, checkpoint);
        SpoolSplitEnumerator again = enumerator(spool, restored);
        scan(again, scanner(spool));
        assertThat(assigned).containsExactlyInAnyOrder(meta(spool, "b"), meta(spool, "c"));
    }

    @Test
    void aFailedReadersUnreadNodesAreOfferedAgainFirst() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        node(spool, "x", true);
        SpoolSplitEnumerator e = enumerator(spool, SpoolEnumeratorState.initial());
        e.apply(scanner(spool).scan(Long.MIN_VALUE), null);
        e.addSplitsBack(
                List.of(
                        DirectorySplit.entry("/read/already").after("/read/already"),
                        DirectorySplit.entry("/not/read")),
                0);
        assertThat(e.unassigned()).containsExactly("/not/read", meta(spool, "x"));
    }

    @Test
    void stateSerializerRoundTrips() throws Exception {
        SpoolEnumeratorState s =
                new SpoolEnumeratorState(
                        1234L,
                        Map.of("/s/n1/metadata.json", 1300L),
                        List.of("/s/n2/metadata.json"));
        SpoolEnumeratorStateSerializer ser = SpoolEnumeratorStateSerializer.INSTANCE;
        assertThat(ser.deserialize(ser.getVersion(), ser.serialize(s))).isEqualTo(s);
    }
}
