package io.artdag.l1.source.tree;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An inotify watch on a spool's root directory (the JDK's Linux watch service): the names of the
 * entries created in it (made, or renamed into it) since the last {@link #poll}. Only the root's
 * own entries are watched, not what happens inside a node directory. Closing it ends the watch
 * service's thread.
 */
final class SpoolWatch implements Closeable {
    /**
     * File systems whose inotify events report every change to a directory. A network file system
     * (NFS, SMB, FUSE, 9p, …) reports only the changes made through this machine's mount, so a
     * spool written from elsewhere is listed at every scan instead.
     */
    static final Set<String> LOCAL_FILE_SYSTEMS =
            Set.of(
                    "ext2",
                    "ext3",
                    "ext4",
                    "xfs",
                    "btrfs",
                    "tmpfs",
                    "zfs",
                    "f2fs",
                    "jfs",
                    "reiserfs",
                    "bcachefs",
                    "overlay");

    /** What happened since the last poll. */
    record Changes(Set<Path> created, int events, String lost) {
        /** The entries created since the last poll are not all known: list the spool. */
        static Changes lost(String why) {
            return new Changes(Set.of(), 0, why);
        }
    }

    private final Path root;
    private final WatchService service;
    private WatchKey key;

    private SpoolWatch(Path root, WatchService service, WatchKey key) {
        this.root = root;
        this.service = service;
        this.key = key;
    }

    /**
     * Why {@code root} cannot be watched reliably (not Linux's inotify, or not a local file
     * system), or null when it can.
     */
    static String unwatchable(Path root) throws IOException {
        String type = Files.getFileStore(root).type();
        if (!LOCAL_FILE_SYSTEMS.contains(type)) {
            return "a " + type + " file system, whose changes made elsewhere inotify does not see";
        }
        try (WatchService s = root.getFileSystem().newWatchService()) {
            if (!s.getClass().getName().equals("sun.nio.fs.LinuxWatchService")) {
                return "no inotify watch here (" + s.getClass().getName() + ")";
            }
        }
        return null;
    }

    /** Watches {@code root} from now on: every entry created in it after this returns is polled. */
    static SpoolWatch open(Path root) throws IOException {
        WatchService service = root.getFileSystem().newWatchService();
        try {
            return new SpoolWatch(root, service, register(root, service));
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
    }

    private static WatchKey register(Path root, WatchService service) throws IOException {
        return root.register(service, ENTRY_CREATE, ENTRY_DELETE);
    }

    /**
     * Registers the root again (a replaced root gets a new watch) and drops the events so far: a
     * listing of the root that starts after this sees every entry they named.
     */
    void rearm() throws IOException {
        reregister();
        drain();
    }

    /** Registers the root again; true when that gave a new key (the root was replaced). */
    private boolean reregister() throws IOException {
        WatchKey now = register(root, service);
        if (now == key) {
            return false;
        }
        key.cancel();
        key = now;
        return true;
    }

    /**
     * The entries created since the last poll or {@link #rearm}, or {@link Changes#lost} with the
     * reason when they are not all known: the watch service overflowed, or the root was deleted or
     * replaced.
     */
    Changes poll() throws IOException {
        // Registering the root again costs one inotify_add_watch; the JDK's watch service reads
        // the events the kernel queued before it handles a registration, so they are polled now.
        // It also finds a root replaced since (another directory: a new key).
        if (reregister()) {
            drain();
            return Changes.lost("the spool directory was replaced");
        }
        while (service.poll() != null) {
            // the key's events are taken below; its place in the queue is not needed
        }
        Set<Path> created = new LinkedHashSet<>(); // the raw names: not UTF-8 is kept
        int events = 0;
        String lost = null;
        for (WatchEvent<?> e : key.pollEvents()) {
            events++;
            if (e.kind() == OVERFLOW) {
                lost = "more changes than the watch holds";
            } else if (e.kind() == ENTRY_CREATE) {
                created.add((Path) e.context());
            }
        }
        if (!key.reset()) {
            lost = "the spool directory's watch ended";
        }
        return lost == null ? new Changes(created, events, null) : Changes.lost(lost);
    }

    private void drain() {
        while (service.poll() != null) {
            // see poll
        }
        key.pollEvents();
        key.reset();
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
