package io.artdag.l1.cli;

import io.artdag.l1.store.StoreException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns an exception chain into the one line the user sees. */
final class Errors {
    private Errors() {}

    static String oneLine(Throwable t) {
        Throwable root = t;
        Throwable store = null;
        // Flink wraps task failures several times; the innermost message is the useful one,
        // unless a store error names the file that the innermost (an SQLite or OS error) does not.
        while (true) {
            if (root instanceof StoreException) {
                store = root;
            }
            if (root.getCause() == null || root.getCause() == root) {
                break;
            }
            root = root.getCause();
        }
        if (store != null && store != root && store.getMessage() != null) {
            root = store;
        }
        String msg;
        if (root instanceof NoSuchFileException) {
            msg = root.getMessage() + ": no such file or directory";
        } else if (root instanceof AccessDeniedException) {
            msg = root.getMessage() + ": permission denied";
        } else {
            msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }
}
