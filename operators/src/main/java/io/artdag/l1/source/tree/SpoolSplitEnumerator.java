package io.artdag.l1.source.tree;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans a followed spool every interval ({@link SpoolScanner}, in the coordinator's worker thread;
 * the spool's watch ends when the enumerator closes) and hands each ready node to a reader as a
 * one-entry {@link DirectorySplit}, up to {@link #BATCH} per request. A scan's result is applied in
 * the coordinator thread, so a checkpoint sees the threshold, the recent nodes and the queue of one
 * consistent moment.
 */
@Internal
final class SpoolSplitEnumerator implements SplitEnumerator<DirectorySplit, SpoolEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolSplitEnumerator.class);

    /** Nodes handed to a reader per request. */
    static final int BATCH = 64;

    private final SplitEnumeratorContext<DirectorySplit> context;
    private final SpoolScanner scanner;
    private final long intervalMillis;

    private volatile long threshold;
    private final Map<String, Long> recent;
    private final Deque<String> unassigned;
    private final Set<Integer> waiting = new LinkedHashSet<>();

    SpoolSplitEnumerator(
            SplitEnumeratorContext<DirectorySplit> context,
            Path root,
            long intervalMillis,
            long slackMillis,
            SpoolEnumeratorState state) {
        this.context = context;
        this.scanner = new SpoolScanner(root, slackMillis, System::currentTimeMillis);
        this.intervalMillis = intervalMillis;
        this.threshold = state.threshold();
        this.recent = new HashMap<>(state.recent());
        this.unassigned = new ArrayDeque<>(state.unassigned());
    }

    @Override
    public void start() {
        // One worker thread: scans never overlap, and each reads the threshold last applied.
        context.callAsync(() -> scanner.scan(threshold), this::apply, 0, intervalMillis);
    }

    /** Adds what a scan found that was not offered yet, and advances the threshold. */
    void apply(SpoolScanner.Result result, Throwable error) {
        if (error != null) {
            LOG.warn("Scanning the spool failed; trying again at the next scan", error);
            return;
        }
        for (SpoolScanner.Found f : result.found()) {
            if (f.ctime() < threshold || recent.containsKey(f.metadata())) {
                recent.computeIfPresent(f.metadata(), (k, c) -> Math.max(c, f.ctime()));
                continue; // offered before
            }
            recent.put(f.metadata(), f.ctime());
            unassigned.add(f.metadata());
        }
        threshold = Math.max(threshold, result.nextThreshold());
        recent.values().removeIf(c -> c < threshold);
        assignWaiting();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        waiting.add(subtaskId);
        assignWaiting();
    }

    private void assignWaiting() {
        for (Iterator<Integer> it = waiting.iterator(); it.hasNext() && !unassigned.isEmpty(); ) {
            int reader = it.next();
            it.remove();
            if (context != null && !context.registeredReaders().containsKey(reader)) {
                continue; // failed meanwhile; it asks again when it is back
            }
            List<DirectorySplit> batch = new ArrayList<>();
            while (batch.size() < BATCH && !unassigned.isEmpty()) {
                batch.add(DirectorySplit.entry(unassigned.pollFirst()));
            }
            context.assignSplits(new SplitsAssignment<>(Map.of(reader, batch)));
        }
    }

    @Override
    public void addSplitsBack(List<DirectorySplit> splits, int subtaskId) {
        // A failed reader's nodes since the last checkpoint: offered again, first.
        for (int i = splits.size() - 1; i >= 0; i--) {
            DirectorySplit s = splits.get(i);
            if (s.after() == null) {
                unassigned.addFirst(s.path());
            }
        }
        assignWaiting();
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public SpoolEnumeratorState snapshotState(long checkpointId) {
        return new SpoolEnumeratorState(threshold, recent, new ArrayList<>(unassigned));
    }

    /** The nodes offered and not taken yet (tests). */
    List<String> unassigned() {
        return new ArrayList<>(unassigned);
    }

    /** The scanner, whose first scan opens the spool's watch (tests). */
    SpoolScanner scanner() {
        return scanner;
    }

    /** Ends the spool's watch; a scan still running finishes without it. */
    @Override
    public void close() {
        scanner.close();
    }
}
