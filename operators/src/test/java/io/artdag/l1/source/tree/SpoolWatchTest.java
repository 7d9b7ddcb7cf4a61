package io.artdag.l1.source.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watched spool: after the first listing, a scan reads only the entries created in the spool
 * since the previous scan and the nodes not ready yet, and lists the spool again when the watch
 * cannot say what changed. What is offered is the same as without the watch.
 */
class SpoolWatchTest {
    private static final long SLACK = 50;

    @TempDir Path tmp;
    private Path spool;

    /** Every enumerator made here, closed after each test (their scanners' watches with them). */
    private final List<SpoolSplitEnumerator> enumerators = new ArrayList<>();

    @BeforeEach
    void spool() throws Exception {
        spool = Files.createDirectories(tmp.resolve("spool"));
    }

    @AfterEach
    void close() {
        enumerators.forEach(SpoolSplitEnumerator::close);
    }

    /** An enumerator whose assigned nodes go to {@code assigned}, in order. */
    @SuppressWarnings("unchecked")
    private SpoolSplitEnumerator enumerator(List<String> assigned) {
        SplitEnumeratorContext<DirectorySplit> context =
                (SplitEnumeratorContext<DirectorySplit>)
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
                                                    .forEach(
                                                            l ->
                                                                    l.forEach(
                                                                            s ->
                                                                                    assigned.add(
                                                                                            s
                                                                                                    .path())));
                                            return null;
                                        default:
                                            return null;
                                    }
                                });
        SpoolSplitEnumerator e =
                new SpoolSplitEnumerator(
                        context, spool, 1000, SLACK, SpoolEnumeratorState.initial());
        enumerators.add(e);
        return e;
    }

    /** One scan by the enumerator's own scanner, applied as the coordinator would; all taken. */
    private static void scan(SpoolSplitEnumerator e, SpoolScanner s) throws Exception {
        e.apply(s.scan(e.snapshotState(0).threshold()), null);
        do {
            e.handleSplitRequest(0, "localhost");
        } while (!e.unassigned().isEmpty());
    }

    /**
     * Scans until {@code assigned} holds {@code count} nodes (an event reaches the watch service
     * from its own thread; usually the first scan finds it); returns the scans made.
     */
    private static int scanUntil(
            SpoolSplitEnumerator e, SpoolScanner s, List<String> assigned, int count)
            throws Exception {
        int scans = 0;
        while (assigned.size() < count && scans < 50) {
            if (scans > 0) {
                Thread.sleep(20);
            }
            scan(e, s);
            scans++;
        }
        assertThat(assigned).hasSize(count);
        return scans;
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

    private String meta(String id) {
        return spool.resolve(id).resolve("metadata.json").toString();
    }

    @Test
    void aScanAfterTheFirstReadsOnlyTheNewAndTheNotReadyNodes() throws Exception {
        for (int i = 0; i < 2000; i++) {
            node(spool, "old-" + i, true);
        }
        node(spool, "pending", false);
        List<String> assigned = new ArrayList<>();
        SpoolSplitEnumerator e = enumerator(assigned);
        SpoolScanner s = e.scanner();
        scan(e, s); // the first scan lists the spool
        assertThat(assigned).hasSize(2000);
        assertThat(s.examined()).isEqualTo(2001);

        long before = s.examined();
        for (int i = 0; i < 3; i++) {
            node(spool, "new-" + i, true);
        }
        int scans = scanUntil(e, s, assigned, 2003);
        // The 3 new nodes once, and the one not ready at each scan; not the 2,000 found before.
        assertThat(s.examined() - before).isLessThanOrEqualTo(3 + scans);
        assertThat(assigned.subList(2000, 2003))
                .containsExactlyInAnyOrder(meta("new-0"), meta("new-1"), meta("new-2"));
        assertThat(s.listings()).isEqualTo(1);
        assertThat(s.notReadyCount()).isEqualTo(1);

        // A scan with nothing new reads the node not ready, and nothing else.
        before = s.examined();
        scan(e, s);
        assertThat(s.examined() - before).isEqualTo(1);
        assertThat(assigned).hasSize(2003);
    }

    @Test
    void aNodeCreatedBetweenRegisteringTheWatchAndTheFirstListingIsFound() throws Exception {
        List<String> assigned = new ArrayList<>();
        SpoolSplitEnumerator e = enumerator(assigned);
        SpoolScanner s = e.scanner();
        boolean[] done = {false};
        s.beforeListing =
                () -> {
                    if (!done[0]) {
                        done[0] = true;
                        try {
                            node(spool, "between", true);
                            node(spool, "between-late", false);
                        } catch (Exception x) {
                            throw new AssertionError(x);
                        }
                    }
                };
        scan(e, s);
        assertThat(s.watching()).isTrue();
        assertThat(assigned).containsExactly(meta("between"));
        ready(spool, "between-late");
        scanUntil(e, s, assigned, 2);
        scan(e, s);
        scan(e, s);
        assertThat(assigned).containsExactly(meta("between"), meta("between-late"));
        assertThat(s.listings()).isEqualTo(1);
    }

    @Test
    void aNodeWhoseMetadataIsWrittenAfterItsDirectoryAppearedIsFound() throws Exception {
        node(spool, "a", true);
        List<String> assigned = new ArrayList<>();
        SpoolSplitEnumerator e = enumerator(assigned);
        SpoolScanner s = e.scanner();
        scan(e, s);

        node(spool, "late", false);
        for (int i = 0; i < 50 && s.notReadyCount() == 0; i++) {
            scan(e, s);
        }
        assertThat(s.notReadyCount()).isEqualTo(1);
        assertThat(assigned).containsExactly(meta("a"));
        Files.writeString(spool.resolve("late/more.bin"), "still rendering");
        scan(e, s);
        assertThat(assigned).containsExactly(meta("a"));

        ready(spool, "late");
        scan(e, s); // a node not ready is checked at every scan: no event needed
        assertThat(assigned).containsExactly(meta("a"), meta("late"));
        assertThat(s.notReadyCount()).isZero();
        scan(e, s);
        assertThat(assigned).containsExactly(meta("a"), meta("late"));
        assertThat(s.listings()).isEqualTo(1);
    }

    /**
     * A node whose event reaches the watch late, after a scan already moved the threshold past the
     * node's ctime (a busy machine), is still offered: a node named by an event is offered as found
     * now, whatever its ctime. Here the late scan is simulated by a threshold a minute ahead.
     */
    @Test
    void aNodeWhoseEventComesAfterTheThresholdPassedItIsStillOffered() throws Exception {
        List<String> assigned = new ArrayList<>();
        SpoolSplitEnumerator e = enumerator(assigned);
        SpoolScanner s = e.scanner();
        scan(e, s); // the first listing: an empty spool
        node(spool, "late", true);
        long ahead = System.currentTimeMillis() + 60_000;
        for (int i = 0; i < 50 && assigned.isEmpty(); i++) {
            e.apply(s.scan(ahead), null);
            e.handleSplitRequest(0, "localhost");
            Thread.sleep(20);
        }
        assertThat(assigned).containsExactly(meta("late"));
        assertThat(s.listings()).as("found through its event, not a listing").isEqualTo(1);
    }

    /**
     * A node whose name is not UTF-8, found through its event (the event's name keeps the raw
     * bytes; a name turned into text and back would name another directory, and the node would be
     * taken for one deleted meanwhile).
     */
    @Test
    void aNodeWhoseNameIsNotUtf8IsFoundThroughItsEvent() throws Exception {
        List<String> assigned = new ArrayList<>();
        SpoolSplitEnumerator e = enumerator(assigned);
        SpoolScanner s = e.scanner();
        scan(e, s);
        Path odd = Path.of(java.net.URI.create(spool.toUri() + "node%FFodd"));
        Files.createDirectories(odd);
        Files.writeString(odd.resolve("output.bin"), "odd");
        Files.writeString(odd.resolve("metadata.json"), "{}");
        scanUntil(e, s, assigned, 1);
        assertThat(assigned)
                .containsExactly(
                        io.artdag.l1.operators.FilePaths.encode(odd.resolve("metadata.json")));
        assertThat(s.listings()).as("found through its event, not a listing").isEqualTo(1);
    }

    @Test
    void aNodeRenamedIntoTheSpoolIsFound() throws Exception {
        List<String> assigned = new ArrayList<>();
        SpoolSplitEnumerator e = enumerator(assigned);
        SpoolScanner s = e.scanner();
        scan(e, s);

        node(spool, ".tmp-x", true); // a renderer's scratch directory: hidden, not a node
        scan(e, s);
        scan(e, s);
        assertThat(assigned).isEmpty();
        Files.move(spool.resolve(".tmp-x"), spool.resolve("x"), StandardCopyOption.ATOMIC_MOVE);
        scanUntil(e, s, assigned, 1);
        scan(e, s);
        assertThat(assigned).containsExactly(meta("x"));
        assertThat(s.listings()).isEqualTo(1);
    }

    @Test
    void lostEventsFallBackToAListing() throws Exception {
        for (int i = 0; i < 50; i++) {
            node(spool, "old-" + i, true);
        }
        List<String> assigned = new ArrayList<>();
        SpoolSplitEnumerator e = enumerator(assigned);
        SpoolScanner s = e.scanner();
        scan(e, s);
        assertThat(assigned).hasSize(50);

        Thread.sleep(3 * SLACK); // the nodes found are older than the next threshold
        scan(e, s);
        s.loseEvents("overflow (test)"); // as when the watch service reports OVERFLOW
        node(spool, "new", true);
        long before = s.examined();
        scan(e, s);
        assertThat(s.listings()).isEqualTo(2);
        assertThat(s.examined() - before).isEqualTo(51);
        // The listing offers what changed since the threshold, not again what was found before.
        assertThat(assigned).hasSize(51).endsWith(meta("new"));

        // Then back to reading only what is new.
        node(spool, "newer", true);
        before = s.examined();
        scanUntil(e, s, assigned, 52);
        assertThat(s.listings()).isEqualTo(2);
        assertThat(s.examined() - before).isLessThan(10);
    }

    @Test
    void moreNodesAtOnceThanTheWatchHoldsAreAllFound() throws Exception {
        List<String> assigned = new ArrayList<>();
        SpoolSplitEnumerator e = enumerator(assigned);
        SpoolScanner s = e.scanner();
        scan(e, s);
        // The JDK's watch key holds 512 events; past that it reports an OVERFLOW.
        for (int i = 0; i < 1000; i++) {
            node(spool, "burst-" + i, true);
        }
        scanUntil(e, s, assigned, 1000);
        scan(e, s);
        assertThat(new HashSet<>(assigned)).hasSize(1000);
        assertThat(assigned).hasSize(1000);
    }

    @Test
    void aReplacedSpoolDirectoryIsListed() throws Exception {
        node(spool, "a", true);
        List<String> assigned = new ArrayList<>();
        SpoolSplitEnumerator e = enumerator(assigned);
        SpoolScanner s = e.scanner();
        scan(e, s);

        // Moved away and a new one made in its place: the watch still follows the old one.
        Files.move(spool, tmp.resolve("spool-old"));
        Files.createDirectories(spool);
        node(spool, "b", true);
        scan(e, s);
        assertThat(s.listings()).isEqualTo(2);
        assertThat(assigned).containsExactly(meta("a"), meta("b"));

        // Deleted and made again: the watch ends.
        deleteTree(spool);
        Files.createDirectories(spool);
        node(spool, "c", true);
        scan(e, s);
        assertThat(s.listings()).isEqualTo(3);
        assertThat(assigned).containsExactly(meta("a"), meta("b"), meta("c"));

        node(spool, "d", true);
        scanUntil(e, s, assigned, 4);
        assertThat(s.listings()).isEqualTo(3);
        assertThat(s.watching()).isTrue();
    }

    @Test
    void aSpoolDirectoryThatChangedWithoutAnEventIsListed() throws Exception {
        node(spool, "a", true);
        List<String> assigned = new ArrayList<>();
        SpoolSplitEnumerator e = enumerator(assigned);
        SpoolScanner s = e.scanner();
        scan(e, s);
        scan(e, s);
        assertThat(s.listings()).isEqualTo(1);
        Thread.sleep(20); // past the file system's timestamp granularity
        // Changes the spool directory's ctime and makes no entry event (as a change made
        // through another machine's mount of a network file system would).
        Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
        scan(e, s);
        assertThat(s.listings()).isEqualTo(2);
        assertThat(assigned).containsExactly(meta("a"));
    }

    @Test
    void anUnwatchedSpoolIsScannedAsBeforeAndOffersTheSame() throws Exception {
        for (int i = 0; i < 20; i++) {
            node(spool, "n" + i, true);
        }
        node(spool, "pending", false);
        node(spool, ".tmp-hidden", true);
        Files.writeString(spool.resolve("stray.txt"), "not a node");
        Files.createSymbolicLink(spool.resolve("linked"), spool.resolve("n1"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        node(outside, "elsewhere", true);
        Files.createSymbolicLink(spool.resolve("link-out"), outside.resolve("elsewhere"));

        List<String> watchedAssigned = new ArrayList<>();
        SpoolSplitEnumerator watched = enumerator(watchedAssigned);
        SpoolScanner w = watched.scanner();
        List<String> listedAssigned = new ArrayList<>();
        SpoolSplitEnumerator listed = enumerator(listedAssigned);
        SpoolScanner l = new SpoolScanner(spool, SLACK, System::currentTimeMillis, false);

        List<Runnable> steps =
                List.of(
                        () -> {},
                        () -> run(() -> node(spool, "m1", true)),
                        () -> run(() -> ready(spool, "pending")),
                        () -> run(() -> node(spool, "m2", false)),
                        () -> run(() -> ready(spool, "m2")),
                        () ->
                                run(
                                        () ->
                                                Files.move(
                                                        spool.resolve(".tmp-hidden"),
                                                        spool.resolve("moved-in"))),
                        () -> run(() -> Files.createSymbolicLink(spool.resolve("l2"), outside)));
        for (Runnable step : steps) {
            step.run();
            scan(listed, l);
            // The watched scan may need another scan for an event still on its way.
            int target = listedAssigned.size();
            for (int i = 0; i < 50 && watchedAssigned.size() < target; i++) {
                Thread.sleep(i == 0 ? 0 : 20);
                scan(watched, w);
            }
            assertThat(watchedAssigned).containsExactlyInAnyOrderElementsOf(listedAssigned);
        }
        assertThat(listedAssigned)
                .containsExactlyInAnyOrderElementsOf(
                        Stream.concat(
                                        Stream.iterate(0, i -> i + 1)
                                                .limit(20)
                                                .map(i -> meta("n" + i)),
                                        Stream.of(
                                                meta("m1"),
                                                meta("pending"),
                                                meta("m2"),
                                                meta("moved-in")))
                                .collect(Collectors.toList()));
        assertThat(w.watching()).isTrue();
        assertThat(l.watching()).isFalse();
        // Without the watch, every scan after a change to the spool lists it (as before): the
        // first, and those after steps 1, 3, 5 and 6.
        assertThat(l.listings()).isGreaterThanOrEqualTo(5);
        assertThat(w.listings()).isEqualTo(1);
        l.close();
    }

    @Test
    void closingTheEnumeratorEndsTheWatchAndItsThread() throws Exception {
        node(spool, "a", true);
        List<String> assigned = new ArrayList<>();
        SpoolSplitEnumerator e = enumerator(assigned);
        SpoolScanner s = e.scanner();
        Set<Thread> before = watchThreads();
        scan(e, s);
        assertThat(s.watching()).isTrue();
        Set<Thread> started = watchThreads();
        started.removeAll(before);
        assertThat(started).hasSize(1);

        e.close();
        assertThat(s.watching()).isFalse();
        Thread thread = started.iterator().next();
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();

        // A scan still running, or made after the close, lists without opening a watch again.
        node(spool, "b", true);
        scan(e, s);
        assertThat(s.watching()).isFalse();
        assertThat(assigned).containsExactly(meta("a"), meta("b"));
        assertThat(watchThreads()).isSubsetOf(before);
    }

    @Test
    void aScannerDroppedWithoutClosingEndsItsWatchWhenCollected() throws Exception {
        Set<Thread> before = watchThreads();
        scanOnceAndDrop();
        Set<Thread> started = watchThreads();
        started.removeAll(before);
        assertThat(started).hasSize(1);
        Thread thread = started.iterator().next();
        for (int i = 0; i < 100 && thread.isAlive(); i++) {
            System.gc();
            thread.join(100);
        }
        assertThat(thread.isAlive()).isFalse();
    }

    private void scanOnceAndDrop() throws Exception {
        SpoolScanner s = new SpoolScanner(spool, SLACK, System::currentTimeMillis);
        s.scan(Long.MIN_VALUE);
        assertThat(s.watching()).isTrue();
    }

    /** The JDK's watch service threads alive now. */
    private static Set<Thread> watchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("FileSystemWatchService") && t.isAlive())
                .collect(Collectors.toCollection(HashSet::new));
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void run(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
