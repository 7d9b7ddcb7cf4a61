package io.artdag.l1.source.tree;

import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.source.InputLayout;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.file.ClosedWatchServiceException;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the ready nodes of a spool (its direct, non-hidden subdirectories holding a {@code
 * metadata.json}) whose change time (ctime: set by the kernel when an entry is added, when the
 * directory is renamed into the spool, never by a program) is at or after a threshold.
 *
 * <p>What it keeps does not grow with the nodes it has seen, and neither does what a scan reads,
 * once the spool is watched:
 *
 * <ul>
 *   <li>the threshold after a scan is {@code min(scan start, newest ctime seen − scan duration) −
 *       slack}: every node that became ready before it was found by this or an earlier scan, by the
 *       local clock and by the file system's alike;
 *   <li>in memory, not checkpointed: the directories known not to be ready yet (the first scan
 *       after a start learns them again), and an inotify watch on the spool directory ({@link
 *       SpoolWatch}, registered before the first listing, so no entry created meanwhile is missed);
 *   <li>a <em>listing</em> lists the spool and reads one ctime per node directory, and looks for
 *       {@code metadata.json} only in directories changed since the threshold. The first scan is
 *       one (so a restart offers again only the nodes changed since the checkpointed threshold);
 *       after it, a scan of a watched spool reads only the entries created in the spool directory
 *       since the previous scan and the directories not ready yet: its cost follows the nodes that
 *       are new or not ready, not the nodes the spool holds. A watched spool is listed again when
 *       the watch lost events (it overflowed, or the spool directory was deleted or replaced), when
 *       the spool directory changed but no event came, and every {@link #LISTING_EVERY_NANOS 5
 *       minutes} as a net;
 *   <li>a spool that cannot be watched (not Linux, a network file system, no inotify instance left)
 *       is listed at every scan, except when the spool directory itself has not changed since well
 *       before the last scan: then only the directories known not to be ready are checked.
 * </ul>
 *
 * <p>Symbolic links are not followed: a node is a directory, read with {@code NOFOLLOW_LINKS}.
 * Nothing after the first scan re-reads a ready node whose directory changes again, except a
 * listing, which offers it again when its ctime is at or after the threshold (a repeated sighting).
 *
 * <p>Not thread-safe: one scan at a time, from one thread; {@link #close} (which ends the watch)
 * may come from another thread, and a scan after it lists the spool without a watch.
 */
final class SpoolScanner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolScanner.class);

    /** How often a watched spool is listed whole all the same: a net under the watch. */
    static final long LISTING_EVERY_NANOS = TimeUnit.MINUTES.toNanos(5);

    /** Closes the watch of a scanner dropped without {@link #close}. */
    private static final Cleaner CLEANER = Cleaner.create();

    /** A ready node: its {@code metadata.json} (encoded) and its directory's ctime. */
    record Found(String metadata, long ctime) {}

    /** What a scan found, and the threshold the next one may start from. */
    record Result(List<Found> found, long nextThreshold) {}

    private final Path root;
    private final long slackMillis;
    private final LongSupplier clock;

    /** Directories without metadata.json yet; complete once a first listing has run. */
    private final Set<Path> notReady = new HashSet<>();

    private boolean learned;

    /** The spool directory's ctime at the last listing: when an unwatched spool is quiet. */
    private long rootCtimeListed = Long.MIN_VALUE;

    /** The spool directory's ctime at the last scan: a watched spool changed without an event. */
    private long rootCtimeSeen = Long.MIN_VALUE;

    private final Object watchLock = new Object();
    private SpoolWatch watch; // opened and closed under watchLock
    private Cleaner.Cleanable watchCleaner;
    private boolean closed;

    /** False once the spool is known not to be watchable. */
    private boolean tryWatching;

    /** Opening the watch failed: it is tried again from {@code watchAgainAt} (nanoTime). */
    private boolean watchFailed;

    private long watchAgainAt;

    /** The watch that was in place before the last listing started (its events complete it). */
    private SpoolWatch listedWith;

    private long listedAt;
    private volatile String listNext;

    /** Tests: runs after the watch is in place and before a listing starts. */
    Runnable beforeListing = () -> {};

    private long examined;
    private int listings;

    SpoolScanner(Path root, long slackMillis, LongSupplier clock) {
        this(root, slackMillis, clock, true);
    }

    /** A scanner that never watches the spool when {@code watch} is false (tests). */
    SpoolScanner(Path root, long slackMillis, LongSupplier clock, boolean watch) {
        this.root = root;
        this.slackMillis = slackMillis;
        this.clock = clock;
        this.tryWatching = watch;
    }

    /** Ready nodes changed at or after {@code threshold} (all ready nodes at the first scan). */
    Result scan(long threshold) throws IOException {
        long start = clock.getAsLong();
        long t0 = System.nanoTime();
        SpoolWatch w = watch(t0);
        SpoolWatch.Changes changes = null;
        if (w != null && w == listedWith && t0 - listedAt < LISTING_EVERY_NANOS) {
            changes = poll(w);
        }
        // Set again when this scan ends: after a scan that failed (its events polled and not
        // all read), the next one lists the spool.
        listedWith = null;
        if (w != null && (changes == null || changes.lost() != null)) {
            // A listing follows: events from here on name what it may not see.
            if (changes != null) {
                LOG.debug("Listing spool {}: {}", root, changes.lost());
            }
            changes = null;
            try {
                w.rearm();
            } catch (IOException | ClosedWatchServiceException e) {
                dropWatch(w, e);
                w = null;
            }
        }
        long rootCtime = ctime(root);
        List<Found> found = new ArrayList<>();
        long newest;
        if (changes != null && (changes.events() > 0 || rootCtime == rootCtimeSeen)) {
            newest = scanChanged(start, changes.created(), found);
            listedWith = w;
        } else if (w == null
                && learned
                && rootCtime == rootCtimeListed
                && rootCtime < start - slackMillis) {
            // No entry was added to or removed from the spool: only not-ready nodes can change.
            newest = scanNotReady(start, found);
        } else {
            if (changes != null) {
                LOG.debug("Listing spool {}: it changed, and no event came", root);
            }
            beforeListing.run();
            newest = list(threshold, found);
            rootCtimeListed = rootCtime;
            listedWith = w;
            listedAt = t0;
        }
        rootCtimeSeen = rootCtime;
        if (newest == Long.MIN_VALUE) {
            newest = rootCtime;
        }
        long tookMillis = (System.nanoTime() - t0) / 1_000_000 + 1;
        long next = Math.min(start, newest - tookMillis) - slackMillis;
        return new Result(found, Math.max(threshold, next));
    }

    /** The watch, opened if it is not and may be; null when the spool is not watched. */
    private SpoolWatch watch(long now) {
        synchronized (watchLock) {
            if (closed || watch != null || !tryWatching || watchFailed && now - watchAgainAt < 0) {
                return closed ? null : watch;
            }
            try {
                String why = SpoolWatch.unwatchable(root);
                if (why != null) {
                    tryWatching = false;
                    LOG.info("Spool {} is not watched, it is listed at every scan: {}", root, why);
                    return null;
                }
                watch = SpoolWatch.open(root);
                watchFailed = false;
                watchCleaner = CLEANER.register(this, closing(watch));
                LOG.info("Watching spool {}: a scan reads only its new and not-ready nodes", root);
            } catch (IOException | RuntimeException e) {
                watchFailed = true;
                if (e instanceof NoSuchFileException) {
                    // The spool does not exist (yet): the scan fails, the next one tries again.
                    watchAgainAt = now;
                } else {
                    // No inotify instance or watch left, or another error: listed meanwhile.
                    watchAgainAt = now + LISTING_EVERY_NANOS;
                    LOG.warn(
                            "Cannot watch spool {}, listing it at every scan for now: {}",
                            root,
                            e.toString());
                }
            }
            return watch;
        }
    }

    /** The changes since the last scan, or why they are not known. */
    private SpoolWatch.Changes poll(SpoolWatch w) {
        SpoolWatch.Changes changes;
        try {
            changes = w.poll();
        } catch (IOException | ClosedWatchServiceException e) {
            changes = SpoolWatch.Changes.lost(e.toString());
        }
        String forced = listNext;
        if (forced != null) {
            listNext = null;
            changes = SpoolWatch.Changes.lost(forced);
        }
        return changes;
    }

    private void dropWatch(SpoolWatch w, Exception why) {
        synchronized (watchLock) {
            if (watch == w) {
                watchCleaner.clean();
                watch = null;
                watchFailed = false;
            }
        }
        LOG.debug(
                "Spool {}: watch dropped, opened again at the next scan: {}", root, why.toString());
    }

    /** Closes {@code w}; holds no reference to the scanner. */
    private static Runnable closing(SpoolWatch w) {
        return () -> {
            try {
                w.close();
            } catch (IOException e) {
                LOG.debug("Closing a spool watch failed", e);
            }
        };
    }

    /**
     * Reads the entries created since the last scan, and the directories not ready yet. A ready one
     * is offered whatever its ctime, as found at {@code start} at the earliest: an event can reach
     * the watch after a scan that moved the threshold past the node's ctime (a busy machine), and
     * such a node must not be taken for one offered before. Offering a node twice is a repeated
     * sighting, which the store records once.
     */
    private long scanChanged(long start, Set<Path> created, List<Found> found) throws IOException {
        long newest = Long.MIN_VALUE;
        Set<Path> dirs = new LinkedHashSet<>(notReady);
        for (Path name : created) {
            if (!name.toString().startsWith(".")) {
                dirs.add(root.resolve(name)); // a Path keeps a name's bytes, UTF-8 or not
            }
        }
        for (Path dir : dirs) {
            Map<String, Object> a = directory(dir);
            if (a == null) {
                notReady.remove(dir);
                continue;
            }
            long c = ((FileTime) a.get("ctime")).toMillis();
            newest = Math.max(newest, c);
            if (ready(dir)) {
                notReady.remove(dir);
                found.add(new Found(metadata(dir), Math.max(c, start)));
            } else {
                notReady.add(dir);
            }
        }
        return newest;
    }

    /**
     * Checks the directories known not to be ready (an unwatched spool that did not change); a
     * ready one is offered as found at {@code start} at the earliest, like {@link #scanChanged}.
     */
    private long scanNotReady(long start, List<Found> found) throws IOException {
        long newest = Long.MIN_VALUE;
        for (Iterator<Path> it = notReady.iterator(); it.hasNext(); ) {
            Path dir = it.next();
            long c;
            try {
                examined++;
                c = ctime(dir);
            } catch (NoSuchFileException gone) {
                it.remove();
                continue;
            }
            newest = Math.max(newest, c);
            if (ready(dir)) {
                it.remove();
                found.add(new Found(metadata(dir), Math.max(c, start)));
            }
        }
        return newest;
    }

    /** Lists the spool: reads every node directory's ctime. */
    private long list(long threshold, List<Found> found) throws IOException {
        listings++;
        long newest = Long.MIN_VALUE;
        Set<Path> stillNotReady = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path dir : entries) {
                if (dir.getFileName().toString().startsWith(".")) {
                    continue;
                }
                Map<String, Object> a = directory(dir);
                if (a == null) {
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
        return newest;
    }

    /** A directory's ctime and type, not following a link; null when it is gone or not one. */
    private Map<String, Object> directory(Path dir) throws IOException {
        examined++;
        Map<String, Object> a;
        try {
            a = Files.readAttributes(dir, "unix:ctime,isDirectory", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return null;
        }
        return Boolean.TRUE.equals(a.get("isDirectory")) ? a : null;
    }

    /** How many node directories are known not to be ready (what a quiet scan looks at). */
    int notReadyCount() {
        return notReady.size();
    }

    /** How many node directories' attributes the scans have read (tests). */
    long examined() {
        return examined;
    }

    /** How many scans listed the spool (tests). */
    int listings() {
        return listings;
    }

    /** Whether the spool is watched now (tests). */
    boolean watching() {
        synchronized (watchLock) {
            return watch != null;
        }
    }

    /** Makes the next scan of a watched spool list it, as an overflow of the watch does (tests). */
    void loseEvents(String why) {
        listNext = why;
    }

    /** Ends the watch (its thread and inotify instance); a later scan lists without one. */
    @Override
    public void close() {
        synchronized (watchLock) {
            closed = true;
            if (watch != null) {
                watchCleaner.clean();
                watch = null;
            }
        }
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
