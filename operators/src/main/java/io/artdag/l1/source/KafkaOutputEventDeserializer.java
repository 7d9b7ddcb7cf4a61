package io.artdag.l1.source;

import io.artdag.l1.operators.FileRef;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Deserializes output events into {@link FileRef}s; never throws on a bad record (a bad event is a
 * rejected reference, so the job goes on and the record's offset still advances).
 */
final class KafkaOutputEventDeserializer implements KafkaRecordDeserializationSchema<FileRef> {
    private static final long serialVersionUID = 1L;

    private final List<String> allowedRoots;
    private transient KafkaOutputEvents events;

    KafkaOutputEventDeserializer(List<String> allowedRoots) {
        this.allowedRoots = List.copyOf(allowedRoots);
        // Fail at build time, not in the task, when the roots are unusable.
        parser();
    }

    private KafkaOutputEvents parser() {
        if (events == null) {
            events = new KafkaOutputEvents(allowedRoots.stream().map(Path::of).toList());
        }
        return events;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<FileRef> out) {
        out.collect(
                parser().parse(
                                record.value(),
                                KafkaOutputEvents.position(
                                        record.topic(), record.partition(), record.offset())));
    }

    @Override
    public TypeInformation<FileRef> getProducedType() {
        return TypeInformation.of(FileRef.class);
    }
}
