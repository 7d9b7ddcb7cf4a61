package io.artdag.l1.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Dedup with contents that another live job had claimed: they wait in keyed state, are asked about
 * again on a timer, and end as duplicates only once an index names them as stored; a claim that
 * ends makes them this job's. The claim check is a scripted fake.
 */
class DedupClaimsTest {

    /** Answers per content hash from a script the test changes; records deferrals. */
    static final class ScriptedClaims implements ClaimCheck {
        private static final long serialVersionUID = 1L;
        static final Map<String, Status> STATUS = new HashMap<>();
        static final List<String> ASKED = new ArrayList<>();
        static final List<String> DEFERRED = new ArrayList<>();

        @Override
        public void open() {}

        @Override
        public Status check(String contentHash, boolean last) {
            ASKED.add(contentHash + (last ? " last" : ""));
            return STATUS.getOrDefault(contentHash, Status.HELD);
        }

        @Override
        public void defer(String contentHash, String path) {
            DEFERRED.add(contentHash + " " + path);
        }

        @Override
        public void close() {}
    }

    private static HashedFile held(String hash, String path) {
        HashedFile f = new HashedFile();
        f.contentHash = hash;
        f.path = path;
        f.heldElsewhere = true;
        return f;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, HashedFile, IngestEvent> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new Dedup(ContentLookup.none(), new ScriptedClaims(), 1000)),
                f -> f.contentHash,
                Types.STRING);
    }

    private static List<String> out(
            KeyedOneInputStreamOperatorTestHarness<String, HashedFile, IngestEvent> h) {
        List<String> r = new ArrayList<>();
        h.extractOutputValues().forEach(e -> r.add(e.kind + " " + e.path));
        return r;
    }

    @Test
    void aHeldContentIsNeitherStoredNorDroppedUntilItsClaimIsDecided() throws Exception {
        ScriptedClaims.STATUS.clear();
        ScriptedClaims.ASKED.clear();
        ScriptedClaims.DEFERRED.clear();
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(held("a", "/a1"), 0);
            h.processElement(held("b", "/b1"), 0);
            h.processElement(held("a", "/a2"), 0); // a second sighting waits with the first
            assertThat(out(h)).isEmpty();

            h.setProcessingTime(1000); // still held: nothing decided, asked again later
            assertThat(out(h)).isEmpty();
            assertThat(ScriptedClaims.ASKED).containsExactlyInAnyOrder("a", "b");

            ScriptedClaims.STATUS.put("a", ClaimCheck.Status.STORED_ELSEWHERE);
            ScriptedClaims.STATUS.put("b", ClaimCheck.Status.OURS);
            h.setProcessingTime(2000);
            assertThat(out(h))
                    .containsExactlyInAnyOrder("DUPLICATE /a1", "DUPLICATE /a2", "NEW /b1");

            // decided: later sightings are duplicates at once, and nobody is asked again
            h.processElement(held("b", "/b2"), 0);
            assertThat(out(h)).contains("DUPLICATE /b2");
            int asked = ScriptedClaims.ASKED.size();
            h.setProcessingTime(10_000);
            assertThat(ScriptedClaims.ASKED).hasSize(asked);
        }
    }

    @Test
    void stillHeldAtTheEndOfTheInputIsDeferredNotStoredNorLost() throws Exception {
        ScriptedClaims.STATUS.clear();
        ScriptedClaims.ASKED.clear();
        ScriptedClaims.DEFERRED.clear();
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(held("c", "/c1"), 0);
            h.processElement(held("d", "/d1"), 0);
            ScriptedClaims.STATUS.put("d", ClaimCheck.Status.OURS);
            h.processWatermark(new Watermark(Long.MAX_VALUE)); // end of a bounded input
            assertThat(ScriptedClaims.ASKED).containsExactlyInAnyOrder("c last", "d last");
            assertThat(out(h)).containsExactlyInAnyOrder("DUPLICATE /c1", "NEW /d1");
            assertThat(ScriptedClaims.DEFERRED).containsExactly("c /c1");
        }
    }

    @Test
    void pendingContentsSurviveARestore() throws Exception {
        ScriptedClaims.STATUS.clear();
        ScriptedClaims.ASKED.clear();
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(held("e", "/e1"), 0);
            snapshot = h.snapshot(1, 1);
        }
        ScriptedClaims.STATUS.put("e", ClaimCheck.Status.OURS);
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(5000); // the restored timer fires
            assertThat(out(h)).containsExactly("NEW /e1");
        }
    }
}
