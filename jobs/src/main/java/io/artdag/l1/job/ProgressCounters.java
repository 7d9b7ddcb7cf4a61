package io.artdag.l1.job;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The job's operator counters ({@code filesIn}, {@code bytesIn}, {@code newContents}, {@code
 * duplicates}, {@code rejectedInputs}), read live in this JVM: a local run configures {@link
 * Factory} as a metric reporter, which hands it the very {@link Counter} objects the operators
 * increment, so the progress display reads them at any moment instead of waiting for accumulators
 * carried by heartbeats. A counter's last value is kept when its task closes.
 */
@Internal
public final class ProgressCounters {
    /** The reporter name under {@code metrics.reporter.}. */
    static final String REPORTER = "l1progress";

    static final String FILES = "filesIn";
    static final String BYTES = "bytesIn";
    static final String NEW = "newContents";
    static final String DUPLICATES = "duplicates";
    static final String REJECTED = "rejectedInputs";

    private static final Map<Counter, String> LIVE = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> CLOSED = new ConcurrentHashMap<>();

    private ProgressCounters() {}

    /** Forgets every counter (at the start of a run). */
    static void reset() {
        LIVE.clear();
        CLOSED.clear();
    }

    /** The sum of the counters named {@code name}, live and closed. */
    static long total(String name) {
        long sum = CLOSED.getOrDefault(name, new AtomicLong()).get();
        for (Map.Entry<Counter, String> e : LIVE.entrySet()) {
            if (e.getValue().equals(name)) {
                sum += e.getKey().getCount();
            }
        }
        return sum;
    }

    private static boolean tracked(String name) {
        return name.equals(FILES)
                || name.equals(BYTES)
                || name.equals(NEW)
                || name.equals(DUPLICATES)
                || name.equals(REJECTED);
    }

    /** Registers the operators' counters as Flink creates them. */
    public static final class Reporter implements MetricReporter {
        @Override
        public void open(MetricConfig config) {}

        @Override
        public void close() {}

        @Override
        public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
            if (metric instanceof Counter && tracked(name)) {
                LIVE.put((Counter) metric, name);
            }
        }

        @Override
        public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
            if (metric instanceof Counter && LIVE.remove(metric) != null) {
                CLOSED.computeIfAbsent(name, n -> new AtomicLong())
                        .addAndGet(((Counter) metric).getCount());
            }
        }
    }

    /** Creates the {@link Reporter} (found through {@code META-INF/services}). */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new Reporter();
        }
    }
}
