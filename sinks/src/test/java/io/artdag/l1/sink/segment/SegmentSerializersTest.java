package io.artdag.l1.sink.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.Rejection;
import io.artdag.l1.store.Sighting;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes of every version of the checkpointed sink state. The expected bytes are written out
 * by hand from the documented layout; a change to them breaks restoring old checkpoints and
 * savepoints, so it needs a new version, not an edit here.
 */
class SegmentSerializersTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[^0-9a-f]", ""));
    }

    @Test
    void writerStateV1GoldenBytes() throws IOException {
        byte[] expected =
                hex(
                        "00000001 77" // writer id: length 1, "w"
                                + " 0000000000000005"); // next sequence 5
        SegmentWriterStateSerializer s = new SegmentWriterStateSerializer();
        assertThat(s.getVersion()).isEqualTo(1);
        assertThat(s.serialize(new SegmentWriterState("w", 5))).isEqualTo(expected);
        assertThat(s.deserialize(1, expected)).isEqualTo(new SegmentWriterState("w", 5));
    }

    @Test
    void committableV1GoldenBytes() throws IOException {
        byte[] expected =
                hex(
                        "00000001 77" // writer id "w"
                                + " 00000000000003e8" // sealed at 1000 ms
                                + " 00000001" // 1 segment
                                + "   00000001 73" // "s"
                                + " 00000001" // 1 content
                                + "   00000001 68" // content hash "h"
                                + "   00000001 63" // root cid "c"
                                + "   0000000000000003" // size 3
                                + "   00000001 70" // profile "p"
                                + "   00000001 73" // segment "s"
                                + "   ffffffff" // node id null
                                + "   ffffffff" // node type null
                                + "   00000001 66" // first path "f"
                                + "   ffffffff" // metadata null
                                + " 00000001" // 1 sighting
                                + "   00000001 68 00000001 66 ffffffff 00000001 74" // h, f, null, t
                                + " 00000001" // 1 rejection
                                + "   00000001 78 00000001 72 ffffffff"); // x, r, null
        SegmentCommittable c =
                new SegmentCommittable(
                        "w",
                        List.of("s"),
                        List.of(new ContentRecord("h", "c", 3, "p", "s", null, null, "f", null)),
                        List.of(new Sighting("h", "f", null, "t")),
                        List.of(new Rejection("x", "r", null)),
                        1000);
        // Written by builds before version 2; still read (a sighting of version 1 names no run).
        SegmentCommittableSerializer s = new SegmentCommittableSerializer();
        assertThat(s.deserialize(1, expected)).isEqualTo(c);
    }

    @Test
    void committableV2GoldenBytes() throws IOException {
        byte[] expected =
                hex(
                        "00000001 77" // writer id "w"
                                + " 00000000000003e8" // sealed at 1000 ms
                                + " 00000000" // no segment
                                + " 00000000" // no content
                                + " 00000002" // 2 sightings
                                + "   00000001 68 00000001 66 ffffffff 00000001 74" // h, f, null, t
                                + "   00000002 7b7d" // run "{}"
                                + "   00000001 68 00000001 67 00000001 6e ffffffff" // h, g, n, null
                                + "   ffffffff" // run null
                                + " 00000000"); // no rejection
        SegmentCommittable c =
                new SegmentCommittable(
                        "w",
                        List.of(),
                        List.of(),
                        List.of(
                                new Sighting("h", "f", null, "t", "{}"),
                                new Sighting("h", "g", "n", null)),
                        List.of(),
                        1000);
        // Written by builds before version 3; still read (it hands off no segment).
        SegmentCommittableSerializer s = new SegmentCommittableSerializer();
        assertThat(s.deserialize(2, expected)).isEqualTo(c);
    }

    @Test
    void committableV3GoldenBytes() throws IOException {
        byte[] expected =
                hex(
                        "00000001 77" // writer id "w"
                                + " 00000000000003e8" // sealed at 1000 ms
                                + " 00000002" // 2 segments
                                + "   00000001 73 00000001 75" // "s", "u"
                                + " 00000000" // no content
                                + " 00000000" // no sighting
                                + " 00000000" // no rejection
                                + " 00000001" // 1 handed-off segment
                                + "   00000001 75" // name "u"
                                + "   0000000000000400" // 1024 bytes
                                + "   0000000000000007" // 7 blocks
                                + "   00000002 00000001 61 00000001 62"); // roots "a", "b"
        SegmentCommittable c =
                new SegmentCommittable(
                        "w",
                        List.of("s", "u"),
                        List.of(),
                        List.of(),
                        List.of(),
                        1000,
                        List.of(new SealedSegment("u", 1024, 7, List.of("a", "b"))));
        SegmentCommittableSerializer s = new SegmentCommittableSerializer();
        assertThat(s.getVersion()).isEqualTo(3);
        assertThat(s.serialize(c)).isEqualTo(expected);
        assertThat(s.deserialize(3, expected)).isEqualTo(c);
        assertThat(s.deserialize(3, expected).handedOff("u").roots()).containsExactly("a", "b");
        assertThat(s.deserialize(3, expected).handedOff("s")).isNull();
    }

    @Test
    void nonAsciiAndLongStringsRoundTrip() throws IOException {
        String longMeta = "{\"x\":\"" + "é".repeat(70_000) + "\"}";
        SegmentCommittable c =
                new SegmentCommittable(
                        "writer-ü",
                        List.of(),
                        List.of(
                                new ContentRecord(
                                        "h", "c", 0, "p", "s", "n", "t", "/ü/ñ", longMeta)),
                        List.of(),
                        List.of(),
                        0);
        SegmentCommittableSerializer s = new SegmentCommittableSerializer();
        assertThat(s.deserialize(s.getVersion(), s.serialize(c))).isEqualTo(c);
    }

    @Test
    void unknownVersionsAreRejected() {
        assertThatThrownBy(() -> new SegmentCommittableSerializer().deserialize(4, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 4");
        assertThatThrownBy(() -> new SegmentCommittableSerializer().deserialize(0, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 0");
        assertThatThrownBy(() -> new SegmentWriterStateSerializer().deserialize(0, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 0");
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = hex("00000001 77 0000000000000005 00");
        assertThatThrownBy(() -> new SegmentWriterStateSerializer().deserialize(1, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("trailing");
    }
}
