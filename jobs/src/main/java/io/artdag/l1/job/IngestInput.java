package io.artdag.l1.job;

import io.artdag.l1.source.InputLayout;
import io.artdag.l1.source.KafkaInputOptions;
import io.artdag.l1.source.KafkaInputSource;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One input of an ingest run: a directory (or file) and how its outputs are laid out, or a Kafka
 * topic of output events ({@link InputLayout#KAFKA}, {@code path} null).
 */
public record IngestInput(Path path, InputLayout layout, String topic) {

    public IngestInput(Path path, InputLayout layout) {
        this(path, layout, null);
    }

    /** A Kafka topic of output events. */
    public static IngestInput kafka(String topic) {
        return new IngestInput(null, InputLayout.KAFKA, topic);
    }

    /**
     * Resolves a command-line input: {@code kafka://TOPIC} is a topic of output events; followed
     * directories are spools; others are artdag caches when they have an {@code index.json} with
     * entries, plain trees otherwise.
     *
     * @throws IllegalArgumentException naming the input when it does not exist or cannot be
     *     followed
     */
    public static IngestInput of(String input, boolean follow) {
        String topic = KafkaInputSource.topicOf(input);
        if (topic != null) {
            return kafka(topic);
        }
        return of(Path.of(input), follow);
    }

    /** Resolves a directory or file input (see {@link #of(String, boolean)}). */
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

    /** Whether the input never ends by itself (a followed spool or a Kafka topic). */
    public boolean unbounded() {
        return layout == InputLayout.SPOOL || layout == InputLayout.KAFKA;
    }

    /** How the input is named: its path, or {@code kafka://TOPIC}. */
    public String name() {
        return layout == InputLayout.KAFKA ? KafkaInputOptions.SCHEME + topic : path.toString();
    }

    /** A stable operator uid for this input's source, so state survives reordering inputs. */
    public String sourceUid() {
        return "source-"
                + layout.name().toLowerCase()
                + "-"
                + Integer.toHexString(name().hashCode());
    }

    @Override
    public String toString() {
        return name();
    }
}
