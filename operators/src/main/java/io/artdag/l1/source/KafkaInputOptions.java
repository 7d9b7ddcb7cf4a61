package io.artdag.l1.source;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;

/** Options of the Kafka input ({@code kafka://TOPIC}): where the broker is and what it may name. */
@PublicEvolving
public final class KafkaInputOptions {
    /** The consumer group when {@link #GROUP_ID} is not set. */
    public static final String DEFAULT_GROUP_ID = "artdag-l1";

    private KafkaInputOptions() {}

    /** The URI scheme of a Kafka input. */
    public static final String SCHEME = "kafka://";

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            key("l1.kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Kafka bootstrap servers (host:port,...) of the output-event topics;"
                                    + " the l1 CLI defaults to $L1_KAFKA_BOOTSTRAP.");

    public static final ConfigOption<String> GROUP_ID =
            key("l1.kafka.group-id")
                    .stringType()
                    .defaultValue(DEFAULT_GROUP_ID)
                    .withDescription(
                            "Kafka consumer group. Offsets are part of Flink's checkpoints (a"
                                    + " restore resumes from them); the group's committed offsets"
                                    + " are updated at each completed checkpoint and are where a"
                                    + " run without a checkpoint starts (else the earliest).");

    public static final ConfigOption<List<String>> ALLOWED_ROOTS =
            key("l1.kafka.allowed-roots")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Absolute directories an event's uri may point into (';'-separated);"
                                    + " an event naming a file anywhere else, or a link leading"
                                    + " out of them, is a rejected input. Required.");

    public static final ConfigOption<Duration> PARTITION_DISCOVERY =
            key("l1.kafka.partition-discovery-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "How often the source looks for new partitions (and for a topic"
                                    + " that did not exist yet).");
}
