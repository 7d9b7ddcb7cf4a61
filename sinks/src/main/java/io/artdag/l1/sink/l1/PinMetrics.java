package io.artdag.l1.sink.l1;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;

/**
 * One pin backend's metrics, in the committer's group {@code backend=<name>}: {@code
 * pinsConfirmed}, {@code pinsFailed} and the gauge {@code pinsPending}.
 */
record PinMetrics(Counter confirmed, Counter failed, AtomicLong pending) {
    static PinMetrics of(MetricGroup committer, String backend) {
        MetricGroup g = committer.addGroup("backend", backend);
        AtomicLong pending = new AtomicLong();
        g.gauge("pinsPending", pending::get);
        return new PinMetrics(g.counter("pinsConfirmed"), g.counter("pinsFailed"), pending);
    }

    /** Metrics nobody reads (a publication outside a job). */
    static PinMetrics none() {
        return new PinMetrics(new SimpleCounter(), new SimpleCounter(), new AtomicLong());
    }
}
