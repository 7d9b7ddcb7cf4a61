package io.artdag.l1.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a {@link StoreRepair} has done so far: each step adds to it, later steps read it (the
 * contents of adopted segments are recovered; a dropped content sets the garbage collection off),
 * and the {@link StoreRepair.Report} is made from it.
 */
final class RepairLog {
    private final Consumer<String> progress;
    private final List<String> segmentProblems = new ArrayList<>();
    private final List<StoreRepair.Dropped> dropped = new ArrayList<>();
    private final List<String> adopted = new ArrayList<>();
    private final List<String> recovered = new ArrayList<>();
    private final List<String> rewritten = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long blocksRemoved;
    private long blocksAdded;

    RepairLog(Consumer<String> progress) {
        this.progress = progress;
    }

    void progress(String message) {
        progress.accept(message);
    }

    void note(String note) {
        notes.add(note);
    }

    void segmentProblem(String problem) {
        segmentProblems.add(problem);
    }

    void dropped(String contentHash, String reason) {
        dropped.add(new StoreRepair.Dropped(contentHash, reason));
    }

    boolean droppedAny() {
        return !dropped.isEmpty();
    }

    void adopted(String segment) {
        adopted.add(segment);
    }

    List<String> adopted() {
        return List.copyOf(adopted);
    }

    void recovered(String contentHash) {
        recovered.add(contentHash);
    }

    /** A segment rewritten, as the report lists it and its notes say it. */
    void rewritten(String what) {
        rewritten.add(what);
        notes.add(what);
    }

    void reconciled(long[] removedAdded) {
        blocksRemoved += removedAdded[0];
        blocksAdded += removedAdded[1];
    }

    StoreRepair.Report report(
            String indexProblem,
            Path indexMovedTo,
            boolean discardedUnfinishedRun,
            LocalStore.RepairReport cleaned) {
        return new StoreRepair.Report(
                indexProblem,
                indexMovedTo,
                List.copyOf(segmentProblems),
                List.copyOf(dropped),
                List.copyOf(adopted),
                List.copyOf(recovered),
                List.copyOf(rewritten),
                blocksRemoved,
                blocksAdded,
                discardedUnfinishedRun,
                cleaned,
                List.copyOf(notes));
    }
}
