package io.artdag.l1.sink.l1;

import io.artdag.l1.operators.IngestEvent;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * l1 mode's provenance rows through Flink's JDBC connector, at-least-once: {@code sightings} (every
 * output of a content, new or duplicate), {@code item_types} (a content's node type and metadata)
 * and {@code rejected_inputs}. At-least-once is exactly-once here because every row has a natural
 * key and every statement is {@code INSERT … ON CONFLICT DO NOTHING}: a row replayed after a
 * restore changes nothing. None of these rows names a CID, so writing them before the segment
 * commit cannot break "nothing names a CID before it is pinned".
 */
public final class ProvenanceSinks {
    private ProvenanceSinks() {}

    /** The actor recorded in {@code item_types} for outputs this job saw. */
    public static final String ACTOR = "artdag-l1";

    public static JdbcSink<IngestEvent> sightings(L1Settings s) {
        return JdbcSink.<IngestEvent>builder()
                .withQueryStatement(
                        "INSERT INTO sightings (content_hash, path, node_id, node_type)"
                                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        (ps, e) -> {
                            ps.setString(1, e.contentHash);
                            ps.setString(2, e.path);
                            ps.setString(3, e.nodeId);
                            ps.setString(4, e.nodeType);
                        })
                .withExecutionOptions(execution())
                .buildAtLeastOnce(connection(s));
    }

    public static JdbcSink<IngestEvent> itemTypes(L1Settings s) {
        return JdbcSink.<IngestEvent>builder()
                .withQueryStatement(
                        "INSERT INTO item_types (content_hash, actor_id, type, metadata)"
                                + " VALUES (?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING",
                        (ps, e) -> {
                            ps.setString(1, e.contentHash);
                            ps.setString(2, ACTOR);
                            ps.setString(3, e.nodeType);
                            ps.setString(4, e.metadataJson);
                        })
                .withExecutionOptions(execution())
                .buildAtLeastOnce(connection(s));
    }

    public static JdbcSink<IngestEvent> rejectedInputs(L1Settings s) {
        return JdbcSink.<IngestEvent>builder()
                .withQueryStatement(
                        "INSERT INTO rejected_inputs (path, reason, node_id)"
                                + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        (ps, e) -> {
                            ps.setString(1, e.path);
                            ps.setString(2, e.reason);
                            ps.setString(3, e.nodeId);
                        })
                .withExecutionOptions(execution())
                .buildAtLeastOnce(connection(s));
    }

    private static JdbcExecutionOptions execution() {
        return JdbcExecutionOptions.builder()
                .withBatchSize(500)
                .withBatchIntervalMs(1000)
                .withMaxRetries(5)
                .build();
    }

    private static JdbcConnectionOptions connection(L1Settings s) {
        String url = s.postgresUrl();
        String schema = "currentSchema=" + s.postgresSchema();
        url = url + (url.contains("?") ? "&" : "?") + schema;
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(url)
                .withDriverName("org.postgresql.Driver")
                .withUsername(s.postgresUser())
                .withPassword(s.postgresPassword())
                .build();
    }
}
