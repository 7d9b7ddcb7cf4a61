package io.artdag.l1.sink.l1;

import io.artdag.l1.operators.IngestEvent;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/**
 * l1 mode's provenance rows through Flink's JDBC connector, at-least-once: {@code sightings} (every
 * output of a content, new or duplicate), {@code item_types} (a content's node type and metadata)
 * and {@code rejected_inputs}. At-least-once is exactly-once here because every row has a natural
 * key and every statement is {@code INSERT … ON CONFLICT DO NOTHING}: a row replayed after a
 * restore changes nothing. None of these rows names a CID, so writing them before the segment
 * commit cannot break "nothing names a CID before it is pinned".
 *
 * <p>A PostgreSQL outage is waited out up to {@code l1.publish.outage-limit}, as the segment
 * commit's publishing does, and then fails the task ({@link ProvenanceSink}). Batches are written
 * when 500 rows are buffered and at every checkpoint, always by the task's own thread: the
 * connector's timer thread would wait out an outage holding the lock the task thread needs, where
 * no cancellation could interrupt it.
 */
@Internal
public final class ProvenanceSinks {
    private ProvenanceSinks() {}

    /**
     * The actor recorded in {@code item_types} for outputs this job saw whose run names no {@code
     * actor_id}.
     */
    public static final String ACTOR = "artdag-l1";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** The run's {@code actor_id} when the output names one, else {@link #ACTOR}. */
    static String actorOf(IngestEvent e) {
        if (e.run == null) {
            return ACTOR;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode actor = JSON.readTree(e.run).get("actor_id");
            return actor != null && actor.isTextual() ? actor.textValue() : ACTOR;
        } catch (java.io.IOException ex) {
            return ACTOR;
        }
    }

    public static ProvenanceSink<IngestEvent> sightings(L1Settings s) {
        return sink(
                s,
                "INSERT INTO sightings (content_hash, path, node_id, node_type)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (ps, e) -> {
                    ps.setString(1, e.contentHash);
                    ps.setString(2, e.path);
                    ps.setString(3, e.nodeId);
                    ps.setString(4, e.nodeType);
                });
    }

    public static ProvenanceSink<IngestEvent> itemTypes(L1Settings s) {
        return sink(
                s,
                "INSERT INTO item_types (content_hash, actor_id, type, metadata)"
                        + " VALUES (?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING",
                (ps, e) -> {
                    ps.setString(1, e.contentHash);
                    ps.setString(2, actorOf(e));
                    ps.setString(3, e.nodeType);
                    ps.setString(4, e.metadataJson);
                });
    }

    public static ProvenanceSink<IngestEvent> rejectedInputs(L1Settings s) {
        return sink(
                s,
                "INSERT INTO rejected_inputs (path, reason, node_id)"
                        + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (ps, e) -> {
                    ps.setString(1, e.path);
                    ps.setString(2, e.reason);
                    ps.setString(3, e.nodeId);
                });
    }

    private static ProvenanceSink<IngestEvent> sink(
            L1Settings s, String sql, JdbcStatementBuilder<IngestEvent> statement) {
        return new ProvenanceSink<>(
                sql,
                statement,
                execution(),
                url(s),
                s.postgres().user(),
                s.postgres().password(),
                s.outageLimit());
    }

    static JdbcExecutionOptions execution() {
        return JdbcExecutionOptions.builder()
                .withBatchSize(500)
                // no timer thread: see the class comment
                .withBatchIntervalMs(0)
                // a batch that fails on a live connection (not an outage, which the connection
                // provider waits out) is tried again this many times
                .withMaxRetries(5)
                .build();
    }

    static String url(L1Settings s) {
        String url = s.postgres().jdbcUrl();
        String schema = "currentSchema=" + s.postgres().schema();
        return url + (url.contains("?") ? "&" : "?") + schema;
    }
}
