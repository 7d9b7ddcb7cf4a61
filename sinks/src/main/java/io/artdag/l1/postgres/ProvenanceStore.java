package io.artdag.l1.postgres;

import io.artdag.l1.postgres.ProvenanceRows.CacheItem;
import io.artdag.l1.postgres.ProvenanceRows.Segment;
import io.artdag.l1.postgres.ProvenanceRows.StoragePin;
import io.artdag.l1.store.Rejection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.annotation.Internal;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Plain-JDBC access to artdag's L1 tables in PostgreSQL ({@code cache_items}, {@code item_types},
 * {@code run_cache}, {@code storage_backends}, {@code storage_pins}) and the store's own ({@code
 * segments}, {@code rejected_inputs}, {@code sightings}), all in one configurable schema.
 *
 * <p>{@link #migrate()} applies the Flyway migrations under {@code classpath:db/migration} (call it
 * at start; re-running it is a no-op). Every write is an {@code INSERT ... ON CONFLICT DO NOTHING}
 * on the table's natural key, so replaying a write (after a restore, a retry) leaves one row and
 * the first values win; each write method returns how many rows it inserted. Batch methods run in
 * one transaction.
 *
 * <p>Each call opens its own connection (no pool): thread-safe, and a restarted server or a killed
 * connection affects one call only. Errors are unchecked: {@link ProvenanceUnavailableException}
 * for outages (retry with backoff), {@link ProvenanceStoreException} otherwise.
 */
@Internal
public final class ProvenanceStore {
    /** Where the migrations live on the classpath. */
    private static final String MIGRATIONS = "classpath:db/migration";

    private final ProvenanceStoreOptions options;

    public ProvenanceStore(ProvenanceStoreOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    ProvenanceStoreOptions options() {
        return options;
    }

    /**
     * Creates the schema when missing and applies pending migrations.
     *
     * @return the number of migrations applied (0 when the schema was up to date)
     */
    public int migrate() {
        try {
            MigrateResult r =
                    Flyway.configure(ProvenanceStore.class.getClassLoader())
                            .dataSource(options.jdbcUrl(), options.user(), options.password())
                            .schemas(options.schema())
                            .defaultSchema(options.schema())
                            .createSchemas(true)
                            .locations(MIGRATIONS)
                            .validateOnMigrate(true)
                            // an artdag database: artdag's tables without Flyway history
                            // (V2 adds what is missing)
                            .baselineOnMigrate(true)
                            .baselineVersion("1")
                            .load()
                            .migrate();
            return r.migrationsExecuted;
        } catch (FlywayException e) {
            Throwable c = e;
            while (c != null) {
                if (c instanceof SQLException s && unavailable(s)) {
                    throw new ProvenanceUnavailableException(
                            "PostgreSQL unavailable during migration: " + e.getMessage(), e);
                }
                c = c.getCause();
            }
            throw new ProvenanceStoreException(
                    "migrating schema " + options.schema() + " failed: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ writes

    /**
     * The id of the backend {@code (actorId, providerType, config)}, inserting it when missing
     * (first capacity wins).
     */
    public long ensureStorageBackend(
            String actorId, String providerType, String configJson, Long capacityGb) {
        ProvenanceRows.requireText("actorId", actorId);
        ProvenanceRows.requireText("providerType", providerType);
        String config = configJson == null ? "{}" : configJson;
        return tx(
                "storage_backends",
                c -> {
                    try (PreparedStatement ins =
                            c.prepareStatement(
                                    "INSERT INTO storage_backends (actor_id, provider_type,"
                                            + " config, capacity_gb) VALUES (?, ?, ?::jsonb, ?)"
                                            + " ON CONFLICT DO NOTHING")) {
                        ins.setString(1, actorId);
                        ins.setString(2, providerType);
                        ins.setString(3, config);
                        if (capacityGb == null) {
                            ins.setNull(4, Types.BIGINT);
                        } else {
                            ins.setLong(4, capacityGb);
                        }
                        ins.executeUpdate();
                    }
                    try (PreparedStatement sel =
                            c.prepareStatement(
                                    "SELECT id FROM storage_backends WHERE actor_id = ? AND"
                                            + " provider_type = ? AND config = ?::jsonb")) {
                        sel.setString(1, actorId);
                        sel.setString(2, providerType);
                        sel.setString(3, config);
                        try (ResultSet rs = sel.executeQuery()) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    }
                });
    }

    /**
     * Records a segment imported into Kubo (roots pinned) in one transaction: its {@code segments}
     * row, a {@code cache_items} row per content and a {@code storage_pins} row per content on
     * {@code storageId}. Idempotent.
     *
     * @return rows inserted (0 on a replay)
     */
    public int recordSegmentCommit(
            Segment segment, Collection<CacheItem> contents, long storageId, String pinType) {
        List<StoragePin> pins = new ArrayList<>(contents.size());
        for (CacheItem ci : contents) {
            pins.add(new StoragePin(ci.contentHash(), storageId, ci.ipfsCid(), pinType));
        }
        return tx(
                "segment commit " + segment.name(),
                c ->
                        insertSegment(c, segment)
                                + insertCacheItems(c, contents)
                                + insertStoragePins(c, pins));
    }

    public int recordRejectedInputs(Collection<Rejection> rows) {
        return tx(
                "rejected_inputs",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO rejected_inputs (path, reason, node_id)"
                                            + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                        for (Rejection r : rows) {
                            ProvenanceRows.requireText("path", r.path());
                            ProvenanceRows.requireText("reason", r.reason());
                            ps.setString(1, r.path());
                            ps.setString(2, r.reason());
                            ps.setString(3, r.nodeId());
                            ps.addBatch();
                        }
                        return sum(ps.executeBatch());
                    }
                });
    }

    /**
     * Records the runs that produced outputs ({@code run_cache}, keyed by run id): the first row of
     * a run id wins, so a replay changes nothing.
     *
     * @return rows inserted
     */
    public int recordRuns(Collection<ProvenanceRows.RunCache> rows) {
        return tx(
                "run_cache",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO run_cache (run_id, output_hash, ipfs_cid, recipe,"
                                            + " inputs, actor_id) VALUES (?, ?, ?, ?, ?::jsonb, ?)"
                                            + " ON CONFLICT DO NOTHING")) {
                        for (ProvenanceRows.RunCache r : rows) {
                            ps.setString(1, r.runId());
                            ps.setString(2, r.outputHash());
                            ps.setString(3, r.ipfsCid());
                            ps.setString(4, r.recipe());
                            ps.setString(5, r.inputsJson());
                            ps.setString(6, r.actorId());
                            ps.addBatch();
                        }
                        return sum(ps.executeBatch());
                    }
                });
    }

    // ------------------------------------------------------------------ reads

    /**
     * The {@code cache_items} row of a content hash (step 3 of the lookup flow, docs/design.md).
     */
    public Optional<CacheItem> cacheItem(String contentHash) {
        return query(
                        "cache_items",
                        "SELECT content_hash, ipfs_cid, created_at FROM cache_items WHERE content_hash"
                                + " = ?",
                        List.of(contentHash),
                        rs -> new CacheItem(rs.getString(1), rs.getString(2), instant(rs, 3)))
                .stream()
                .findFirst();
    }

    /**
     * A {@code cache_items} row naming {@code ipfsCid} (the reverse lookup: root CID to content
     * hash, served by the {@code cache_items_by_cid} index). Equal CIDs mean equal bytes, so every
     * such row names the same content hash.
     */
    public Optional<CacheItem> cacheItemByCid(String ipfsCid) {
        return query(
                        "cache_items",
                        "SELECT content_hash, ipfs_cid, created_at FROM cache_items WHERE ipfs_cid"
                                + " = ? ORDER BY content_hash LIMIT 1",
                        List.of(ipfsCid),
                        rs -> new CacheItem(rs.getString(1), rs.getString(2), instant(rs, 3)))
                .stream()
                .findFirst();
    }

    /** Opens a connection with the schema as {@code search_path} (the caller closes it). */
    Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", options.user());
        p.setProperty("password", options.password());
        p.setProperty("currentSchema", options.schema());
        p.setProperty("connectTimeout", Long.toString(options.connectTimeout().getSeconds()));
        p.setProperty("loginTimeout", Long.toString(options.connectTimeout().getSeconds()));
        p.setProperty("options", "-c statement_timeout=" + options.statementTimeout().toMillis());
        p.setProperty("ApplicationName", "artdag-l1");
        return DriverManager.getConnection(options.jdbcUrl(), p);
    }

    // ------------------------------------------------------------------ plumbing

    int insertCacheItems(Connection c, Collection<CacheItem> items) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO cache_items (content_hash, ipfs_cid) VALUES (?, ?)"
                                + " ON CONFLICT DO NOTHING")) {
            for (CacheItem i : items) {
                ps.setString(1, i.contentHash());
                ps.setString(2, i.ipfsCid());
                ps.addBatch();
            }
            return sum(ps.executeBatch());
        }
    }

    int insertStoragePins(Connection c, Collection<StoragePin> pins) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO storage_pins (content_hash, storage_id, ipfs_cid, pin_type)"
                                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (StoragePin p : pins) {
                ps.setString(1, p.contentHash());
                ps.setLong(2, p.storageId());
                ps.setString(3, p.ipfsCid());
                ps.setString(4, p.pinType());
                ps.addBatch();
            }
            return sum(ps.executeBatch());
        }
    }

    int insertSegment(Connection c, Segment s) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO segments (name, roots, file_size, block_count)"
                                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, s.name());
            ps.setArray(2, c.createArrayOf("text", s.roots().toArray()));
            ps.setLong(3, s.fileSize());
            ps.setLong(4, s.blockCount());
            return ps.executeUpdate();
        }
    }

    static int sum(int[] counts) {
        int n = 0;
        for (int k : counts) {
            n += k == Statement.SUCCESS_NO_INFO ? 0 : k;
        }
        return n;
    }

    static Instant instant(ResultSet rs, int col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    <T> T tx(String what, Work<T> work) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                T r = work.run(c);
                c.commit();
                return r;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    <T> List<T> query(String what, String sql, List<Object> params, RowMapper<T> m) {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(m.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    private ProvenanceStoreException translate(String what, SQLException e) {
        String msg =
                "PostgreSQL "
                        + what
                        + " in schema "
                        + options.schema()
                        + " failed: "
                        + e.getMessage()
                        + " (SQLSTATE "
                        + e.getSQLState()
                        + ")";
        return unavailable(e)
                ? new ProvenanceUnavailableException(msg, e)
                : new ProvenanceStoreException(msg, e);
    }

    static boolean unavailable(SQLException e) {
        String s = e.getSQLState();
        return s != null
                && (s.startsWith("08")
                        || s.startsWith("53")
                        || s.equals("57P01")
                        || s.equals("57P02")
                        || s.equals("57P03"));
    }
}
