package io.artdag.l1.store;

import java.nio.file.Path;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The names of a local store's files and directories, in one place (see {@code README.md}, "The
 * local store"): every reader, writer, repair and tool resolves them here.
 */
@PublicEvolving
public final class StoreLayout {
    /** Committed segments ({@code <writer>-<seq>.car}). */
    public static final String SEGMENTS = "segments";

    /** Segments being written or sealed but not committed yet. */
    public static final String STAGING = "staging";

    /** The SQLite index of contents, sightings, rejections and segments. */
    public static final String INDEX = "index.db";

    /** Flink checkpoints of a local run, kept for resuming it. */
    public static final String CHECKPOINTS = "checkpoints";

    /** Verified copies of contents fetched through the l1-mode services. */
    public static final String FETCHED = "fetched";

    /** The marker of an unfinished local run (what it ingests, its run id). */
    public static final String RUN_MARKER = "run.json";

    /** The lock file of the process that owns the store. */
    public static final String LOCK = "lock";

    private StoreLayout() {}

    public static Path segments(Path root) {
        return root.resolve(SEGMENTS);
    }

    public static Path staging(Path root) {
        return root.resolve(STAGING);
    }

    public static Path index(Path root) {
        return root.resolve(INDEX);
    }

    public static Path checkpoints(Path root) {
        return root.resolve(CHECKPOINTS);
    }

    public static Path fetched(Path root) {
        return root.resolve(FETCHED);
    }

    public static Path runMarker(Path root) {
        return root.resolve(RUN_MARKER);
    }
}
