package io.artdag.l1.job;

import io.artdag.l1.sink.segment.SegmentSinkOptions;
import io.artdag.l1.store.LocalStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether {@code l1 ingest} resumes an unfinished run: the run's spec (inputs, follow, profile,
 * parallelism, mode) as kept in the store's run marker, compared with the new run's, and the newest
 * retained checkpoint under the store (docs/guarantees.md, "SIGKILL then rerun").
 */
final class RunResume {
    private RunResume() {}

    static Map<String, Object> spec(LocalIngest.Settings s) {
        Map<String, Object> spec = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>();
        s.inputs().forEach(i -> inputs.add(i.layout() + " " + i.name()));
        spec.put("inputs", inputs);
        spec.put("follow", s.follow());
        spec.put("profile", s.options().get(SegmentSinkOptions.PROFILE));
        spec.put("parallelism", s.parallelism());
        spec.put("mode", s.options().get(IngestOptions.MODE));
        return spec;
    }

    /**
     * An unfinished run over the same inputs resumes from its newest retained checkpoint; an
     * unfinished run over other inputs, or in a store that has moved since (Flink's checkpoints
     * name absolute paths), is discarded: its committed work stays in the store.
     */
    static Optional<String> resumePoint(
            LocalStore store,
            Map<String, Object> spec,
            Optional<RunMarker> previous,
            PrintStream out)
            throws IOException {
        if (previous.isEmpty()) {
            deleteRecursively(store.checkpointsDir());
            return Optional.empty();
        }
        Optional<Path> latest = latestCheckpoint(store.checkpointsDir());
        String here = realPath(store.root());
        boolean sameSpec = spec.equals(previous.get().spec);
        boolean moved = !here.equals(previous.get().store);
        if (sameSpec && !moved && latest.isPresent()) {
            if (out != null) {
                out.println("Resuming the unfinished run from " + latest.get().getParent());
            }
            return Optional.of(latest.get().getParent().toUri().toString());
        }
        if (out != null) {
            String why;
            if (!sameSpec) {
                why = " (over other inputs)";
            } else if (moved) {
                why =
                        " in this store's old place "
                                + previous.get().store
                                + " (its checkpoints name that path)";
            } else {
                why = " and left no checkpoint";
            }
            out.println(
                    "An earlier run did not finish"
                            + why
                            + "; starting afresh (what it committed is kept)");
        }
        deleteRecursively(store.checkpointsDir());
        return Optional.empty();
    }

    private static Optional<Path> latestCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s =
                Files.find(dir, 3, (p, a) -> p.getFileName().toString().equals("_metadata"))) {
            return s.filter(p -> p.getParent().getFileName().toString().startsWith("chk-"))
                    .max(Comparator.comparingLong(RunResume::checkpointNumber));
        }
    }

    /**
     * The number N of a checkpoint's {@code chk-N/_metadata}, or -1 if its directory is named
     * otherwise.
     */
    private static long checkpointNumber(Path metadata) {
        String dir = metadata.getParent().getFileName().toString();
        try {
            return Long.parseLong(dir.substring("chk-".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Deletes a directory tree. Flink may still be removing subsumed checkpoints in it when a run
     * ends, so entries vanishing under the walk are expected: it retries, and what it cannot remove
     * is left for the next run's start to clear.
     */
    static void deleteRecursively(Path dir) throws IOException {
        for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (java.io.UncheckedIOException
                    | java.nio.file.NoSuchFileException
                    | java.nio.file.DirectoryNotEmptyException e) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    static String realPath(Path p) throws IOException {
        return p.toRealPath().toString();
    }
}
