package io.artdag.l1.source.tree;

import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.FileRef;
import io.artdag.l1.operators.InputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded FLIP-27 source over a local directory tree (or a prefix of a Flink FileSystem such as
 * {@code s3://BUCKET/PREFIX}, listed the same way through that FileSystem) whose state does not
 * grow with the number of files: a split is one directory's files with a name cursor, handed out as
 * readers ask for work (see {@code docs/guarantees.md}, "Sources"). What each entry becomes is the
 * {@link EntryFormat}'s business.
 */
@Internal
public final class TreeSource
        implements Source<FileRef, DirectorySplit, TreeEnumeratorState>,
                ResultTypeQueryable<FileRef> {
    private static final long serialVersionUID = 1L;

    private final String root;
    private final EntryFormat format;

    /** What is pending at the start when given explicitly ({@link #of}), else null. */
    private final List<String> directories;

    private final List<String> entries;

    /**
     * The tree (or the single file, or the index) at {@code root}, each entry made a reference by
     * {@code format}.
     */
    public TreeSource(Path root, EntryFormat format) {
        this(FilePaths.encode(root.toAbsolutePath().normalize()), format, null, null);
    }

    private TreeSource(
            String root, EntryFormat format, List<String> directories, List<String> entries) {
        this.root = root;
        this.format = format;
        this.directories = directories;
        this.entries = entries;
    }

    /**
     * The given trees ({@code directories}, each walked as a whole) and single entries (each
     * streamed by {@link EntryFormat#entryRefs(String)}), named as their listing names them (local
     * {@link FilePaths#encode}d paths or URIs), each made a reference by {@code format}.
     */
    public static TreeSource of(
            List<String> directories, List<String> entries, EntryFormat format) {
        return new TreeSource(
                entries.isEmpty() ? directories.get(0) : entries.get(0),
                format,
                List.copyOf(directories),
                List.copyOf(entries));
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<FileRef, DirectorySplit> createReader(SourceReaderContext context) {
        return new TreeSourceReader(context, format);
    }

    @Override
    public SplitEnumerator<DirectorySplit, TreeEnumeratorState> createEnumerator(
            SplitEnumeratorContext<DirectorySplit> context) {
        return new TreeSplitEnumerator(context, initialState());
    }

    /**
     * The objects under the prefix {@code uri} of a Flink FileSystem ({@code s3://BUCKET/PREFIX}),
     * or the one object it names, each made a reference by {@code format}; entries are named by
     * URI.
     */
    public TreeSource(String uri, EntryFormat format) {
        this(InputFiles.canonical(uri), format, null, null);
    }

    /** The whole tree pending, or the root alone when it is not a directory. */
    TreeEnumeratorState initialState() {
        if (directories != null) {
            return new TreeEnumeratorState(
                    directories, entries.stream().map(DirectorySplit::entry).toList());
        }
        if (InputFiles.isUri(root)) {
            try {
                return InputFiles.stat(root).regularFile()
                        ? new TreeEnumeratorState(List.of(), List.of(DirectorySplit.entry(root)))
                        : new TreeEnumeratorState(List.of(root), List.of());
            } catch (NoSuchFileException e) {
                return new TreeEnumeratorState(List.of(), List.of());
            } catch (IOException e) {
                throw new UncheckedIOException("listing input " + root, e);
            }
        }
        Path path = FilePaths.decode(root);
        if (Files.isDirectory(path)) {
            return new TreeEnumeratorState(List.of(root), List.of());
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return new TreeEnumeratorState(List.of(), List.of(DirectorySplit.entry(root)));
        }
        return new TreeEnumeratorState(List.of(), List.of());
    }

    @Override
    public SplitEnumerator<DirectorySplit, TreeEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<DirectorySplit> context, TreeEnumeratorState state) {
        return new TreeSplitEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<DirectorySplit> getSplitSerializer() {
        return DirectorySplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<TreeEnumeratorState> getEnumeratorCheckpointSerializer() {
        return TreeEnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public TypeInformation<FileRef> getProducedType() {
        return TypeInformation.of(FileRef.class);
    }
}
