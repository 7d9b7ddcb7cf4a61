package io.artdag.l1.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * How the artdag cache reader ({@link ArtdagEntries}, {@link ArtdagIndexFormat}) reaches the files
 * of one input, so that one reader serves a cache on disk ({@link LocalCacheFiles}: {@code
 * java.nio} paths, confined by their real path) and one under a prefix of a Flink FileSystem
 * ({@link ObjectCacheFiles}: object URIs, confined as text before anything is asked of the store).
 *
 * @param <L> a location: a local {@link java.nio.file.Path} or an object URI
 */
interface CacheFiles<L> {
    /** The input root as references carry it ({@code FileRef.root}). */
    String root();

    /** {@code name} (one safe path segment) in the directory {@code dir}. */
    L child(L dir, String name);

    /** {@code name} (one safe path segment) beside {@code dir}. */
    L sibling(L dir, String name);

    /**
     * Where an {@code output_path} leads: an absolute path as it is, a relative one from the parent
     * of {@code nodeDir}; null when it names nothing here (in an object store, an absolute local
     * path: only its file name is looked for in the node directory).
     *
     * @throws ArtdagEntries.Rejected when it cannot name a file
     */
    L declared(String outputPath, L nodeDir) throws ArtdagEntries.Rejected;

    /** The last name of an {@code output_path}, or null when it has none (or it is . or ..). */
    String fileName(String outputPath);

    /**
     * {@code candidate} if it exists and may be read as part of the input, null if it does not
     * exist.
     *
     * @throws Outside when it lies outside the input root (in an object store: before the store is
     *     asked about it)
     */
    L confined(L candidate) throws Outside, IOException;

    /**
     * The entries named {@code output*} directly in {@code dir}, sorted; none if not a dir.
     *
     * @throws Outside when {@code dir} may not be listed as part of the input
     */
    List<L> outputs(L dir) throws Outside, IOException;

    /**
     * Whether {@code file} exists (a link itself counts); false for a name that may not be read.
     */
    boolean exists(L file) throws IOException;

    /**
     * Opens a metadata file, which must be a regular file that may be read as part of the input.
     *
     * @param label how reasons name it
     * @throws ArtdagEntries.Rejected with the reason when it may not be read
     */
    InputStream openMetadata(L file, String label) throws ArtdagEntries.Rejected, IOException;

    /** {@code file} relative to the root for messages, e.g. {@code n1/metadata.json}. */
    String label(L file);

    /** The text a reference names {@code file} by. */
    String text(L file);

    /** A candidate that lies outside the input root, and why. */
    final class Outside extends Exception {
        private static final long serialVersionUID = 1L;

        Outside(String reason) {
            super(reason, null, false, false);
        }
    }
}
