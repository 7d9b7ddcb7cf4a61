package io.artdag.l1.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.flink.annotation.Internal;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code l1 emit}: announces render outputs on a Kafka topic, one output event per file, as a
 * renderer would (README "Streaming from renderers over Kafka"); for trying the Kafka input without
 * writing a producer.
 */
@Command(
        name = "emit",
        mixinStandardHelpOptions = true,
        description = {
            "Publish one output event per FILE to a Kafka topic: {\"node_id\", \"uri\":"
                    + " \"file:///...\", ...}. The bytes stay in the file; `l1 ingest"
                    + " kafka://TOPIC` reads them from there.",
            "Prints topic/partition@offset for each event."
        })
@Internal
public final class EmitCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--kafka-bootstrap",
            paramLabel = "HOST:PORT",
            description =
                    "Kafka bootstrap servers (default: $L1_KAFKA_BOOTSTRAP, else ${DEFAULT-VALUE}).",
            defaultValue = "${env:L1_KAFKA_BOOTSTRAP:-127.0.0.1:9092}")
    String bootstrap;

    @Option(
            names = {"-t", "--topic"},
            paramLabel = "TOPIC",
            required = true,
            description = "The topic (the ingest's kafka://TOPIC).")
    String topic;

    @Option(
            names = "--node-id",
            paramLabel = "ID",
            description = "artdag node id (default: the file's name; only with one FILE).")
    String nodeId;

    @Option(names = "--node-type", paramLabel = "TYPE", description = "artdag node type.")
    String nodeType;

    @Option(
            names = "--content-hash",
            paramLabel = "SHA3",
            description = "The SHA3-256 the renderer computed (checked against the bytes).")
    String contentHash;

    @Option(
            names = "--metadata",
            paramLabel = "JSON",
            description = "Metadata, a JSON object kept as the output's provenance.")
    String metadata;

    @Option(names = "--run-id", paramLabel = "ID", description = "artdag run id.")
    String runId;

    @Option(names = "--recipe", paramLabel = "NAME", description = "The run's recipe.")
    String recipe;

    @Option(
            names = "--inputs",
            paramLabel = "JSON",
            description = "The run's inputs, a JSON array (e.g. of content hashes).")
    String runInputs;

    @Option(names = "--actor-id", paramLabel = "ID", description = "Who ran it.")
    String actorId;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Output files.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        if (nodeId != null && files.size() > 1) {
            throw new IllegalArgumentException("--node-id names one output: give one FILE");
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (Path f : files) {
                Path abs = f.toAbsolutePath().normalize();
                if (!Files.isRegularFile(abs)) {
                    throw new IllegalArgumentException(f + ": not a regular file");
                }
                String id = nodeId != null ? nodeId : abs.getFileName().toString();
                byte[] event = JSON.writeValueAsBytes(event(id, abs));
                RecordMetadata m = producer.send(new ProducerRecord<>(topic, id, event)).get();
                System.out.println(m.topic() + "/" + m.partition() + "@" + m.offset() + "\t" + abs);
            }
        }
        return 0;
    }

    private ObjectNode event(String id, Path file) throws Exception {
        ObjectNode e = JSON.createObjectNode();
        e.put("node_id", id);
        e.put("uri", file.toUri().toString());
        putIf(e, "content_hash", contentHash);
        putIf(e, "node_type", nodeType);
        if (metadata != null) {
            e.set("metadata", json("--metadata", metadata, true));
        }
        putIf(e, "run_id", runId);
        putIf(e, "recipe", recipe);
        if (runInputs != null) {
            e.set("inputs", json("--inputs", runInputs, false));
        }
        putIf(e, "actor_id", actorId);
        return e;
    }

    private static void putIf(ObjectNode e, String field, String value) {
        if (value != null) {
            e.put(field, value);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode json(
            String option, String text, boolean object) {
        com.fasterxml.jackson.databind.JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (Exception ex) {
            throw new IllegalArgumentException(option + ": not valid JSON");
        }
        if (object ? !n.isObject() : !n.isArray()) {
            throw new IllegalArgumentException(
                    option + ": expected a JSON " + (object ? "object" : "array"));
        }
        return n;
    }
}
