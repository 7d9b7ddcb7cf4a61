package io.artdag.l1.operators;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decides, per content hash, whether an output is new content or another sighting of content
 * already seen. Keyed by content hash; what this job has seen lives in keyed state (RocksDB in
 * deployments), and on a first sighting the store is asked whether an earlier run stored it.
 */
public class Dedup extends KeyedProcessFunction<String, HashedFile, IngestEvent> {
    private static final long serialVersionUID = 1L;

    private final ContentLookup lookup;

    private transient ValueState<Boolean> seen;
    private transient Counter newContents;
    private transient Counter duplicates;

    public Dedup(ContentLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
        newContents = getRuntimeContext().getMetricGroup().counter("newContents");
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicates");
        lookup.open();
    }

    @Override
    public void processElement(HashedFile file, Context ctx, Collector<IngestEvent> out)
            throws Exception {
        if (seen.value() == null) {
            seen.update(Boolean.TRUE);
            if (!file.cached && !lookup.isStored(file.contentHash)) {
                newContents.inc();
                out.collect(IngestEvent.of(IngestEvent.Kind.NEW, file));
                return;
            }
        }
        duplicates.inc();
        out.collect(IngestEvent.of(IngestEvent.Kind.DUPLICATE, file));
    }

    @Override
    public void close() throws Exception {
        lookup.close();
    }
}
