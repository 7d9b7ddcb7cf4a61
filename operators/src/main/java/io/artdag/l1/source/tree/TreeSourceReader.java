package io.artdag.l1.source.tree;

import io.artdag.l1.operators.FileRef;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;

/**
 * Reads {@link DirectorySplit}s in the task thread: lists one directory's entries in name order,
 * skips those up to the split's cursor and emits a {@link FileRef} per entry; a single-entry split
 * streams the entry's references ({@link EntryFormat#entryRefs}: one file, a spool node, an artdag
 * cache's {@code index.json}) and its cursor is how many were emitted. One split at a time is
 * requested, so the listing of one directory is all it holds; no fetcher threads, so closing at the
 * end of a bounded input does not wait on any.
 */
@Internal
final class TreeSourceReader implements SourceReader<FileRef, DirectorySplit> {
    private final SourceReaderContext context;
    private final EntryFormat format;
    private final Deque<DirectorySplit> splits = new ArrayDeque<>();

    private DirectorySplit current;
    private List<String> entries;
    private int position;
    private String lastEmitted;

    /** A single entry's references, and how many of them this split has emitted. */
    private Iterator<FileRef> refs;

    private long refsEmitted;

    private boolean requested;
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = new CompletableFuture<>();

    TreeSourceReader(SourceReaderContext context, EntryFormat format) {
        this.context = context;
        this.format = format;
    }

    @Override
    public void start() {
        requestIfIdle();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<FileRef> output) {
        if (current == null && !open()) {
            if (noMoreSplits) {
                return InputStatus.END_OF_INPUT;
            }
            requestIfIdle();
            return InputStatus.NOTHING_AVAILABLE;
        }
        if (refs != null) {
            if (refs.hasNext()) {
                output.collect(refs.next());
                lastEmitted = String.valueOf(++refsEmitted);
                return InputStatus.MORE_AVAILABLE;
            }
            closeRefs();
            current = null;
            return InputStatus.MORE_AVAILABLE;
        }
        if (position < entries.size()) {
            String entry = entries.get(position);
            entries.set(position++, null); // emitted: the listing shrinks as it is read
            output.collect(format.ref(entry));
            lastEmitted = entry;
            return InputStatus.MORE_AVAILABLE;
        }
        current = null;
        entries = null;
        return InputStatus.MORE_AVAILABLE;
    }

    /** Takes the next assigned split and lists it; false when none is assigned. */
    private boolean open() {
        DirectorySplit split = splits.pollFirst();
        if (split == null) {
            return false;
        }
        current = split;
        lastEmitted = split.after();
        position = 0;
        if (split.single()) {
            refs = format.entryRefs(split.path());
            refsEmitted = 0;
            long skip = emittedBefore(split.after());
            while (refsEmitted < skip && refs.hasNext()) {
                refs.next();
                refsEmitted++;
            }
            return true;
        }
        List<String> listed;
        try {
            listed = TreeListing.list(split.path(), false, format.names()).others();
        } catch (IOException e) {
            // Vanished or unreadable since it was enumerated: the directory itself is rejected.
            listed = split.after() == null ? new ArrayList<>(List.of(split.path())) : List.of();
        }
        if (split.after() != null) {
            int from = Collections.binarySearch(listed, split.after());
            from = from >= 0 ? from + 1 : -from - 1;
            listed = new ArrayList<>(listed.subList(from, listed.size()));
        }
        entries = listed;
        return true;
    }

    /** How many references of a single entry a cursor says were emitted. */
    private static long emittedBefore(String after) {
        if (after == null) {
            return 0;
        }
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // not a count: the entry was emitted whole
        }
    }

    private void closeRefs() {
        Iterator<FileRef> r = refs;
        refs = null;
        if (r instanceof AutoCloseable) {
            try {
                ((AutoCloseable) r).close();
            } catch (Exception e) {
                // read to its end already; nothing is lost
            }
        }
    }

    private void requestIfIdle() {
        if (current == null && splits.isEmpty() && !noMoreSplits && !requested) {
            requested = true;
            context.sendSplitRequest();
        }
    }

    @Override
    public List<DirectorySplit> snapshotState(long checkpointId) {
        List<DirectorySplit> state = new ArrayList<>(splits.size() + 1);
        if (current != null) {
            state.add(current.after(lastEmitted));
        }
        state.addAll(splits);
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        if (current != null || !splits.isEmpty() || noMoreSplits) {
            return CompletableFuture.completedFuture(null);
        }
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        return available;
    }

    @Override
    public void addSplits(List<DirectorySplit> newSplits) {
        splits.addAll(newSplits);
        requested = false;
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() {
        closeRefs();
    }
}
