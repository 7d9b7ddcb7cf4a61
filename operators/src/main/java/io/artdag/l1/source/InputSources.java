package io.artdag.l1.source;

import io.artdag.l1.operators.FileRef;
import io.artdag.l1.operators.InputFiles;
import io.artdag.l1.source.tree.SpoolSource;
import io.artdag.l1.source.tree.TreeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.Source;

/**
 * Builds the source for one input: a plain tree ({@link TreeSource}: one split per directory with a
 * name cursor, so its state does not grow with the number of files), an artdag cache (its {@code
 * index.json}, one split whose position is the number of entries read: state of one split, and its
 * {@code plans/} and {@code analysis/} as trees of their own), or a spool followed continuously
 * ({@link SpoolSource}: a ctime threshold and the nodes not read yet). Each format is given the
 * input as its root: nothing that resolves outside it is read.
 */
@Internal
public final class InputSources {
    private InputSources() {}

    /**
     * Builds a bounded source over the objects under a prefix of a Flink FileSystem ({@code
     * s3://BUCKET/PREFIX}), read as a plain tree.
     */
    public static Source<FileRef, ?, ?> objects(String uri) {
        return new TreeSource(uri, new ObjectTreeFormat(uri));
    }

    /**
     * Builds a bounded source over a prefix of a Flink FileSystem laid out as {@code layout}: a
     * {@link InputLayout#TREE} ({@link #objects(String)}) or an artdag {@link InputLayout#CACHE}
     * ({@link ObjectCacheFormat}: its {@code index.json} streamed as one split whose position is
     * the number of entries read, and its {@code plans/} and {@code analysis/} as trees, in one
     * source).
     *
     * @throws UncheckedIOException when the prefix cannot be listed
     */
    public static Source<FileRef, ?, ?> objects(String uri, InputLayout layout) {
        if (layout != InputLayout.CACHE) {
            return objects(uri);
        }
        ObjectCacheFormat format = new ObjectCacheFormat(uri);
        List<String> dirs = new ArrayList<>();
        for (CacheArtifactFormat.Kind kind : CacheArtifactFormat.Kind.values()) {
            String dir = format.directory(kind);
            try {
                if (!InputFiles.stat(dir).regularFile()) {
                    dirs.add(dir);
                }
            } catch (NoSuchFileException e) {
                // no artifacts of this kind
            } catch (IOException e) {
                throw new UncheckedIOException("listing input " + dir, e);
            }
        }
        return TreeSource.of(dirs, List.of(format.index()), format);
    }

    /** Builds a bounded source for a tree or cache, or a continuous one for a spool. */
    public static Source<FileRef, ?, ?> create(
            Path input, InputLayout layout, Duration scanInterval) {
        Path abs = input.toAbsolutePath().normalize();
        switch (layout) {
            case CACHE:
                return new TreeSource(
                        abs.resolve(InputLayout.CACHE_INDEX), new ArtdagIndexFormat(abs));
            case SPOOL:
                return new SpoolSource(abs, new SpoolNodeFormat(abs), scanInterval);
            case TREE:
            default:
                return new TreeSource(abs, new TreeFileFormat(abs));
        }
    }

    /**
     * The sources of an artdag cache's plans and analysis results ({@link CacheArtifactFormat}),
     * one per kind whose directory exists (a link is followed; what it leads to outside the cache
     * is rejected file by file), in {@link CacheArtifactFormat.Kind} order.
     */
    public static Map<CacheArtifactFormat.Kind, Source<FileRef, ?, ?>> cacheArtifacts(Path cache) {
        Path abs = cache.toAbsolutePath().normalize();
        Map<CacheArtifactFormat.Kind, Source<FileRef, ?, ?>> sources =
                new EnumMap<>(CacheArtifactFormat.Kind.class);
        for (CacheArtifactFormat.Kind kind : CacheArtifactFormat.Kind.values()) {
            Path dir = abs.resolve(kind.directory);
            if (Files.isDirectory(dir)) {
                sources.put(kind, new TreeSource(dir, new CacheArtifactFormat(abs, kind)));
            }
        }
        return sources;
    }
}
