package io.artdag.l1.source;

import io.artdag.l1.operators.FileRef;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Builds the unbounded Kafka source of a {@code kafka://TOPIC} input on Flink's Kafka connector:
 * one {@link FileRef} per output event, offsets in the checkpoint (exactly once with the rest of
 * the job), the consumer group's offsets committed at each completed checkpoint.
 */
@Internal
public final class KafkaInputSource {
    private KafkaInputSource() {}

    /** The topic of a {@code kafka://TOPIC} input, or null when {@code input} is not one. */
    public static String topicOf(String input) {
        if (!input.startsWith(KafkaInputOptions.SCHEME)) {
            return null;
        }
        String topic = input.substring(KafkaInputOptions.SCHEME.length());
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException(
                    input
                            + ": not a Kafka topic name (1 to 249 of letters, digits, '.', '_',"
                            + " '-')");
        }
        return topic;
    }

    /**
     * @throws IllegalArgumentException naming the option when the bootstrap servers or allowed
     *     roots are missing
     */
    public static KafkaSource<FileRef> create(String topic, Configuration options) {
        String bootstrap = options.get(KafkaInputOptions.BOOTSTRAP_SERVERS);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(
                    "kafka://"
                            + topic
                            + ": "
                            + KafkaInputOptions.BOOTSTRAP_SERVERS.key()
                            + " is not set (the l1 CLI: --kafka-bootstrap or $L1_KAFKA_BOOTSTRAP)");
        }
        List<String> roots = options.get(KafkaInputOptions.ALLOWED_ROOTS);
        if (roots == null || roots.isEmpty()) {
            throw new IllegalArgumentException(
                    "kafka://"
                            + topic
                            + ": "
                            + KafkaInputOptions.ALLOWED_ROOTS.key()
                            + " is not set (the l1 CLI: --kafka-allowed-root DIR): the"
                            + " directories events may name files in");
        }
        return KafkaSource.<FileRef>builder()
                .setBootstrapServers(bootstrap)
                // A pattern, not a topic list: a topic that does not exist yet has no partitions
                // (and is picked up by partition discovery once it does) instead of failing the
                // job at start, as a listed unknown topic does.
                .setTopicPattern(Pattern.compile(Pattern.quote(topic)))
                .setGroupId(options.get(KafkaInputOptions.GROUP_ID))
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new KafkaOutputEventDeserializer(roots))
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty(
                        "partition.discovery.interval.ms",
                        String.valueOf(
                                options.get(KafkaInputOptions.PARTITION_DISCOVERY).toMillis()))
                .setProperty("client.id.prefix", "artdag-l1-" + topic)
                .build();
    }
}
