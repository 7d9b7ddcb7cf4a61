package io.artdag.l1.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.annotation.Internal;

/**
 * Which contents artdag's {@code cache_items} names as published (a row with an IPFS CID), many
 * contents per query: {@code SELECT ... WHERE content_hash = ANY(?)}. The fallback of the shared
 * index when Redis' {@code ipfs_index} does not name a content.
 *
 * <p>Unlike {@link ProvenanceStore} it keeps its connections (one per concurrent caller) for the
 * next query, since it is asked once per lookup batch; a connection that failed is dropped. Errors
 * are unchecked: {@link ProvenanceUnavailableException} for outages (retry with backoff), {@link
 * ProvenanceStoreException} otherwise. Thread-safe.
 */
@Internal
public final class PublishedContents implements AutoCloseable {
    private static final String SQL =
            "SELECT content_hash, ipfs_cid FROM cache_items WHERE content_hash = ANY(?)"
                    + " AND ipfs_cid IS NOT NULL AND ipfs_cid <> ''";

    private final ProvenanceStore store;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    public PublishedContents(ProvenanceStoreOptions options) {
        this.store = new ProvenanceStore(Objects.requireNonNull(options, "options"));
    }

    /** The CIDs {@code cache_items} holds for {@code contentHashes}, by content hash. */
    public Map<String, String> ipfsCids(Collection<String> contentHashes) {
        Map<String, String> out = new LinkedHashMap<>();
        if (contentHashes.isEmpty()) {
            return out;
        }
        Connection c = null;
        try {
            c = borrow();
            Array hashes = c.createArrayOf("text", contentHashes.toArray());
            try (PreparedStatement ps = c.prepareStatement(SQL)) {
                ps.setArray(1, hashes);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            } finally {
                hashes.free();
            }
            giveBack(c);
            return out;
        } catch (SQLException e) {
            discard(c);
            String msg =
                    "PostgreSQL cache_items lookup of "
                            + contentHashes.size()
                            + " contents in schema "
                            + store.options().schema()
                            + " failed: "
                            + e.getMessage()
                            + " (SQLSTATE "
                            + e.getSQLState()
                            + ")";
            throw ProvenanceStore.unavailable(e)
                    ? new ProvenanceUnavailableException(msg, e)
                    : new ProvenanceStoreException(msg, e);
        } catch (RuntimeException e) {
            discard(c);
            throw e;
        }
    }

    private Connection borrow() throws SQLException {
        Connection c = idle.poll();
        return c != null ? c : store.connect();
    }

    private void giveBack(Connection c) {
        if (closed) {
            discard(c);
        } else {
            idle.add(c);
        }
    }

    private static void discard(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // it failed already
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Connection c = idle.poll(); c != null; c = idle.poll()) {
            discard(c);
        }
    }
}
