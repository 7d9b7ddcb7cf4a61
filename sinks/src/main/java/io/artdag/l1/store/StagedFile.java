package io.artdag.l1.store;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.flink.annotation.Internal;

/**
 * The one way the store writes a file that must appear whole or not at all: written to a temporary
 * file beside its destination, and only once the writer has checked what it wrote, fsynced, moved
 * into place atomically (replacing what was there) and the directory fsynced. Closed without {@link
 * #commit}, the temporary file is deleted and the destination is untouched.
 *
 * <p>Used by every verified write ({@code l1 get}, {@code l1 export}, the copies l1 mode keeps of
 * fetched contents) and by the small state files (the run marker, a cache's indexes).
 */
@Internal
public final class StagedFile implements Closeable {
    private final Path tmp;
    private final Path dest;
    private boolean committed;

    private StagedFile(Path tmp, Path dest) {
        this.tmp = tmp;
        this.dest = dest;
    }

    /**
     * A temporary file ({@code prefix…tmp}, hidden when the prefix starts with a dot) in {@code
     * dest}'s directory.
     *
     * @throws FileNotFoundException naming the directory, when it does not exist
     */
    public static StagedFile beside(Path dest, String prefix) throws IOException {
        Path abs = dest.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new FileNotFoundException(dest + ": the directory " + parent + " does not exist");
        }
        return new StagedFile(Files.createTempFile(parent, prefix, ".tmp"), abs);
    }

    /**
     * A temporary file in the system's temporary directory, for output that goes to a stream once
     * verified ({@link #transferTo}); it has no destination to {@link #commit} to.
     */
    public static StagedFile temporary(String prefix) throws IOException {
        return new StagedFile(Files.createTempFile(prefix, ".tmp"), null);
    }

    /** The temporary file. */
    public Path path() {
        return tmp;
    }

    /** A new stream over the temporary file (truncating it). */
    public OutputStream open() throws IOException {
        return Files.newOutputStream(tmp);
    }

    /** Moves the temporary file into place: fsync, atomic rename, directory fsync. */
    public void commit() throws IOException {
        if (dest == null) {
            throw new IllegalStateException("a temporary file has no destination");
        }
        fsync(tmp);
        Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        LocalStore.fsyncDirectory(dest.getParent());
    }

    /** Copies the (verified) temporary file to {@code out} and flushes it. */
    public void transferTo(OutputStream out) throws IOException {
        Files.copy(tmp, out);
        out.flush();
    }

    /** Deletes the temporary file unless it was committed. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            Files.deleteIfExists(tmp);
        }
    }

    /** Forces a file's content to disk. */
    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }
}
