package io.artdag.l1.connector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.operators.FileRef;
import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.sink.segment.SegmentSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The l1-mode graph carries the uids the cluster job's savepoints know (jobs' L1Pipeline), and
 * building it talks to no service.
 */
class L1GraphTest {

    @TempDir Path tmp;

    @Test
    void l1ModeAddsTheSharedIndexLookupAndTheProvenanceSinksWithTheirUids() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration c = new Configuration();
        c.set(L1Options.KUBO_API, "http://127.0.0.1:1");
        c.set(L1Options.REDIS_URL, "redis://127.0.0.1:1/5");
        c.set(L1Options.POSTGRES_URL, "jdbc:postgresql://127.0.0.1:1/artdag");
        c.set(L1Options.POSTGRES_PASSWORD, "secret");
        c.set(L1Options.OUTAGE_LIMIT, Duration.ofMinutes(1));
        c.set(L1Options.RUN_ID, "run-1");
        c.set(L1Options.CLAIM_WAIT, Duration.ofMinutes(2));
        L1Settings l1 = L1Settings.fromConfig(c);
        L1Graph.build(
                env.fromData(FileRef.of("/tmp/x", "job")),
                tmp,
                l1,
                SegmentSink.builder().setStorePath(tmp).build());

        Map<String, String> nameByUid = new TreeMap<>();
        for (StreamNode n : env.getStreamGraph(false).getStreamNodes()) {
            if (n.getTransformationUID() != null) {
                nameByUid.put(n.getTransformationUID(), n.getOperatorName());
            }
        }
        assertThat(nameByUid.keySet())
                .contains(
                        "hash-files",
                        "shared-index-lookup",
                        "dedup",
                        "segment-sink",
                        "provenance-sightings",
                        "provenance-item-types-filter",
                        "provenance-item-types",
                        "provenance-rejected-inputs");
        assertThat(nameByUid.get("hash-files")).isEqualTo("HashFiles");
        assertThat(nameByUid.get("dedup")).isEqualTo("Dedup");
    }
}
