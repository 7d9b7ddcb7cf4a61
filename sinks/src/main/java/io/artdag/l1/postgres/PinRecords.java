package io.artdag.l1.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * Where each content's pins stand on each backend ({@code storage_pins.status}: {@code pinned},
 * {@code queued}, {@code pinning}, {@code failed}; migration V3), so that pins a remote backend has
 * not confirmed yet are polled again, after restarts too, and {@code l1 pins} can count them.
 */
@Internal
public final class PinRecords {
    /** The statuses of the Pinning Service API, which IPFS Cluster's are mapped onto. */
    public static final String PINNED = "pinned";

    private final ProvenanceStore store;

    public PinRecords(ProvenanceStore store) {
        this.store = store;
    }

    /** One content's pin on one backend. */
    public record Pin(
            String contentHash, long storageId, String ipfsCid, String status, String requestId) {}

    /** Per backend and status: how many contents. */
    public record Count(
            long storageId, String providerType, String config, String status, long n) {}

    /**
     * Records pins: new rows are inserted; an existing row takes the new status unless it is
     * already {@code pinned} (final: a replay never downgrades it), and keeps its request id when
     * none is given.
     */
    public int record(Collection<Pin> pins) {
        return store.tx(
                "storage_pins",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO storage_pins (content_hash, storage_id, ipfs_cid,"
                                            + " pin_type, status, request_id) VALUES (?, ?, ?,"
                                            + " 'recursive', ?, ?) ON CONFLICT (content_hash,"
                                            + " storage_id) DO UPDATE SET status ="
                                            + " EXCLUDED.status, request_id ="
                                            + " COALESCE(EXCLUDED.request_id,"
                                            + " storage_pins.request_id), updated_at = now() WHERE"
                                            + " storage_pins.status <> 'pinned'")) {
                        for (Pin p : pins) {
                            ps.setString(1, p.contentHash());
                            ps.setLong(2, p.storageId());
                            ps.setString(3, p.ipfsCid());
                            ps.setString(4, p.status());
                            ps.setString(5, p.requestId());
                            ps.addBatch();
                        }
                        int n = 0;
                        for (int k : ps.executeBatch()) {
                            n += Math.max(k, 0);
                        }
                        return n;
                    }
                });
    }

    /** Pins of {@code storageId} not confirmed yet ({@code queued} or {@code pinning}). */
    public List<Pin> pending(long storageId, int limit) {
        return store.tx(
                "storage_pins pending",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT content_hash, storage_id, ipfs_cid, status, request_id"
                                            + " FROM storage_pins WHERE storage_id = ? AND status"
                                            + " IN ('queued', 'pinning') ORDER BY updated_at"
                                            + " LIMIT ?")) {
                        ps.setLong(1, storageId);
                        ps.setInt(2, limit);
                        List<Pin> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(
                                        new Pin(
                                                rs.getString(1),
                                                rs.getLong(2),
                                                rs.getString(3),
                                                rs.getString(4),
                                                rs.getString(5)));
                            }
                        }
                        return out;
                    }
                });
    }

    /** How many contents each backend holds in each status. */
    public List<Count> counts() {
        return store.tx(
                "storage_pins counts",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT b.id, b.provider_type, b.config::text, p.status,"
                                            + " count(*) FROM storage_pins p JOIN storage_backends"
                                            + " b ON b.id = p.storage_id GROUP BY b.id,"
                                            + " b.provider_type, b.config::text, p.status ORDER BY"
                                            + " b.id, p.status")) {
                        List<Count> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(
                                        new Count(
                                                rs.getLong(1),
                                                rs.getString(2),
                                                rs.getString(3),
                                                rs.getString(4),
                                                rs.getLong(5)));
                            }
                        }
                        return out;
                    }
                });
    }
}
