package io.artdag.l1.car;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.Multihash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CarV2WriterTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir Path tmp;

    static Cid raw(byte[] b) {
        return Cid.v1(Cid.RAW, Multihash.sha256(b, 0, b.length));
    }

    /**
     * A one-block CAR written out by hand from the CARv2 spec and go-car's index layout: block
     * "hello\n" (raw), listed as the root, 64 bytes of header reserve.
     */
    @Test
    void goldenBytesOfTinyCar() throws IOException {
        byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
        Path f = tmp.resolve("tiny.car");
        SealedCar s;
        try (CarV2Writer w = new CarV2Writer(f, 64)) {
            Cid c = raw(hello);
            assertThat(w.put(c, hello, 0, hello.length)).isTrue();
            w.addRoot(c);
            s = w.seal(true);
        }
        // sha2-256("hello\n"), as printed by coreutils sha256sum.
        String digest = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
        String cid = "01551220" + digest; // CIDv1, raw, sha2-256, 32 bytes
        String expected =
                // CARv2 pragma: varint 10, {"version": 2}
                "0aa16776657273696f6e02"
                        // CARv2 header: 16 bytes characteristics
                        + "00000000000000000000000000000000"
                        + "3800000000000000" // data offset 56 = 51 + 64 - 59
                        + "6600000000000000" // data size 102 = 59 + 1 + 42
                        + "9e00000000000000" // index offset 158 = 56 + 102
                        + "0000000000" // padding 51..55
                        // CARv1 header: varint 58, map(2)
                        + "3a"
                        + "a2"
                        + "65726f6f7473" // "roots"
                        + "81" // array(1)
                        + "d82a"
                        + "5825"
                        + "00"
                        + cid // tag 42, bytes(37) 0x00 || CID
                        + "6776657273696f6e"
                        + "01" // "version": 1
                        // section at 115 (= 59 relative): varint 42, CID, block
                        + "2a"
                        + cid
                        + "68656c6c6f0a"
                        // index: varint 0x0401 (MultihashIndexSorted)
                        + "8108"
                        + "01000000" // 1 multihash code
                        + "1200000000000000" // code 0x12 (uint64 LE)
                        + "01000000" // 1 width bucket
                        + "28000000" // width 40 = 32 + 8
                        + "2800000000000000" // bucket bytes 40
                        + digest
                        + "3b00000000000000"; // digest, offset 59
        assertThat(HEX.formatHex(Files.readAllBytes(f))).isEqualTo(expected);
        assertThat(s.dataOffset()).isEqualTo(56);
        assertThat(s.dataSize()).isEqualTo(102);
        assertThat(s.indexOffset()).isEqualTo(158);
        assertThat(s.fileSize()).isEqualTo(Files.size(f));
        assertThat(s.blocks()).containsExactly(new BlockLocation(raw(hello), 115, 115 + 1 + 36, 6));
    }

    /**
     * The same one-block CAR as {@link #goldenBytesOfTinyCar()} with an 8 KiB reserve: the unused
     * reserve (8,133 bytes) is far more than the payload, so the seal moves the payload down and
     * the file has no padding at all (data offset 51). Written out by hand from the bytes above.
     */
    @Test
    void goldenBytesOfCompactedTinyCar() throws IOException {
        byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
        Path f = tmp.resolve("compact.car");
        SealedCar s;
        try (CarV2Writer w = new CarV2Writer(f, 8192)) {
            Cid c = raw(hello);
            assertThat(w.put(c, hello, 0, hello.length)).isTrue();
            w.addRoot(c);
            s = w.seal(true);
        }
        String digest = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
        String cid = "01551220" + digest;
        String expected =
                "0aa16776657273696f6e02"
                        + "00000000000000000000000000000000"
                        + "3300000000000000" // data offset 51: no padding
                        + "6600000000000000" // data size 102, as before
                        + "9900000000000000" // index offset 153 = 51 + 102
                        + "3aa265726f6f747381d82a582500"
                        + cid
                        + "6776657273696f6e01"
                        + "2a"
                        + cid
                        + "68656c6c6f0a"
                        + "8108" // MultihashIndexSorted
                        + "01000000" // 1 multihash code
                        + "1200000000000000" // sha2-256
                        + "01000000" // 1 width bucket
                        + "28000000" // width 40
                        + "2800000000000000" // bucket bytes 40
                        + digest
                        + "3b00000000000000"; // offsets are relative to the data offset
        assertThat(HEX.formatHex(Files.readAllBytes(f))).isEqualTo(expected);
        assertThat(s.dataOffset()).isEqualTo(51);
        assertThat(s.indexOffset()).isEqualTo(153);
        assertThat(s.fileSize()).isEqualTo(Files.size(f)).isEqualTo(153 + 70);
        assertThat(s.blocks()).containsExactly(new BlockLocation(raw(hello), 110, 110 + 1 + 36, 6));
    }

    /**
     * A segment of many small blocks under the default 256 KiB reserve: compacted, it reads back
     * whole (sections, index, blocks, roots); a segment whose padding is small next to its payload
     * keeps the padding, so large segments are never copied.
     */
    @Test
    void smallSegmentIsCompactedLargeOneIsNot() throws IOException {
        Random r = new Random(11);
        Path small = tmp.resolve("small.car");
        List<byte[]> datas = new ArrayList<>();
        SealedCar s;
        long sections = 0;
        try (CarV2Writer w = new CarV2Writer(small, 256 * 1024)) {
            for (int i = 0; i < 300; i++) {
                byte[] d = new byte[1024];
                r.nextBytes(d);
                datas.add(d);
                assertThat(w.put(raw(d), d, 0, d.length)).isTrue();
                w.addRoot(raw(d));
                sections += 2 + 36 + 1024; // varint(1060) is 2 bytes
            }
            s = w.seal(true);
        }
        long header = CarFormat.carV1Header(s.roots()).length;
        long index = 4 + 8 + 4 + 4 + 8 + 300L * 40 + 2; // MultihashIndexSorted, one bucket
        assertThat(s.dataOffset()).isEqualTo(51);
        assertThat(Files.size(small)).isEqualTo(51 + header + sections + index);
        try (CarV2Reader rd = CarV2Reader.open(small)) {
            assertThat(rd.roots()).isEqualTo(s.roots()).hasSize(300);
            List<BlockLocation> seen = new ArrayList<>();
            rd.sections().forEachRemaining(seen::add);
            assertThat(seen).isEqualTo(s.blocks());
            for (int i = 0; i < datas.size(); i++) {
                assertThat(rd.readBlock(seen.get(i))).isEqualTo(datas.get(i));
                assertThat(rd.indexLookup(raw(datas.get(i)).multihash()))
                        .contains(seen.get(i).sectionOffset() - 51);
            }
        }

        Path large = tmp.resolve("large.car");
        try (CarV2Writer w = new CarV2Writer(large, 16 * 1024)) {
            byte[] d = new byte[1024 * 1024];
            r.nextBytes(d);
            w.put(raw(d), d, 0, d.length);
            w.addRoot(raw(d));
            s = w.seal(false);
        }
        assertThat(s.dataOffset()).isEqualTo(51 + 16 * 1024 - 59);
    }

    @Test
    void roundTripDedupPaddingAndMultipleRoots() throws IOException {
        Path f = tmp.resolve("rt.car");
        Random r = new Random(5);
        List<byte[]> datas = new ArrayList<>();
        SealedCar s;
        try (CarV2Writer w = new CarV2Writer(f, 200)) {
            for (int i = 0; i < 50; i++) {
                byte[] d = new byte[i == 7 ? 600_000 : r.nextInt(5000)];
                r.nextBytes(d);
                datas.add(d);
                assertThat(w.put(raw(d), d, 0, d.length)).isTrue();
            }
            long before = w.payloadBytes();
            byte[] again = datas.get(3).clone();
            assertThat(w.put(raw(again), again, 0, again.length)).isFalse();
            // same multihash under another codec is still a duplicate
            Cid pb = Cid.v1(Cid.DAG_PB, raw(again).multihash());
            assertThat(w.put(pb, again, 0, again.length)).isFalse();
            assertThat(w.payloadBytes()).isEqualTo(before);
            assertThat(w.contains(raw(datas.get(9)).multihash())).isTrue();
            assertThat(w.blockCount()).isEqualTo(50);
            w.addRoot(raw(datas.get(0)));
            w.addRoot(raw(datas.get(1)));
            w.addRoot(raw(datas.get(1)));
            assertThat(w.rootCount()).isEqualTo(2);
            s = w.seal(false);
        }
        assertThat(s.roots()).containsExactly(raw(datas.get(0)), raw(datas.get(1)));
        try (CarV2Reader rd = CarV2Reader.open(f)) {
            assertThat(rd.roots()).isEqualTo(s.roots());
            assertThat(rd.dataOffset()).isEqualTo(s.dataOffset()).isGreaterThan(51);
            assertThat(rd.dataSize()).isEqualTo(s.dataSize());
            assertThat(rd.indexOffset()).isEqualTo(s.indexOffset());
            List<BlockLocation> seen = new ArrayList<>();
            Iterator<BlockLocation> it = rd.sections();
            it.forEachRemaining(seen::add);
            assertThat(seen).isEqualTo(s.blocks());
            for (int i = 0; i < datas.size(); i++) {
                BlockLocation loc = seen.get(i);
                assertThat(rd.readBlock(loc)).isEqualTo(datas.get(i));
                assertThat(rd.indexLookup(loc.cid().multihash()))
                        .contains(loc.sectionOffset() - rd.dataOffset());
            }
            assertThat(rd.indexLookup(raw(new byte[] {1}).multihash())).isEmpty();
            List<IndexEntry> idx = rd.readIndex();
            assertThat(idx).hasSize(50);
            for (int i = 1; i < idx.size(); i++) {
                assertThat(
                                java.util.Arrays.compareUnsigned(
                                        idx.get(i - 1).mh().digest(), idx.get(i).mh().digest()))
                        .isNegative();
            }
        }
    }

    @Test
    void placeholderRootAndReserveLimits() throws IOException {
        Path f = tmp.resolve("empty.car");
        try (CarV2Writer w = new CarV2Writer(f, 100)) {
            byte[] d = {1, 2, 3};
            w.put(raw(d), d, 0, d.length);
            // header with one 36-byte root is 59 bytes, two roots 97, three 135
            w.addRoot(raw(new byte[] {9}));
            assertThat(w.canAddRoot()).isTrue();
            w.addRoot(raw(new byte[] {8}));
            assertThat(w.canAddRoot()).isFalse();
            assertThatThrownBy(() -> w.addRoot(raw(new byte[] {7})))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> new CarV2Writer(tmp.resolve("x.car"), 5))
                .isInstanceOf(IllegalArgumentException.class);
        SealedCar s;
        try (CarV2Writer w = new CarV2Writer(f, 100)) {
            byte[] d = {1, 2, 3};
            w.put(raw(d), d, 0, d.length);
            s = w.seal(false);
        }
        assertThat(s.roots()).containsExactly(Cid.EMPTY_IDENTITY);
        try (CarV2Reader rd = CarV2Reader.open(f)) {
            assertThat(rd.roots()).containsExactly(Cid.parse("bafkqaaa"));
        }
    }

    @Test
    void readerRejectsNonCar() throws IOException {
        Path f = tmp.resolve("bogus.car");
        Files.write(f, new byte[100]);
        assertThatThrownBy(() -> CarV2Reader.open(f))
                .isInstanceOf(CarFormatException.class)
                .hasMessageContaining("bogus.car")
                .hasMessageContaining("pragma");
        Path g = tmp.resolve("short.car");
        Files.write(g, new byte[] {0x0a});
        assertThatThrownBy(() -> CarV2Reader.open(g))
                .isInstanceOf(CarFormatException.class)
                .hasMessageContaining("short.car");
        // valid pragma, data offset beyond the end of the file
        byte[] h = new byte[51];
        System.arraycopy(CarFormat.PRAGMA, 0, h, 0, 11);
        h[11 + 16] = (byte) 200;
        Path t = tmp.resolve("trunc.car");
        Files.write(t, h);
        assertThatThrownBy(() -> CarV2Reader.open(t))
                .isInstanceOf(CarFormatException.class)
                .hasMessageContaining("out of bounds");
    }

    /** A CAR with two multihash codes (sha2-256 and sha2-512) and an identity block. */
    static SealedCar writeMixedCar(Path f) throws Exception {
        try (CarV2Writer w = new CarV2Writer(f, 128)) {
            for (int i = 0; i < 5; i++) {
                byte[] d = ("block-" + i).getBytes(StandardCharsets.US_ASCII);
                w.put(raw(d), d, 0, d.length);
                byte[] e = ("sha512-" + i).getBytes(StandardCharsets.US_ASCII);
                byte[] dg = MessageDigest.getInstance("SHA-512").digest(e);
                w.put(Cid.v1(Cid.RAW, Multihash.of(0x13, dg)), e, 0, e.length);
            }
            byte[] id = "inline".getBytes(StandardCharsets.US_ASCII);
            w.put(Cid.v1(Cid.RAW, Multihash.of(Multihash.IDENTITY, id)), id, 0, id.length);
            byte[] r0 = "block-0".getBytes(StandardCharsets.US_ASCII);
            w.addRoot(raw(r0));
            return w.seal(false);
        }
    }

    /**
     * The embedded index must equal the MultihashIndexSorted that go-car v2.14.2 generates from the
     * same payload (golden file produced by a throwaway Go program; see
     * src/test/resources/car/README.md).
     */
    @Test
    void indexMatchesGoCarGolden() throws Exception {
        Path f = tmp.resolve("mixed.car");
        SealedCar s = writeMixedCar(f);
        String dump = System.getenv("L1_DUMP_DIR"); // used once to hand the CAR to go-car
        if (dump != null) {
            Files.copy(f, Path.of(dump, "mixed.car"), StandardCopyOption.REPLACE_EXISTING);
        }
        byte[] all = Files.readAllBytes(f);
        byte[] ours = java.util.Arrays.copyOfRange(all, (int) s.indexOffset(), all.length);
        byte[] golden;
        try (var in = getClass().getResourceAsStream("/car/mixed.gocar-index.bin")) {
            assertThat(in).as("golden file car/mixed.gocar-index.bin").isNotNull();
            golden = in.readAllBytes();
        }
        assertThat(HEX.formatHex(ours)).isEqualTo(HEX.formatHex(golden));
    }
}
