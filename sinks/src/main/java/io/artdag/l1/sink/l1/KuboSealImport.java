package io.artdag.l1.sink.l1;

import io.artdag.l1.kubo.DagImportResult;
import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.sink.segment.SealedSegment;
import io.artdag.l1.sink.segment.SegmentHandoff;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * l1 mode with per-TaskManager staging: imports each sealed segment into Kubo without pinning it
 * ({@code dag/import pin-roots=false}) before its checkpoint completes, so that a committable
 * restored on another machine pins its roots from Kubo's blocks and needs no file from the lost one
 * ({@code KuboImportStep}). Until the commit pins them the blocks are unpinned: nothing names them,
 * and a segment whose checkpoint never completes is garbage Kubo may collect. An unreachable Kubo
 * is waited out up to {@code l1.publish.outage-limit}, as publishing does (docs/scaling.md).
 */
@PublicEvolving
public final class KuboSealImport implements SegmentHandoff.Factory {
    private static final long serialVersionUID = 1L;

    private final L1Settings settings;

    public KuboSealImport(L1Settings settings) {
        this.settings = settings.validate();
    }

    @Override
    public SegmentHandoff create(MetricGroup metrics) {
        Counter handedOff = metrics.counter("segmentsHandedOff");
        // Named as the committer's import metrics (deploy/grafana charts them by name).
        AtomicLong millis = new AtomicLong();
        metrics.gauge("kuboImportMillis", millis::get);
        Counter bytes = metrics.counter("kuboImportBytes");
        KuboClient kubo = new KuboClient(settings.kubo());
        Duration outageLimit = settings.outageLimit();
        return new SegmentHandoff() {
            @Override
            public void handOff(Path file, SealedSegment segment)
                    throws IOException, InterruptedException {
                long t0 = System.nanoTime();
                importWaitingOutOutages(kubo, file, outageLimit);
                millis.set((System.nanoTime() - t0) / 1_000_000);
                bytes.inc(segment.bytes());
                handedOff.inc();
            }
        };
    }

    static void importWaitingOutOutages(KuboClient kubo, Path file, Duration outageLimit)
            throws IOException, InterruptedException {
        ServiceFailures.waitOut(
                "importing sealed segment " + file,
                "kubo",
                outageLimit,
                () -> {},
                () -> {
                    DagImportResult result = kubo.dagImport(file, false);
                    if (!result.failedRoots().isEmpty()) {
                        throw new IOException(
                                "dag/import of " + file + " failed for " + result.failedRoots());
                    }
                });
    }
}
