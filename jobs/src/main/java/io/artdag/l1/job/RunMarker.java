package io.artdag.l1.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.store.StagedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The store's {@code run.json}: what the unfinished run was asked to do (its spec), its run id (the
 * owner of its claims in l1 mode, kept by every later run on the same store) and where the store
 * was when it ran (Flink's checkpoints name absolute paths, so a moved store cannot resume them).
 * Written atomically; an unreadable marker counts as absent.
 */
final class RunMarker {
    static final String FILE = io.artdag.l1.store.StoreLayout.RUN_MARKER;
    private static final String SPEC = "spec";
    private static final String RUN_ID = "run_id";
    private static final String STORE = "store";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, Object> spec;
    final String runId;
    final String store;

    RunMarker(Map<String, Object> spec, String runId, String store) {
        this.spec = Objects.requireNonNull(spec);
        this.runId = Objects.requireNonNull(runId);
        this.store = Objects.requireNonNull(store);
    }

    /** The marker of an unfinished run, if there is a readable one. */
    @SuppressWarnings("unchecked")
    static Optional<RunMarker> read(Path storeRoot) {
        Path file = storeRoot.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> m = JSON.readValue(file.toFile(), Map.class);
            Object spec = m.get(SPEC);
            Object runId = m.get(RUN_ID);
            Object store = m.get(STORE);
            if (!(spec instanceof Map)
                    || !(runId instanceof String)
                    || !(store instanceof String)) {
                return Optional.empty();
            }
            return Optional.of(
                    new RunMarker(
                            new LinkedHashMap<>((Map<String, Object>) spec),
                            (String) runId,
                            (String) store));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void write(Path storeRoot) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(SPEC, spec);
        m.put(RUN_ID, runId);
        m.put(STORE, store);
        try (StagedFile staged = StagedFile.beside(storeRoot.resolve(FILE), "." + FILE + "-")) {
            JSON.writerWithDefaultPrettyPrinter().writeValue(staged.path().toFile(), m);
            staged.commit();
        }
    }

    static void delete(Path storeRoot) throws IOException {
        Files.deleteIfExists(storeRoot.resolve(FILE));
    }
}
