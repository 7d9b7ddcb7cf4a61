package io.artdag.l1.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.annotation.Internal;

/**
 * The one-writer lock of a store: an OS file lock on {@code <store>/lock}, held by the process that
 * writes the store ({@code l1 ingest}, {@code l1 verify --repair}) for as long as it runs. The
 * holder writes its pid and purpose into the file so that a second writer can say who is in the
 * way; the kernel releases the lock when the holder exits, however it exits ({@code kill -9}
 * included), so a stale lock file never blocks anyone.
 *
 * <p>The lock belongs to a process, not to a {@link LocalStore}: the segment committer opens the
 * store inside the ingest's own JVM, and takes no lock. Readers take none either.
 */
@Internal
public final class StoreLock implements AutoCloseable {
    public static final String FILE = StoreLayout.LOCK;

    /** Locks this JVM holds, by lock file: a second acquire in the same process fails too. */
    private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the store's lock for {@code purpose}, creating the store directory if needed.
     *
     * @throws StoreException at once (no waiting) if another process, or this one, holds it; the
     *     message names the store and the holder's pid and purpose
     */
    public static StoreLock acquire(Path storeRoot, String purpose) throws StoreException {
        Path root = storeRoot.toAbsolutePath().normalize();
        Path file = root.resolve(FILE);
        String me = ProcessHandle.current().pid() + " " + purpose;
        if (HELD_HERE.putIfAbsent(file, me) != null) {
            throw inUse(root, HELD_HERE.get(file));
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(root);
            ch =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            FileLock lock = null;
            // A reader probing with holder() holds a shared lock for an instant and writes no
            // line: only a lock whose holder wrote its line is a writer in the way.
            for (int attempt = 0; lock == null; attempt++) {
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    String holder = readHolder(ch);
                    if (!holder.equals("?") || attempt >= 3) {
                        ch.close();
                        HELD_HERE.remove(file);
                        throw inUse(root, holder);
                    }
                }
            }
            ch.truncate(0);
            byte[] line = (me + " " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buf = ByteBuffer.wrap(line);
            long at = 0;
            while (buf.hasRemaining()) {
                at += ch.write(buf, at);
            }
            ch.force(true);
            return new StoreLock(file, ch, lock);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            HELD_HERE.remove(file);
            closeQuietly(ch);
            throw new StoreException(file + ": cannot lock the store: " + e.getMessage(), e);
        }
    }

    /**
     * Who holds the store's lock right now, as {@code "pid purpose"}, or empty if nobody does.
     * Takes the lock for an instant to find out, so it is meant for readers that want to know
     * whether a writer is active; it never blocks.
     */
    public static Optional<String> holder(Path storeRoot) {
        Path root = storeRoot.toAbsolutePath().normalize();
        Path file = root.resolve(FILE);
        String here = HELD_HERE.get(file);
        if (here != null) {
            return Optional.of(here);
        }
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        // A read-only channel cannot take an exclusive lock; a shared one on it tells as well.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock probe;
            try {
                probe = ch.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                return Optional.of("this process");
            }
            if (probe != null) {
                probe.release();
                return Optional.empty();
            }
            return Optional.of(readHolder(ch));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static StoreException inUse(Path root, String holder) {
        String[] parts = holder.split(" ", 3);
        String who =
                parts.length >= 2
                        ? "pid " + parts[0] + " (" + parts[1] + ")"
                        : "another process (pid unknown)";
        return new StoreException(
                "store " + root + " is in use by " + who + "; wait for it to finish or stop it");
    }

    /** The holder's line; it may be writing it this very moment, so a few tries. */
    private static String readHolder(FileChannel ch) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            ByteBuffer buf = ByteBuffer.allocate(512);
            long at = 0;
            int n;
            while (buf.hasRemaining() && (n = ch.read(buf, at)) > 0) {
                at += n;
            }
            String s = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            if (s.endsWith("\n")) {
                return s.trim();
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return "?";
    }

    public Path file() {
        return file;
    }

    /** Releases the lock. The file stays: removing it would race with the next acquirer. */
    @Override
    public void close() {
        try {
            channel.truncate(0); // no stale holder line for the next one to misread
        } catch (IOException ignored) {
            // the next holder truncates it too
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it as well
        }
        closeQuietly(channel);
        HELD_HERE.remove(file);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written through it that matters
        }
    }
}
