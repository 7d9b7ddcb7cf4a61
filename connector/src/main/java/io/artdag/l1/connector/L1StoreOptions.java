package io.artdag.l1.connector;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The connector's own option: the mode, under the key the {@code l1} command and the cluster job
 * use (README "Configuration"); the store's and l1 mode's options are {@code SegmentSinkOptions}
 * and {@code L1Options}.
 */
@PublicEvolving
public final class L1StoreOptions {
    private L1StoreOptions() {}

    /** Mode value: the local store only. */
    public static final String LOCAL = "local";

    /** Mode value: the local store, then Kubo, Redis and PostgreSQL. */
    public static final String L1 = "l1";

    public static final ConfigOption<String> MODE =
            ConfigOptions.key("l1.mode")
                    .stringType()
                    .defaultValue(LOCAL)
                    .withDescription(
                            "local: segments and indexes in the local store only. l1: also import"
                                    + " each committed segment into Kubo (roots pinned), then"
                                    + " write Redis indexes and PostgreSQL provenance (options"
                                    + " l1.kubo.*, l1.redis.*, l1.postgres.*).");
}
