package io.artdag.l1.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.artdag.l1.operators.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.flink.annotation.Internal;

/** How an input directory is laid out, which decides how its render outputs are found. */
@Internal
public enum InputLayout {
    /** Any directory tree: each regular, non-hidden file is a render output. */
    TREE,
    /** An artdag cache directory: {@code index.json} lists the outputs and their metadata. */
    CACHE,
    /**
     * A spool directory followed continuously: {@code <node_id>/output<ext>} is ready once its
     * {@code <node_id>/metadata.json} exists (renderers write it last).
     */
    SPOOL,
    /**
     * Renderer output events on a Kafka topic ({@code kafka://TOPIC}), each naming one file under
     * the allowed roots; followed until interrupted.
     */
    KAFKA;

    /** The index file that marks an artdag cache directory. */
    public static final String CACHE_INDEX = "index.json";

    /** The file whose appearance marks a spool node directory as complete. */
    public static final String NODE_METADATA = "metadata.json";

    /**
     * Recognises an artdag cache directory by an {@code index.json} whose top level has an {@code
     * entries} object; anything else is a plain tree.
     */
    public static InputLayout detect(Path input) {
        Path index = input.resolve(CACHE_INDEX);
        if (!Files.isDirectory(input) || !Files.isRegularFile(index)) {
            return TREE;
        }
        try {
            if (!index.toRealPath().startsWith(input.toRealPath())) {
                // Not read: the cache format rejects it as outside the input root.
                return CACHE;
            }
        } catch (IOException e) {
            return TREE;
        }
        return hasEntries(index) ? CACHE : TREE;
    }

    /**
     * Recognises an artdag cache under a prefix of a Flink FileSystem ({@code s3://BUCKET/PREFIX})
     * as on disk: an {@code index.json} object directly under the prefix whose top level has an
     * {@code entries} object; anything else is a plain tree.
     *
     * @param uri the prefix, as {@link InputFiles#canonical} returns it
     * @throws IOException when the store cannot be asked
     */
    public static InputLayout detect(String uri) throws IOException {
        String index = (uri.endsWith("/") ? uri : uri + "/") + CACHE_INDEX;
        try {
            if (!InputFiles.stat(index).regularFile()) {
                return TREE;
            }
            try (InputStream in = InputFiles.open(index)) {
                return hasEntries(in) ? CACHE : TREE;
            }
        } catch (NoSuchFileException e) {
            return TREE;
        }
    }

    private static boolean hasEntries(Path index) {
        try (InputStream in = Files.newInputStream(index)) {
            return hasEntries(in);
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean hasEntries(InputStream in) {
        try (JsonParser p = new JsonFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("entries".equals(name)) {
                    return value == JsonToken.START_OBJECT;
                }
                p.skipChildren();
            }
            return false;
        } catch (IOException e) {
            // A broken index.json still says "this is an artdag cache"; the reader reports it.
            return true;
        }
    }
}
