package io.artdag.l1.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The index's schema: numbered migrations ({@code V<n>__*.sql} next to this class), applied in
 * order, each in its own transaction, with the version reached kept in {@code PRAGMA user_version}.
 * An index newer than this l1 is refused rather than misread.
 */
final class IndexSchema {
    /** Migrations in order; the n-th brings the schema to version n. */
    private static final String[] MIGRATIONS = {
        "V1__local_index.sql", "V2__unpublished.sql", "V3__remote_segments.sql"
    };

    private IndexSchema() {}

    /** Brings the index up to the newest schema version. */
    static void migrate(IndexConnection db) throws StoreException {
        Connection conn = db.conn();
        try (Statement st = conn.createStatement()) {
            int version;
            try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version > MIGRATIONS.length) {
                throw new StoreException(
                        db.file()
                                + ": index schema version "
                                + version
                                + " is newer than this l1 understands ("
                                + MIGRATIONS.length
                                + "); upgrade l1");
            }
            for (int v = version; v < MIGRATIONS.length; v++) {
                // The transaction takes the write lock (IMMEDIATE) before the version is read
                // again: another opener of the same new index (two committers on one
                // TaskManager) may have applied this step meanwhile.
                conn.setAutoCommit(false);
                int now;
                try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                    now = rs.next() ? rs.getInt(1) : 0;
                }
                if (now <= v) {
                    for (String sql : statements(MIGRATIONS[v])) {
                        st.execute(sql);
                    }
                    st.execute("PRAGMA user_version=" + (v + 1));
                }
                conn.commit();
                conn.setAutoCommit(true);
            }
        } catch (SQLException | IOException e) {
            throw new StoreException(
                    db.file() + ": cannot migrate the store index: " + e.getMessage(), e);
        }
    }

    private static List<String> statements(String resource) throws IOException {
        try (InputStream in = IndexSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing migration " + resource);
            }
            StringBuilder sql = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int comment = line.indexOf("--");
                sql.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
            }
            List<String> out = new ArrayList<>();
            for (String s : sql.toString().split(";")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
            return out;
        }
    }
}
