package io.artdag.l1.store;

import io.artdag.l1.operators.IngestEvent;
import io.artdag.l1.sink.segment.SegmentCommittable;
import io.artdag.l1.sink.segment.SegmentSink;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.SinkCommitterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * The segment sink's real writer and committer, driven by hand as Flink drives them (write, then
 * prepareCommit at a checkpoint, then commit), so that tests get stores exactly as ingest makes
 * them without a Flink cluster.
 */
final class RealSink implements AutoCloseable {
    private final CommittingSinkWriter<IngestEvent, SegmentCommittable> writer;
    private final Committer<SegmentCommittable> committer;

    RealSink(Path store, long sealBytes) throws IOException {
        this(store, sealBytes, 0);
    }

    @SuppressWarnings("unchecked")
    RealSink(Path store, long sealBytes, int commitMaxRetries) throws IOException {
        SegmentSink sink =
                SegmentSink.builder()
                        .setStorePath(store)
                        .setSealBytes(sealBytes)
                        .setSealAge(Duration.ZERO)
                        .setCommitMaxRetries(commitMaxRetries)
                        .build();
        ProcessingTimeService time =
                (ProcessingTimeService)
                        Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {ProcessingTimeService.class},
                                (p, m, a) ->
                                        m.getName().equals("getCurrentProcessingTime")
                                                ? System.currentTimeMillis()
                                                : null);
        WriterInitContext wctx =
                (WriterInitContext)
                        Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {WriterInitContext.class},
                                (p, m, a) ->
                                        switch (m.getName()) {
                                            case "getProcessingTimeService" -> time;
                                            case "metricGroup" ->
                                                    UnregisteredMetricsGroup
                                                            .createSinkWriterMetricGroup();
                                            default -> null;
                                        });
        SinkCommitterMetricGroup cmetrics =
                (SinkCommitterMetricGroup)
                        Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {SinkCommitterMetricGroup.class},
                                (p, m, a) ->
                                        switch (m.getName()) {
                                            case "counter" ->
                                                    a.length > 1 ? a[1] : new SimpleCounter();
                                            case "gauge" -> a[1];
                                            default -> null;
                                        });
        CommitterInitContext cctx =
                (CommitterInitContext)
                        Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {CommitterInitContext.class},
                                (p, m, a) -> m.getName().equals("metricGroup") ? cmetrics : null);
        this.writer =
                (CommittingSinkWriter<IngestEvent, SegmentCommittable>) sink.createWriter(wctx);
        this.committer = sink.createCommitter(cctx);
    }

    /** Offers each file as new content (its SHA3-256 computed by the JDK). */
    void write(Path... files) throws IOException, InterruptedException {
        for (Path f : files) {
            IngestEvent e = new IngestEvent();
            e.kind = IngestEvent.Kind.NEW;
            e.path = f.toAbsolutePath().toString();
            e.contentHash = sha3(f);
            e.size = Files.size(f);
            e.modifiedMillis = Files.getLastModifiedTime(f).toMillis();
            writer.write(e, (SinkWriter.Context) null);
        }
    }

    /** A checkpoint: seals what is open and commits it. */
    void checkpoint() throws IOException, InterruptedException {
        Collection<SegmentCommittable> cs = writer.prepareCommit();
        List<Committer.CommitRequest<SegmentCommittable>> requests =
                cs.stream().map(RealSink::request).toList();
        committer.commit(requests);
    }

    @SuppressWarnings("unchecked")
    private static Committer.CommitRequest<SegmentCommittable> request(SegmentCommittable c) {
        return (Committer.CommitRequest<SegmentCommittable>)
                Proxy.newProxyInstance(
                        RealSink.class.getClassLoader(),
                        new Class<?>[] {Committer.CommitRequest.class},
                        (p, m, a) ->
                                switch (m.getName()) {
                                    case "getCommittable" -> c;
                                    case "getNumberOfRetries" -> 0;
                                    default -> null;
                                });
    }

    static String sha3(Path p) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA3-256");
            try (InputStream in = Files.newInputStream(p)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws Exception {
        writer.close();
        committer.close();
    }
}
