package io.artdag.l1.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.artdag.l1.postgres.PinRecords;
import io.artdag.l1.postgres.ProvenanceStore;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.annotation.Internal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code l1 pins}: per pin backend (PostgreSQL's {@code storage_backends}), how many contents are
 * pinned, pending (queued or pinning) and failed ({@code storage_pins.status}).
 */
@Command(
        name = "pins",
        mixinStandardHelpOptions = true,
        description =
                "Per pin backend: contents pinned, pending (queued or pinning) and failed, from"
                        + " PostgreSQL (l1 mode).")
@Internal
public final class PinsCommand implements Callable<Integer> {
    @Mixin ServiceOptions services;

    @Option(names = "--json", description = "One JSON array of backends.")
    boolean json;

    @Option(
            names = "--refresh",
            description =
                    "First ask the backends given with --pin-cluster / --pin-service about the"
                            + " pins still queued or pinning, and record their answers.")
    boolean refresh;

    @picocli.CommandLine.Mixin PinCliOptions backends;

    /** One backend's line. */
    record Backend(long id, String providerType, String config, Map<String, Long> byStatus) {
        long pinned() {
            return byStatus.getOrDefault(PinRecords.PINNED, 0L);
        }

        long pending() {
            return byStatus.getOrDefault("queued", 0L) + byStatus.getOrDefault("pinning", 0L);
        }

        long failed() {
            return byStatus.getOrDefault("failed", 0L);
        }
    }

    @Override
    public Integer call() throws Exception {
        ProvenanceStore store = new ProvenanceStore(services.readerSettings().postgres());
        store.migrate();
        if (refresh) {
            org.apache.flink.configuration.Configuration options =
                    new org.apache.flink.configuration.Configuration();
            services.applyTo(options);
            backends.applyTo(options);
            io.artdag.l1.sink.l1.PinBackends pins =
                    io.artdag.l1.sink.l1.PinBackends.fromConfig(options, System.getenv());
            io.artdag.l1.sink.l1.L1Publisher.refreshPins(
                    io.artdag.l1.sink.l1.L1Settings.fromConfig(options), pins);
        }
        Map<Long, Backend> backends = new LinkedHashMap<>();
        for (PinRecords.Count c : new PinRecords(store).counts()) {
            backends.computeIfAbsent(
                            c.storageId(),
                            id ->
                                    new Backend(
                                            id,
                                            c.providerType(),
                                            c.config(),
                                            new LinkedHashMap<>()))
                    .byStatus()
                    .merge(c.status(), c.n(), Long::sum);
        }
        print(List.copyOf(backends.values()), System.out);
        return 0;
    }

    private void print(List<Backend> backends, PrintStream out) throws Exception {
        if (!json) {
            out.println("BACKEND\tPINNED\tPENDING\tFAILED\tCONFIG");
            for (Backend b : backends) {
                out.printf(
                        "%s\t%d\t%d\t%d\t%s%n",
                        b.providerType(), b.pinned(), b.pending(), b.failed(), b.config());
            }
            return;
        }
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartArray();
            for (Backend b : backends) {
                g.writeStartObject();
                g.writeNumberField("id", b.id());
                g.writeStringField("provider_type", b.providerType());
                g.writeFieldName("config");
                g.writeRawValue(b.config());
                g.writeNumberField("pinned", b.pinned());
                g.writeNumberField("pending", b.pending());
                g.writeNumberField("failed", b.failed());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        out.println();
    }
}
