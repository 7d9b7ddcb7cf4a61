package io.artdag.l1.job;

import io.artdag.l1.source.InputLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/** One input of an ingest run: a directory (or file) and how its outputs are laid out. */
public record IngestInput(Path path, InputLayout layout) {

    /**
     * Resolves a command-line input: followed inputs are spools; others are artdag caches when they
     * have an {@code index.json} with entries, plain trees otherwise.
     *
     * @throws IllegalArgumentException naming the input when it does not exist or cannot be
     *     followed
     */
    public static IngestInput of(Path path, boolean follow) {
        Path abs = path.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new IllegalArgumentException(path + ": no such file or directory");
        }
        if (follow) {
            if (!Files.isDirectory(abs)) {
                throw new IllegalArgumentException(
                        path + ": --follow needs a spool directory, this is a file");
            }
            return new IngestInput(abs, InputLayout.SPOOL);
        }
        return new IngestInput(abs, InputLayout.detect(abs));
    }

    /** A stable operator uid for this input's source, so state survives reordering inputs. */
    public String sourceUid() {
        return "source-"
                + layout.name().toLowerCase()
                + "-"
                + Integer.toHexString(path.toString().hashCode());
    }
}
