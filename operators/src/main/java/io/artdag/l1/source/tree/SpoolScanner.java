package io.artdag.l1.source.tree;

import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.source.InputLayout;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Finds the ready nodes of a spool (its direct, non-hidden subdirectories holding a {@code
 * metadata.json}) whose change time (ctime: set by the kernel when an entry is added, when the
 * directory is renamed into the spool, never by a program) is at or after a threshold. Nothing it
 * keeps grows with the nodes it has seen:
 *
 * <ul>
 *   <li>the threshold after a scan is {@code min(scan start, newest ctime seen − scan duration) −
 *       slack}: every node that became ready before it was found by this or an earlier scan, by the
 *       local clock and by the file system's alike;
 *   <li>a scan lists the spool and reads one ctime per node directory, and looks for {@code
 *       metadata.json} only in directories changed since the threshold; when the spool directory
 *       itself has not changed since well before the last scan, it checks only the directories it
 *       knows to be not ready yet (in memory, not checkpointed: the first scan after a start learns
 *       them again).
 * </ul>
 *
 * Not thread-safe: one scan at a time, from one thread.
 */
final class SpoolScanner {
    /** A ready node: its {@code metadata.json} (encoded) and its directory's ctime. */
    record Found(String metadata, long ctime) {}

    /** What a scan found, and the threshold the next one may start from. */
    record Result(List<Found> found, long nextThreshold) {}

    private final Path root;
    private final long slackMillis;
    private final LongSupplier clock;

    /** Directories without metadata.json yet; complete once a first full scan has run. */
    private final Set<Path> notReady = new HashSet<>();

    private boolean learned;
    private long rootCtimeSeen = Long.MIN_VALUE;

    SpoolScanner(Path root, long slackMillis, LongSupplier clock) {
        this.root = root;
        this.slackMillis = slackMillis;
        this.clock = clock;
    }

    /** Ready nodes changed at or after {@code threshold} (all ready nodes at the first scan). */
    Result scan(long threshold) throws IOException {
        long start = clock.getAsLong();
        long t0 = System.nanoTime();
        List<Found> found = new ArrayList<>();
        long newest = Long.MIN_VALUE;
        long rootCtime = ctime(root);
        boolean rootQuiet =
                learned && rootCtime == rootCtimeSeen && rootCtime < start - slackMillis;
        if (rootQuiet) {
            // No entry was added to or removed from the spool: only not-ready nodes can change.
            for (Iterator<Path> it = notReady.iterator(); it.hasNext(); ) {
                Path dir = it.next();
                long c;
                try {
                    c = ctime(dir);
                } catch (NoSuchFileException gone) {
                    it.remove();
                    continue;
                }
                newest = Math.max(newest, c);
                if (ready(dir)) {
                    it.remove();
                    found.add(new Found(metadata(dir), c));
                }
            }
        } else {
            Set<Path> stillNotReady = new HashSet<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                for (Path dir : entries) {
                    if (dir.getFileName().toString().startsWith(".")) {
                        continue;
                    }
                    Map<String, Object> a;
                    try {
                        a =
                                Files.readAttributes(
                                        dir, "unix:ctime,isDirectory", LinkOption.NOFOLLOW_LINKS);
                    } catch (NoSuchFileException gone) {
                        continue;
                    }
                    if (!Boolean.TRUE.equals(a.get("isDirectory"))) {
                        continue;
                    }
                    long c = ((FileTime) a.get("ctime")).toMillis();
                    newest = Math.max(newest, c);
                    boolean changed = c >= threshold;
                    if (!changed && learned && !notReady.contains(dir)) {
                        continue; // found by an earlier scan
                    }
                    if (ready(dir)) {
                        if (changed) {
                            found.add(new Found(metadata(dir), c));
                        }
                    } else {
                        stillNotReady.add(dir);
                    }
                }
            } catch (DirectoryIteratorException e) {
                throw e.getCause();
            }
            notReady.clear();
            notReady.addAll(stillNotReady);
            learned = true;
            rootCtimeSeen = rootCtime;
        }
        if (newest == Long.MIN_VALUE) {
            newest = rootCtime;
        }
        long tookMillis = (System.nanoTime() - t0) / 1_000_000 + 1;
        long next = Math.min(start, newest - tookMillis) - slackMillis;
        return new Result(found, Math.max(threshold, next));
    }

    /** How many node directories are known not to be ready (what a quiet scan looks at). */
    int notReadyCount() {
        return notReady.size();
    }

    private static boolean ready(Path dir) {
        return Files.exists(dir.resolve(InputLayout.NODE_METADATA), LinkOption.NOFOLLOW_LINKS);
    }

    private static String metadata(Path dir) {
        return FilePaths.encode(dir.resolve(InputLayout.NODE_METADATA));
    }

    static long ctime(Path p) throws IOException {
        return ((FileTime) Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS))
                .toMillis();
    }
}
