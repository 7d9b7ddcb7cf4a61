package io.artdag.l1.source.tree;

import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.FileRef;
import java.time.Duration;
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
 * A continuous FLIP-27 source over a spool directory followed until the job stops: each node
 * directory that holds a {@code metadata.json} is one split, read by the {@link EntryFormat}. Its
 * checkpointed state is a ctime threshold, the nodes offered within the last scan's slack and those
 * no reader has taken yet ({@link SpoolEnumeratorState}), not every node ever seen; a node offered
 * again after a restore is a repeated sighting, which the store records once.
 */
@Internal
public final class SpoolSource
        implements Source<FileRef, DirectorySplit, SpoolEnumeratorState>,
                ResultTypeQueryable<FileRef> {
    private static final long serialVersionUID = 1L;

    /**
     * How far before a scan's start the next one looks again: covers coarse file timestamps and
     * clocks that lag a little.
     */
    static final long SLACK_MILLIS = 2000;

    private final String root;
    private final EntryFormat format;
    private final long intervalMillis;

    /** The spool at {@code root}, scanned every {@code interval}. */
    public SpoolSource(java.nio.file.Path root, EntryFormat format, Duration interval) {
        this.root = FilePaths.encode(root.toAbsolutePath().normalize());
        this.format = format;
        this.intervalMillis = Math.max(1, interval.toMillis());
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<FileRef, DirectorySplit> createReader(SourceReaderContext context) {
        return new TreeSourceReader(context, format);
    }

    @Override
    public SplitEnumerator<DirectorySplit, SpoolEnumeratorState> createEnumerator(
            SplitEnumeratorContext<DirectorySplit> context) {
        return restoreEnumerator(context, SpoolEnumeratorState.initial());
    }

    @Override
    public SplitEnumerator<DirectorySplit, SpoolEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<DirectorySplit> context, SpoolEnumeratorState state) {
        return new SpoolSplitEnumerator(
                context, FilePaths.decode(root), intervalMillis, SLACK_MILLIS, state);
    }

    @Override
    public SimpleVersionedSerializer<DirectorySplit> getSplitSerializer() {
        return DirectorySplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<SpoolEnumeratorState> getEnumeratorCheckpointSerializer() {
        return SpoolEnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public TypeInformation<FileRef> getProducedType() {
        return TypeInformation.of(FileRef.class);
    }
}
