package io.artdag.l1.read;

import java.util.ArrayList;
import java.util.List;

/**
 * What the steps of one lookup said on the way: misses (for the "not found" message, which lists
 * every step) and notes (what went wrong without stopping the lookup, for the user to see).
 */
final class LookupTrail {
    private final List<String> notes = new ArrayList<>();
    private final List<String> misses = new ArrayList<>();

    /** A step that does not know the content. */
    void miss(String m) {
        misses.add(m);
    }

    /** Something the user should see that did not stop the lookup. */
    void note(String m) {
        notes.add(m);
    }

    /** A step that failed (a service down, corrupt bytes): both a note and a miss. */
    void problem(String m) {
        notes.add(m);
        misses.add(m);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    /** The misses, joined for a "not found (…)" message. */
    String misses() {
        return String.join("; ", misses);
    }

    /** The first line of a throwable's message (or of its cause's, when it has none). */
    static String message(Throwable e) {
        String m = e.getMessage();
        if ((m == null || m.isBlank()) && e.getCause() != null) {
            return message(e.getCause());
        }
        m = m == null ? e.getClass().getSimpleName() : m;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
