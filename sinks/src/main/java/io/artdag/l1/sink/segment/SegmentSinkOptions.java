package io.artdag.l1.sink.segment;

import io.artdag.l1.ipld.UnixFsProfile;
import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/** Configuration of the segment sink. */
@PublicEvolving
public final class SegmentSinkOptions {
    private SegmentSinkOptions() {}

    public static final ConfigOption<String> STORE_PATH =
            ConfigOptions.key("l1.store.path")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Directory of the local segment store (segments/, staging/, index.db)."
                                    + " The l1 command defaults it to ~/.artdag/l1.");

    public static final ConfigOption<String> PROFILE =
            ConfigOptions.key("l1.unixfs.profile")
                    .stringType()
                    .defaultValue(UnixFsProfile.V1_2025.id())
                    .withDescription(
                            "UnixFS profile the file DAGs are built with: unixfs-v1-2025 (CIDv1,"
                                    + " raw leaves, 1 MiB chunks, 1024 links) or unixfs-v0-2015"
                                    + " (CIDv0, dag-pb leaves, 256 KiB chunks, 174 links).");

    public static final ConfigOption<MemorySize> SEAL_BYTES =
            ConfigOptions.key("l1.segment.seal-bytes")
                    .memoryType()
                    .defaultValue(MemorySize.parse("128mb"))
                    .withDescription(
                            "A segment seals before its block payload would exceed this size. It"
                                    + " also seals at every checkpoint and after seal-age.");

    public static final ConfigOption<Duration> SEAL_AGE =
            ConfigOptions.key("l1.segment.seal-age")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "A segment open this long seals even if it is small (0 disables).");

    public static final ConfigOption<MemorySize> HEADER_RESERVE =
            ConfigOptions.key("l1.segment.header-reserve")
                    .memoryType()
                    .defaultValue(MemorySize.parse("256kb"))
                    .withDescription(
                            "Space reserved at the head of each segment for its CARv1 header;"
                                    + " it bounds the roots one segment can list (about 7,000 at"
                                    + " 256 KiB) and the segment seals when it is full. A"
                                    + " segment sealed with most of it unused (few small files)"
                                    + " has it removed at seal.");

    public static final ConfigOption<Boolean> RETAIN_LOCAL =
            ConfigOptions.key("l1.segment.retain-local")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "l1 mode: keep each segment's file in the local store after its"
                                    + " publication (Kubo import and pins, Redis, PostgreSQL) is"
                                    + " confirmed. false (the default): the file is deleted then"
                                    + " (its blocks live in IPFS; the index keeps its contents,"
                                    + " and reads go on to the services), so the store is a"
                                    + " staging area. Local mode always keeps them.");

    public static final ConfigOption<String> STAGING_DIR =
            ConfigOptions.key("l1.staging.dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Cluster job in l1 mode: the directory on each TaskManager's own disk"
                                    + " where its sink subtasks stage segments, one directory per"
                                    + " job under it. Unset: artdag-l1-staging under the"
                                    + " TaskManager's java.io.tmpdir. Nothing in it is needed on"
                                    + " another machine: each sealed segment is imported into"
                                    + " Kubo (unpinned) before its checkpoint completes.");

    public static final ConfigOption<Integer> COMMIT_MAX_RETRIES =
            ConfigOptions.key("l1.segment.commit-max-retries")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "How often a failed commit is retried before the job fails over.");
}
