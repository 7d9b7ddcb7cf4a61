package io.artdag.l1.source.tree;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands out a tree's directories one at a time, on request: it lists a directory only when a reader
 * asks for work, queues its subdirectories (depth first, in name order) and offers the directory's
 * own files as one {@link DirectorySplit}. It never holds a list of files.
 */
@Internal
final class TreeSplitEnumerator implements SplitEnumerator<DirectorySplit, TreeEnumeratorState> {
    private final SplitEnumeratorContext<DirectorySplit> context;
    private final Deque<String> pending;
    private final Deque<DirectorySplit> unassigned;

    TreeSplitEnumerator(SplitEnumeratorContext<DirectorySplit> context, TreeEnumeratorState state) {
        this.context = context;
        this.pending = new ArrayDeque<>(state.pendingDirectories());
        this.unassigned = new ArrayDeque<>(state.unassigned());
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        DirectorySplit next = next();
        if (next == null) {
            context.signalNoMoreSplits(subtaskId);
        } else {
            context.assignSplit(next, subtaskId);
        }
    }

    /** The next split to hand out, listing directories until one has files; null when done. */
    DirectorySplit next() {
        while (unassigned.isEmpty()) {
            String dir = pending.pollFirst();
            if (dir == null) {
                return null;
            }
            expand(dir);
        }
        return unassigned.pollFirst();
    }

    private void expand(String dir) {
        TreeListing.Entries entries;
        try {
            entries = TreeListing.list(dir, true, name -> true);
        } catch (IOException e) {
            // Unreadable or vanished: the entry itself goes on, and the hasher says why.
            unassigned.add(DirectorySplit.entry(dir));
            return;
        }
        List<String> dirs = entries.directories();
        for (int i = dirs.size() - 1; i >= 0; i--) {
            pending.addFirst(dirs.get(i));
        }
        if (!entries.others().isEmpty()) {
            unassigned.add(DirectorySplit.directory(dir));
        }
    }

    @Override
    public void addSplitsBack(List<DirectorySplit> splits, int subtaskId) {
        // A failed reader's splits, with the cursors of its last checkpoint: offered first.
        for (int i = splits.size() - 1; i >= 0; i--) {
            unassigned.addFirst(splits.get(i));
        }
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public TreeEnumeratorState snapshotState(long checkpointId) {
        return new TreeEnumeratorState(new ArrayList<>(pending), new ArrayList<>(unassigned));
    }

    @Override
    public void close() {}
}
