package io.artdag.l1.source.tree;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many readers of each bounded input (by its encoded root) have reached the end of their input
 * in this JVM: a local run, whose tasks run in its own process, triggers the final checkpoint as
 * soon as every reader is done instead of waiting for the next interval.
 */
public final class InputsEnded {
    private static final Map<String, AtomicInteger> ENDED = new ConcurrentHashMap<>();

    private InputsEnded() {}

    static void readerEnded(String root) {
        ENDED.computeIfAbsent(root, r -> new AtomicInteger()).incrementAndGet();
    }

    /** Readers of the input at {@code root} (encoded) that have ended since the last reset. */
    public static int readers(String root) {
        AtomicInteger n = ENDED.get(root);
        return n == null ? 0 : n.get();
    }

    /** Forgets the input at {@code root} (at the start of a run over it). */
    public static void reset(String root) {
        ENDED.remove(root);
    }
}
