package io.artdag.l1.operators;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decides, per content hash, whether an output is new content or another sighting of content
 * already seen. Keyed by content hash; what this job has seen lives in keyed state (RocksDB in
 * deployments), and on a first sighting the store is asked whether an earlier run stored it.
 *
 * <p>In l1 mode a content whose claim another live job held at lookup time ({@link
 * HashedFile#heldElsewhere}) is neither stored nor dropped: its sightings wait in keyed state and a
 * processing-time timer asks the {@link ClaimCheck} again until that job has published it (then
 * they are duplicates) or its claim has ended (then this job stores it). At the end of a bounded
 * input (the final watermark) a content still held is checked once more and, if still held,
 * deferred to the runner (see {@code docs/guarantees.md}).
 */
@Internal
public class Dedup extends KeyedProcessFunction<String, HashedFile, IngestEvent> {
    private static final long serialVersionUID = 1L;

    private final ContentLookup lookup;
    private final ClaimCheck claims;
    private final long recheckMillis;

    /**
     * null: never seen; FALSE: held elsewhere, sightings wait in {@link #pending}; TRUE: decided.
     */
    private transient ValueState<Boolean> seen;

    private transient ListState<HashedFile> pending;
    private transient Counter newContents;
    private transient Counter duplicates;
    private transient Counter deferred;

    public Dedup(ContentLookup lookup) {
        this(lookup, null, 0);
    }

    /**
     * @param claims re-checks contents another job had claimed (l1 mode), or null
     * @param recheckMillis how often a held content is asked again
     */
    public Dedup(ContentLookup lookup, ClaimCheck claims, long recheckMillis) {
        this.lookup = lookup;
        this.claims = claims;
        this.recheckMillis = recheckMillis;
        if (claims != null && recheckMillis <= 0) {
            throw new IllegalArgumentException("recheck interval must be > 0");
        }
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
        pending =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "held-elsewhere", TypeInformation.of(HashedFile.class)));
        newContents = getRuntimeContext().getMetricGroup().counter("newContents");
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicates");
        deferred = getRuntimeContext().getMetricGroup().counter("deferredContents");
        lookup.open();
        if (claims != null) {
            claims.open();
        }
    }

    @Override
    public void processElement(HashedFile file, Context ctx, Collector<IngestEvent> out)
            throws Exception {
        Boolean state = seen.value();
        if (Boolean.FALSE.equals(state)) {
            // Undecided: every sighting waits with the first one.
            pending.add(file);
            return;
        }
        if (state == null) {
            if (file.heldElsewhere && claims != null) {
                seen.update(Boolean.FALSE);
                pending.add(file);
                long now = ctx.timerService().currentProcessingTime();
                ctx.timerService().registerProcessingTimeTimer(now + recheckMillis);
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
                return;
            }
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
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<IngestEvent> out)
            throws Exception {
        if (!Boolean.FALSE.equals(seen.value())) {
            return; // decided already (a timer left from an earlier re-check)
        }
        List<HashedFile> waiting = new ArrayList<>();
        pending.get().forEach(waiting::add);
        boolean last = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        String hash = ctx.getCurrentKey();
        ClaimCheck.Status status = claims.check(hash, last);
        if (status == ClaimCheck.Status.HELD && !last) {
            ctx.timerService()
                    .registerProcessingTimeTimer(
                            ctx.timerService().currentProcessingTime() + recheckMillis);
            return;
        }
        pending.clear();
        seen.update(Boolean.TRUE);
        int first = 0;
        if (status == ClaimCheck.Status.OURS && !lookup.isStored(hash)) {
            newContents.inc();
            out.collect(IngestEvent.of(IngestEvent.Kind.NEW, waiting.get(0)));
            first = 1;
        } else if (status == ClaimCheck.Status.HELD) {
            // Still claimed at the end of the input: the runner stores it after this job if the
            // other job never publishes it.
            deferred.inc();
            claims.defer(hash, waiting.get(0).path);
        }
        for (int i = first; i < waiting.size(); i++) {
            duplicates.inc();
            out.collect(IngestEvent.of(IngestEvent.Kind.DUPLICATE, waiting.get(i)));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            lookup.close();
        } finally {
            if (claims != null) {
                claims.close();
            }
        }
    }
}
