package io.artdag.l1.sink.segment;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.annotation.Internal;

/**
 * Runs a writer's {@link SegmentHandoff} on a thread of its own, one segment at a time in seal
 * order, so the task goes on hashing and packing while a sealed segment is handed off (l1 mode:
 * Kubo imports it). At most {@code maxPending} segments wait; a writer that seals faster waits for
 * the oldest. {@link #awaitAll()} is the writer's barrier: a checkpoint's committable is built only
 * after every segment it names is held elsewhere, as the handoff's contract requires. A failed
 * handoff is thrown at the next call, failing the task as a failed seal did.
 */
@Internal
final class PendingHandoffs implements AutoCloseable {
    private final SegmentHandoff handoff;
    private final int maxPending;
    private final ExecutorService thread;
    private final Deque<Future<?>> pending = new ArrayDeque<>();

    PendingHandoffs(SegmentHandoff handoff, int maxPending, String threadName) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending " + maxPending + " < 1");
        }
        this.handoff = handoff;
        this.maxPending = maxPending;
        this.thread =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, threadName);
                            t.setDaemon(true);
                            return t;
                        });
    }

    /**
     * Starts handing off {@code file}; waits first while {@code maxPending} segments are still
     * being handed off, and throws the failure of any that failed.
     */
    void submit(Path file, SealedSegment segment) throws IOException {
        while (!pending.isEmpty() && (pending.size() >= maxPending || pending.peek().isDone())) {
            await(pending.poll());
        }
        pending.add(
                thread.submit(
                        () -> {
                            handoff.handOff(file, segment);
                            return null;
                        }));
    }

    /** Returns once every submitted segment is handed off; throws the first failure. */
    void awaitAll() throws IOException {
        while (!pending.isEmpty()) {
            await(pending.poll());
        }
    }

    private void await(Future<?> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("waiting for a segment handoff: interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException) {
                throw new InterruptedIOException("segment handoff interrupted");
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("segment handoff failed: " + cause, cause);
        }
    }

    /**
     * Interrupts a handoff in progress (the task is closing: its segments' inputs are processed
     * again after a restore) and waits for the thread to end, so no import still reads a staged
     * file once the writer is gone; then closes the handoff.
     */
    @Override
    public void close() throws Exception {
        pending.clear();
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IOException("a segment handoff did not stop within 30 s of its writer");
            }
        } finally {
            handoff.close();
        }
    }
}
