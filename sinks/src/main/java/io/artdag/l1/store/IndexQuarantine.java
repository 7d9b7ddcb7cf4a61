package io.artdag.l1.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The index side of {@link StoreRepair}: whether the store's index can be used as it is, and when
 * not, moving it aside ({@code index.db.corrupt-<time>}, with its {@code -wal} and {@code -shm}) so
 * that a new one is rebuilt from the segments.
 */
final class IndexQuarantine {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private IndexQuarantine() {}

    /** Why the index cannot be used as it is, or null when it can. */
    static String problem(Path db) {
        if (!Files.exists(db)) {
            return "missing";
        }
        try (StoreIndex index = StoreIndex.open(db)) {
            List<String> problems = index.integrityProblems();
            if (!problems.isEmpty()) {
                return "fails SQLite's integrity check: " + problems.get(0);
            }
            index.stats(); // every table reads
            return null;
        } catch (StoreException e) {
            Throwable t = e;
            while (t.getCause() != null) {
                t = t.getCause();
            }
            String msg = t.getMessage() == null ? t.toString() : t.getMessage();
            int nl = msg.indexOf('\n');
            return "does not open: " + (nl < 0 ? msg : msg.substring(0, nl));
        }
    }

    /** Moves index.db and its WAL and shared-memory files aside under one new name. */
    static Path moveAside(Path db) throws IOException {
        if (!Files.exists(db)) {
            // A WAL without its database must not be applied to the new one.
            for (String suffix : new String[] {"-wal", "-shm"}) {
                Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix));
            }
            return null;
        }
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        Path target = db.resolveSibling(db.getFileName() + ".corrupt-" + stamp);
        for (int i = 1; Files.exists(target); i++) {
            target = db.resolveSibling(db.getFileName() + ".corrupt-" + stamp + "-" + i);
        }
        // SQLite names the WAL and shm after the database file: moved together they stay a set.
        for (String suffix : new String[] {"-wal", "-shm"}) {
            Path side = db.resolveSibling(db.getFileName() + suffix);
            if (Files.exists(side)) {
                Files.move(side, target.resolveSibling(target.getFileName() + suffix));
            }
        }
        Files.move(db, target, StandardCopyOption.ATOMIC_MOVE);
        LocalStore.fsyncDirectory(db.getParent());
        return target;
    }
}
