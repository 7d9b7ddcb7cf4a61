package io.artdag.l1.cli;

import io.artdag.l1.ipld.UnixFsProfile;
import io.artdag.l1.job.IngestInput;
import io.artdag.l1.job.IngestOptions;
import io.artdag.l1.job.LocalIngest;
import io.artdag.l1.job.ObjectStores;
import io.artdag.l1.operators.InputFiles;
import io.artdag.l1.sink.segment.SegmentSinkOptions;
import io.artdag.l1.source.KafkaInputSource;
import io.artdag.l1.store.StoreStats;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code l1 ingest}: runs the job in-process over inputs into a local store. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Hash, deduplicate and store render outputs in a local store (local mode: Flink runs"
                    + " in this process).",
            "An INPUT is a directory tree (every regular file is an output) or an artdag cache"
                    + " directory (recognised by its index.json). With --follow, each INPUT is a"
                    + " spool directory watched for new <node_id>/metadata.json until interrupted.",
            "An INPUT kafka://TOPIC reads renderer output events from a Kafka topic until"
                    + " interrupted (see --kafka-*)."
        })
@Internal
public final class IngestCommand implements Callable<Integer> {
    @Mixin StoreOption store;
    @Mixin ServiceOptions services;
    @Mixin KafkaOptions kafka;
    @Mixin PinCliOptions pins;

    @picocli.CommandLine.ParentCommand L1Command parent;

    @Option(names = "--follow", description = "Follow spool directories continuously.")
    boolean follow;

    @Option(
            names = "--profile",
            paramLabel = "P",
            description =
                    "UnixFS profile: unixfs-v1-2025 or unixfs-v0-2015 (default: ${DEFAULT-VALUE}).",
            defaultValue = "unixfs-v1-2025")
    String profile;

    @Option(
            names = "--seal-bytes",
            paramLabel = "N",
            description = "Seal a segment at this size, e.g. 64mb (default: ${DEFAULT-VALUE}).",
            defaultValue = "128mb")
    String sealBytes;

    @Option(
            names = "--seal-age",
            paramLabel = "D",
            description =
                    "Seal a segment open this long, e.g. 30s, 5min (default: ${DEFAULT-VALUE}).",
            defaultValue = "5min")
    String sealAge;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "D",
            description =
                    "Checkpoint (and commit) interval; a bounded run ends at the first checkpoint"
                            + " after its input (default: ${DEFAULT-VALUE}).",
            defaultValue = "2s")
    String checkpointInterval;

    @Option(
            names = {"-p", "--parallelism"},
            paramLabel = "N",
            description = "Parallel tasks (default: the number of cores, ${DEFAULT-VALUE}).",
            defaultValue = "${sys:l1.cores}")
    Integer parallelism;

    @Option(
            names = "--update-cache-indexes",
            description =
                    "After the run, write each artdag cache input's content_index.json and"
                            + " ipfs_index.json back with what the store holds (they are always"
                            + " checked; disagreements are rejections).")
    boolean updateCacheIndexes;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress display and no summary.")
    boolean quiet;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            description =
                    "local (segments and indexes in the store) or l1 (also Kubo pins, Redis"
                            + " indexes, PostgreSQL provenance) (default: ${DEFAULT-VALUE}).",
            defaultValue = "local")
    String mode;

    @Parameters(
            paramLabel = "INPUT",
            arity = "1..*",
            description =
                    "Input directories, s3://BUCKET/PREFIX (every object under the prefix; the"
                            + " server and credentials from L1_S3_ENDPOINT and AWS_*), or"
                            + " kafka://TOPIC.")
    List<String> inputs;

    static {
        System.setProperty("l1.cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public Integer call() throws Exception {
        UnixFsProfile.fromId(profile);
        // The configuration file's options, then the flags (which already fall back to it).
        Configuration options = parent == null ? new Configuration() : parent.fileConfig();
        options.set(SegmentSinkOptions.PROFILE, profile);
        options.set(SegmentSinkOptions.SEAL_BYTES, parseSize("--seal-bytes", sealBytes));
        options.set(SegmentSinkOptions.SEAL_AGE, parseDuration("--seal-age", sealAge));
        options.set(
                IngestOptions.CHECKPOINT_INTERVAL,
                parseDuration("--checkpoint-interval", checkpointInterval));
        options.set(IngestOptions.MODE, mode);
        options.set(IngestOptions.UPDATE_CACHE_INDEXES, updateCacheIndexes);
        services.applyTo(options);
        kafka.applyTo(options);
        pins.applyTo(options);
        if (parallelism == null || parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1");
        }
        if (inputs.stream()
                .anyMatch(i -> InputFiles.isUri(i) && KafkaInputSource.topicOf(i) == null)) {
            // s3://… inputs: Flink's FileSystem from L1_S3_ENDPOINT and the AWS_* variables.
            ObjectStores.initialize();
        }
        List<IngestInput> resolved = new ArrayList<>();
        for (String in : inputs) {
            resolved.add(IngestInput.of(in, follow));
        }
        boolean unbounded = resolved.stream().anyMatch(IngestInput::unbounded);
        PrintStream err = System.err;
        boolean tty = System.console() != null && !quiet;
        LocalIngest.Summary s =
                LocalIngest.run(
                        new LocalIngest.Settings(
                                store.path(),
                                resolved,
                                unbounded,
                                options,
                                parallelism,
                                tty ? err : null));
        if (!quiet) {
            StoreStats a = s.after();
            StoreStats b = s.before();
            err.printf(
                    "Ingested %,d files (%,.1f MB) in %.1f s, %.1f MB/s%s%n",
                    s.files(),
                    s.bytes() / 1e6,
                    s.elapsed().toMillis() / 1000.0,
                    s.megabytesPerSecond(),
                    s.resumed() ? " (resumed)" : "");
            err.printf(
                    "  new contents %,d, duplicates %,d, rejected %,d, segments %,d%n",
                    a.uniqueContents() - b.uniqueContents(),
                    a.duplicates() - b.duplicates(),
                    a.rejected() - b.rejected(),
                    a.segments() - b.segments());
            err.printf(
                    "  store %s: %,d contents, %,.1f MB in %,d segments%n",
                    store.path(), a.uniqueContents(), a.storedBytes() / 1e6, a.segments());
        }
        return 0;
    }

    static MemorySize parseSize(String option, String value) {
        try {
            return MemorySize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    option + " '" + value + "': not a size (examples: 64mb, 1gb, 1048576)");
        }
    }

    static Duration parseDuration(String option, String value) {
        try {
            return TimeUtils.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    option + " '" + value + "': not a duration (examples: 30s, 5min, 1h)");
        }
    }
}
