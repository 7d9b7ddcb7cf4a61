package io.artdag.l1.cli;

import io.artdag.l1.source.KafkaInputOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/** The Kafka broker and consumer options of {@code ingest kafka://TOPIC} (and {@code emit}). */
final class KafkaOptions {
    @Option(
            names = "--kafka-bootstrap",
            paramLabel = "HOST:PORT",
            description =
                    "Kafka bootstrap servers of kafka://TOPIC inputs (default: $L1_KAFKA_BOOTSTRAP,"
                            + " else ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1:9092")
    String bootstrap;

    @Option(
            names = "--kafka-group",
            paramLabel = "GROUP",
            description =
                    "Kafka consumer group of kafka://TOPIC inputs (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(
            names = "--kafka-allowed-root",
            paramLabel = "DIR",
            description =
                    "A directory output events may name files in (repeatable); an event naming"
                            + " a file anywhere else is rejected. Required with kafka:// inputs.")
    List<Path> allowedRoots = new ArrayList<>();

    void applyTo(Configuration options) {
        options.set(KafkaInputOptions.BOOTSTRAP_SERVERS, bootstrap);
        options.set(KafkaInputOptions.GROUP_ID, group);
        if (!allowedRoots.isEmpty()) {
            options.set(
                    KafkaInputOptions.ALLOWED_ROOTS,
                    allowedRoots.stream()
                            .map(p -> p.toAbsolutePath().normalize().toString())
                            .toList());
        }
    }
}
