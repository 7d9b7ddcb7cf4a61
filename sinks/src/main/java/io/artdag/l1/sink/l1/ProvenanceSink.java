package io.artdag.l1.sink.l1;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriter;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriterState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink's at-least-once {@link JdbcSink} for one provenance statement, with two changes that keep a
 * PostgreSQL outage from taking a TaskManager down:
 *
 * <ul>
 *   <li>each writer gets its own {@link OutageWaitingConnectionProvider}, so every write path — the
 *       first connection, a batch flushed when full, by the connector's timer or at a checkpoint —
 *       waits out an outage up to {@code l1.publish.outage-limit} and then fails the task (a normal
 *       failure: the job restores from its checkpoint);
 *   <li>the writer's {@code close()} never throws and never waits for PostgreSQL. The connector's
 *       close flushes what is buffered and rethrows an earlier flush failure; during the cleanup of
 *       a failing task that exception made Flink log "FATAL - exception in exception handler" and
 *       kill the TaskManager. Here the wait is stopped first and a failure is logged: the rows it
 *       held are replayed from the last checkpoint, and every statement is {@code INSERT … ON
 *       CONFLICT DO NOTHING}.
 * </ul>
 *
 * The sink keeps the connector's topology (writer state and committer, both empty at-least-once),
 * so savepoints of jobs that used {@code JdbcSink} directly restore into it.
 */
@Internal
public final class ProvenanceSink<IN>
        implements Sink<IN>,
                SupportsWriterState<IN, JdbcWriterState>,
                SupportsCommitter<JdbcCommitable> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ProvenanceSink.class);

    private final String sql;
    private final JdbcStatementBuilder<IN> statement;
    private final JdbcExecutionOptions execution;
    private final String url;
    private final String user;
    private final String password;
    private final Duration outageLimit;

    ProvenanceSink(
            String sql,
            JdbcStatementBuilder<IN> statement,
            JdbcExecutionOptions execution,
            String url,
            String user,
            String password,
            Duration outageLimit) {
        this.sql = sql;
        this.statement = statement;
        this.execution = execution;
        this.url = url;
        this.user = user;
        this.password = password;
        this.outageLimit = outageLimit;
    }

    /** The connection provider a new writer uses (one per writer). */
    OutageWaitingConnectionProvider newConnectionProvider() {
        return new OutageWaitingConnectionProvider(url, user, password, outageLimit);
    }

    private JdbcSink<IN> jdbcSink(OutageWaitingConnectionProvider provider) {
        return JdbcSink.<IN>builder()
                .withQueryStatement(sql, statement)
                .withExecutionOptions(execution)
                .buildAtLeastOnce(provider);
    }

    @Override
    public Writer<IN> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public Writer<IN> restoreWriter(WriterInitContext context, Collection<JdbcWriterState> state)
            throws IOException {
        OutageWaitingConnectionProvider provider = newConnectionProvider();
        return new Writer<>(jdbcSink(provider).restoreWriter(context, state), provider, sql);
    }

    @Override
    public SimpleVersionedSerializer<JdbcWriterState> getWriterStateSerializer() {
        return jdbcSink(newConnectionProvider()).getWriterStateSerializer();
    }

    @Override
    public Committer<JdbcCommitable> createCommitter(CommitterInitContext context)
            throws IOException {
        return jdbcSink(newConnectionProvider()).createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<JdbcCommitable> getCommittableSerializer() {
        return jdbcSink(newConnectionProvider()).getCommittableSerializer();
    }

    /** The connector's writer, closed without throwing. */
    static final class Writer<IN>
            implements StatefulSinkWriter<IN, JdbcWriterState>,
                    CommittingSinkWriter<IN, JdbcCommitable> {
        private final JdbcWriter<IN> inner;
        private final OutageWaitingConnectionProvider provider;
        private final String sql;

        Writer(JdbcWriter<IN> inner, OutageWaitingConnectionProvider provider, String sql) {
            this.inner = inner;
            this.provider = provider;
            this.sql = sql;
        }

        @Override
        public void write(IN element, Context context) throws IOException, InterruptedException {
            inner.write(element, context);
        }

        @Override
        public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
            inner.writeWatermark(watermark);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            inner.flush(endOfInput);
        }

        @Override
        public Collection<JdbcCommitable> prepareCommit() throws IOException, InterruptedException {
            return inner.prepareCommit();
        }

        @Override
        public List<JdbcWriterState> snapshotState(long checkpointId) throws IOException {
            return inner.snapshotState(checkpointId);
        }

        @Override
        public void close() {
            // A writer that ends normally was flushed by flush(true) before; one that is closed
            // because its task fails or is cancelled must not wait for PostgreSQL now.
            provider.stopWaiting();
            try {
                inner.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warn(
                        "Closing the provenance sink ({}) failed; rows it had not written yet are"
                                + " written again after the restore from the last checkpoint",
                        sql,
                        e);
            }
        }
    }
}
