package io.artdag.l1.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The SQLite connection under {@link StoreIndex}, opened with the settings its one writer and
 * concurrent readers need, and the query and transaction helpers every part of the index shares.
 * Not thread-safe on its own: {@link StoreIndex} serializes all calls.
 */
final class IndexConnection {
    private static final Driver SQLITE = new org.sqlite.JDBC();

    private final Path file;
    private final Connection conn;

    private IndexConnection(Path file, Connection conn) {
        this.file = file;
        this.conn = conn;
    }

    static IndexConnection open(Path file, boolean readOnly) throws StoreException {
        Properties props = new Properties();
        props.setProperty("open_mode", readOnly ? "1" : "6"); // READONLY | READWRITE+CREATE
        props.setProperty("busy_timeout", "60000");
        // Take the write lock when a transaction begins: a deferred transaction that reads
        // first and writes later fails at once (SQLITE_BUSY, no waiting) when another writer
        // committed in between.
        // A reader's transaction is only a snapshot (see readSnapshot) and takes no write lock.
        props.setProperty("transaction_mode", readOnly ? "DEFERRED" : "IMMEDIATE");
        try {
            // The driver directly, not DriverManager: on a Flink TaskManager this class comes
            // from the job jar's (child-first) user class loader, and DriverManager finds no
            // driver for it ("No suitable driver") until something happens to load
            // org.sqlite.JDBC in that class loader.
            Connection c = SQLITE.connect("jdbc:sqlite:" + file, props);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout=60000");
                if (!readOnly) {
                    journalModeWal(st, file);
                    st.execute("PRAGMA synchronous=FULL");
                    st.execute("PRAGMA foreign_keys=ON");
                }
            }
            return new IndexConnection(file, c);
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot open the store index: " + e.getMessage(), e);
        }
    }

    /**
     * Switches a new index to WAL (kept in the file, so later openers find it set). SQLite answers
     * SQLITE_BUSY at once, without waiting, while another connection opens the same new file, so
     * the switch is retried for up to the busy timeout.
     */
    private static void journalModeWal(Statement st, Path file) throws SQLException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                st.execute("PRAGMA journal_mode=WAL");
                return;
            } catch (SQLException e) {
                boolean busy =
                        e.getErrorCode() == 5 /* SQLITE_BUSY */
                                || String.valueOf(e.getMessage()).contains("SQLITE_BUSY");
                if (!busy || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new SQLException(file + ": interrupted while opening", ie);
                }
            }
        }
    }

    Path file() {
        return file;
    }

    Connection conn() {
        return conn;
    }

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    <T> T query(String sql, Binder binder, Reader<T> reader) throws StoreException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new StoreException(file + ": index query failed: " + e.getMessage(), e);
        }
    }

    /** Runs a query and reads each row of its result into a list, in the result's order. */
    <T> List<T> list(String sql, Binder binder, Reader<T> row) throws StoreException {
        return query(
                sql,
                binder,
                rs -> {
                    List<T> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(row.read(rs));
                    }
                    return out;
                });
    }

    /** Runs {@code sql}, whose one parameter is a segment name, once for each of {@code names}. */
    void batchByName(String sql, List<String> names) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (String name : names) {
                ps.setString(1, name);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it fails,
     * with {@code <file>: cannot <what>: <cause>} as the error.
     */
    <T> T inTransaction(String what, Work<T> work) throws StoreException {
        try {
            conn.setAutoCommit(false);
            T result = work.run();
            conn.commit();
            return result;
        } catch (SQLException e) {
            rollback();
            throw new StoreException(file + ": cannot " + what + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            // rolled back here: turning auto-commit back on would commit the half-done work
            rollback();
            throw e;
        } finally {
            autoCommit();
        }
    }

    /** The row id of a committed segment, which the rows that belong to it refer to. */
    Optional<Long> segmentId(String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM segments WHERE name=?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    void beginReadSnapshot() throws StoreException {
        try {
            conn.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StoreException(file + ": " + e.getMessage(), e);
        }
    }

    void endReadSnapshot() {
        rollback();
        autoCommit();
    }

    private void rollback() {
        try {
            conn.rollback();
        } catch (SQLException ignored) {
            // the original failure is what matters
        }
    }

    private void autoCommit() {
        try {
            conn.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is closed with the index
        }
    }

    void close() throws StoreException {
        try {
            conn.close();
        } catch (SQLException e) {
            throw new StoreException(file + ": " + e.getMessage(), e);
        }
    }
}
