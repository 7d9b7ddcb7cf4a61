package io.artdag.l1.job;

import io.artdag.l1.connector.L1StoreOptions;
import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Job-level options of an ingest run (the sink's own are in {@code SegmentSinkOptions}). */
@PublicEvolving
public final class IngestOptions {
    private IngestOptions() {}

    /** {@code l1.mode}: the connector's option (one definition, {@link L1StoreOptions#MODE}). */
    public static final ConfigOption<String> MODE = L1StoreOptions.MODE;

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("l1.checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "How often the job checkpoints; every checkpoint seals the open segments"
                                    + " and commits them, so this is also the visibility delay.");

    public static final ConfigOption<Duration> SCAN_INTERVAL =
            ConfigOptions.key("l1.follow.scan-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "How often a followed spool directory is scanned for new nodes.");

    public static final ConfigOption<Boolean> UPDATE_CACHE_INDEXES =
            ConfigOptions.key("l1.cache.update-indexes")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "After a local run over an artdag cache, write the cache's"
                                    + " content_index.json and ipfs_index.json back with what the"
                                    + " store holds (atomically); they are always checked.");

    public static final ConfigOption<Integer> RESTART_ATTEMPTS =
            ConfigOptions.key("l1.restart.attempts")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "Task failures a local run recovers from (from the last checkpoint)"
                                    + " before it gives up.");
}
