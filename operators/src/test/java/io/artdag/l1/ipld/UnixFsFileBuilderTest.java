package io.artdag.l1.ipld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Published vectors and hand-derived block bytes; external-tool comparisons live elsewhere. */
class UnixFsFileBuilderTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Records every emitted block in emission order. */
    static final class Recorder implements BlockSink {
        final Map<Cid, byte[]> blocks = new LinkedHashMap<>();
        final List<Cid> order = new ArrayList<>();

        @Override
        public void accept(Cid cid, byte[] data, int off, int len) {
            byte[] copy = new byte[len];
            System.arraycopy(data, off, copy, 0, len);
            byte[] prev = blocks.put(cid, copy);
            order.add(cid);
            assertThat(Multihash.sha256(copy, 0, len)).isEqualTo(cid.multihash());
            if (prev != null) {
                assertThat(prev).isEqualTo(copy);
            }
        }

        Cid last() {
            return order.get(order.size() - 1);
        }
    }

    private static Cid build(UnixFsProfile p, byte[] content, Recorder rec) throws IOException {
        UnixFsFileBuilder b = new UnixFsFileBuilder(p, rec);
        b.write(content, 0, content.length);
        assertThat(b.bytesWritten()).isEqualTo(content.length);
        return b.finish();
    }

    @Test
    void emptyFileRawLeaves() throws IOException {
        Recorder rec = new Recorder();
        Cid root = build(UnixFsProfile.V1_2025, new byte[0], rec);
        assertThat(root.toString())
                .isEqualTo("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
        assertThat(rec.order).containsExactly(root);
        assertThat(rec.blocks.get(root)).isEmpty();
    }

    @Test
    void emptyFileClassic() throws IOException {
        Recorder rec = new Recorder();
        Cid root = build(UnixFsProfile.V0_2015, new byte[0], rec);
        assertThat(root.toString()).isEqualTo("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
        // PBNode{Data(1): UnixFS{Type(1)=File(2), filesize(3)=0}} — no UnixFS Data field.
        assertThat(rec.blocks.get(root))
                .isEqualTo(
                        HEX.parseHex(
                                "0a04" // PBNode field 1 (Data), length 4
                                        + "0802" // Type = File
                                        + "1800")); // filesize = 0
    }

    @Test
    void helloClassic() throws IOException {
        Recorder rec = new Recorder();
        Cid root = build(UnixFsProfile.V0_2015, "hello\n".getBytes(StandardCharsets.UTF_8), rec);
        assertThat(root.toString()).isEqualTo("QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN");
        assertThat(rec.blocks.get(root))
                .isEqualTo(
                        HEX.parseHex(
                                "0a0c" // PBNode Data, length 12
                                        + "0802" // Type = File
                                        + "1206"
                                        + "68656c6c6f0a" // Data = "hello\n"
                                        + "1806")); // filesize = 6
    }

    @Test
    void twoLeafClassicNodeLayout() throws IOException {
        // 256 KiB + 1 byte: root = dag-pb node with two links (Name "", Tsize) and
        // UnixFS{Type File, filesize, blocksizes [262144, 1]}. Check the layout field by field.
        byte[] content = new byte[262144 + 1];
        new Random(1).nextBytes(content);
        Recorder rec = new Recorder();
        Cid root = build(UnixFsProfile.V0_2015, content, rec);
        assertThat(rec.order).hasSize(3).endsWith(root);
        byte[] rootBlock = rec.blocks.get(root);
        Cid leaf0 = rec.order.get(0);
        Cid leaf1 = rec.order.get(1);
        int leaf0Size = rec.blocks.get(leaf0).length;
        int leaf1Size = rec.blocks.get(leaf1).length;
        ByteArrayOutputStream exp = new ByteArrayOutputStream();
        for (Cid c : List.of(leaf0, leaf1)) {
            int ts = c.equals(leaf0) ? leaf0Size : leaf1Size;
            byte[] tsv = protoVarint(ts);
            exp.write(0x12); // PBNode.Links
            exp.write(2 + 34 + 2 + 1 + tsv.length);
            exp.write(0x0a); // PBLink.Hash
            exp.write(34);
            exp.writeBytes(c.toBytes());
            exp.write(0x12); // PBLink.Name = ""
            exp.write(0x00);
            exp.write(0x18); // PBLink.Tsize
            exp.writeBytes(tsv);
        }
        byte[] fs =
                HEX.parseHex(
                        "0802" // Type File
                                + "18"
                                + HEX.formatHex(protoVarint(262145)) // filesize
                                + "20"
                                + HEX.formatHex(protoVarint(262144)) // blocksizes[0]
                                + "2001"); // blocksizes[1]
        exp.write(0x0a);
        exp.write(fs.length);
        exp.writeBytes(fs);
        assertThat(rootBlock).isEqualTo(exp.toByteArray());
        // A dag-pb leaf: Data = UnixFS{File, Data=chunk, filesize}.
        assertThat(leaf0Size)
                .isEqualTo(
                        1
                                + 3 // PBNode Data key + varint(262154)
                                + 2 // Type = File
                                + 1
                                + 3
                                + 262144 // UnixFS Data key + varint(262144) + chunk
                                + 1
                                + 3); // filesize key + varint(262144)
    }

    private static byte[] protoVarint(long v) {
        return Varint.encode(v); // same LEB128 for these small values
    }

    @Test
    void writeSplittingDoesNotMatter() throws IOException {
        byte[] content = new byte[3 * 262144 + 17];
        new Random(7).nextBytes(content);
        Cid whole = build(UnixFsProfile.V0_2015, content, new Recorder());
        UnixFsFileBuilder b = new UnixFsFileBuilder(UnixFsProfile.V0_2015, BlockSink.DISCARD);
        Random r = new Random(3);
        int off = 0;
        while (off < content.length) {
            int n = Math.min(content.length - off, r.nextInt(100_000));
            b.write(content, off, n);
            off += n;
        }
        assertThat(b.finish()).isEqualTo(whole);
        assertThatThrownBy(() -> b.write(content, 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(b::finish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readBackBothProfilesAndRejectCorruption() throws IOException {
        for (UnixFsProfile p : UnixFsProfile.values()) {
            byte[] content = new byte[2 * p.chunkSize() + 5];
            new Random(11).nextBytes(content);
            Recorder rec = new Recorder();
            Cid root = build(p, content, rec);
            assertThat(rec.last()).isEqualTo(root);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long n = UnixFsReader.readFile(root, rec.blocks::get, out);
            assertThat(n).isEqualTo(content.length);
            assertThat(out.toByteArray()).isEqualTo(content);

            Cid victim = rec.order.get(1);
            byte[] bad = rec.blocks.get(victim).clone();
            bad[bad.length / 2] ^= 1;
            BlockSource corrupt = c -> c.equals(victim) ? bad : rec.blocks.get(c);
            assertThatThrownBy(
                            () -> UnixFsReader.readFile(root, corrupt, new ByteArrayOutputStream()))
                    .isInstanceOf(CorruptBlockException.class)
                    .hasMessageContaining(victim.toString());
        }
    }

    @Test
    void identityCidsNeedNoSource() throws IOException {
        byte[] payload = "inline".getBytes(StandardCharsets.UTF_8);
        Cid id = Cid.v1(Cid.RAW, Multihash.of(Multihash.IDENTITY, payload));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UnixFsReader.readFile(
                id,
                c -> {
                    throw new AssertionError("source must not be asked for " + c);
                },
                out);
        assertThat(out.toByteArray()).isEqualTo(payload);
    }

    @Test
    void profileIds() {
        assertThat(UnixFsProfile.fromId("unixfs-v1-2025")).isEqualTo(UnixFsProfile.V1_2025);
        assertThat(UnixFsProfile.fromId("unixfs-v0-2015")).isEqualTo(UnixFsProfile.V0_2015);
        assertThat(UnixFsProfile.defaultProfile()).isEqualTo(UnixFsProfile.V1_2025);
        assertThatThrownBy(() -> UnixFsProfile.fromId("v2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unixfs-v1-2025, unixfs-v0-2015");
    }
}
