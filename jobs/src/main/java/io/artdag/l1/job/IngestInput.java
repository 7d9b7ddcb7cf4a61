package io.artdag.l1.job;

import io.artdag.l1.operators.InputFiles;
import io.artdag.l1.source.InputLayout;
import io.artdag.l1.source.KafkaInputOptions;
import io.artdag.l1.source.KafkaInputSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.flink.annotation.Internal;

/**
 * One input of an ingest run: a directory (or file) and how its outputs are laid out, a Kafka topic
 * of output events ({@link InputLayout#KAFKA}, {@code path} null), or a prefix in a Flink
 * FileSystem such as {@code s3://BUCKET/PREFIX} ({@code uri}, read as a {@link InputLayout#TREE},
 * or as a {@link InputLayout#CACHE} when it holds an artdag cache; {@code path} null).
 */
@Internal
public record IngestInput(Path path, InputLayout layout, String topic, String uri) {

    public IngestInput(Path path, InputLayout layout) {
        this(path, layout, null, null);
    }

    public IngestInput(Path path, InputLayout layout, String topic) {
        this(path, layout, topic, null);
    }

    /** A Kafka topic of output events. */
    public static IngestInput kafka(String topic) {
        return new IngestInput(null, InputLayout.KAFKA, topic);
    }

    /**
     * Every object under a prefix of a Flink FileSystem ({@code s3://BUCKET/PREFIX}), as a tree, or
     * the artdag cache there when an {@code index.json} directly under the prefix has entries
     * ({@link InputLayout#detect(String)}).
     *
     * @throws IllegalArgumentException naming the input when it cannot be listed, names nothing, or
     *     is to be followed
     */
    public static IngestInput objects(String uri, boolean follow) {
        if (follow) {
            throw new IllegalArgumentException(
                    uri
                            + ": --follow needs a local spool directory; objects under a prefix are"
                            + " read once");
        }
        String canonical;
        try {
            canonical = InputFiles.canonical(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        InputLayout layout;
        try {
            layout =
                    InputFiles.stat(canonical).regularFile()
                            ? InputLayout.TREE
                            : InputLayout.detect(canonical);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(uri + ": no such object or prefix");
        } catch (IOException | RuntimeException e) {
            // One line that names the input (the CLI prints an exception's innermost message).
            throw new IllegalArgumentException(
                    uri
                            + ": cannot be listed through Flink's FileSystem ("
                            + innermostMessage(e)
                            + "); for s3:// set "
                            + ObjectStores.ENDPOINT_ENV
                            + ", AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION");
        }
        return new IngestInput(null, layout, null, canonical);
    }

    /**
     * Resolves a command-line input: {@code kafka://TOPIC} is a topic of output events; another URI
     * with a scheme ({@code s3://BUCKET/PREFIX}) a prefix of objects read through Flink's
     * FileSystem as a tree or an artdag cache ({@code file://} URIs are local paths); followed
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
        if (InputFiles.isUri(input)) {
            return objects(input, follow);
        }
        if (input.regionMatches(true, 0, "file:", 0, 5)) {
            return of(Path.of(URI.create(input)), follow);
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

    private static String innermostMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg =
                root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    /** Whether the input never ends by itself (a followed spool or a Kafka topic). */
    public boolean unbounded() {
        return layout == InputLayout.SPOOL || layout == InputLayout.KAFKA;
    }

    /** How the input is named: its path, its URI, or {@code kafka://TOPIC}. */
    public String name() {
        if (uri != null) {
            return uri;
        }
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
