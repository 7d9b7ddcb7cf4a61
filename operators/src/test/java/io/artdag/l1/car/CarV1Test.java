package io.artdag.l1.car;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.ExternalTools;
import io.artdag.l1.ipld.UnixFsFileBuilder;
import io.artdag.l1.ipld.UnixFsProfile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CarV1Writer} and {@link CarV1Reader}, checked against npm ipfs-car's own CARv1. */
class CarV1Test {
    @TempDir Path tmp;

    /** Blocks of a file's DAG as the builder emits them, keyed by CID (each once). */
    private static Map<Cid, byte[]> blocks(byte[] content, UnixFsProfile p, Cid[] root)
            throws IOException {
        Map<Cid, byte[]> out = new LinkedHashMap<>();
        UnixFsFileBuilder b =
                new UnixFsFileBuilder(
                        p, (cid, d, o, l) -> out.putIfAbsent(cid, Arrays.copyOfRange(d, o, o + l)));
        b.write(content, 0, content.length);
        root[0] = b.finish();
        return out;
    }

    @Test
    void aSingleBlockCarIsByteForByteWhatIpfsCarPacks() throws Exception {
        Path file = ExternalTools.pseudoRandomFile(tmp, 1000, 7);
        Path reference = tmp.resolve("reference.car");
        String toolRoot = ExternalTools.ipfsCarPack(file, reference);

        Cid[] root = new Cid[1];
        Map<Cid, byte[]> blocks = blocks(Files.readAllBytes(file), UnixFsProfile.V1_2025, root);
        assertThat(root[0].toString()).isEqualTo(toolRoot);
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        try (CarV1Writer w = new CarV1Writer(ours, List.of(root[0]))) {
            w.put(root[0], blocks.get(root[0]));
            assertThat(w.blockCount()).isEqualTo(1);
            assertThat(w.bytesWritten()).isEqualTo(ours.size());
        }
        assertThat(ours.toByteArray()).isEqualTo(Files.readAllBytes(reference));
    }

    @Test
    void theReaderReadsBackWhatTheWriterWrote() throws Exception {
        byte[] content = new byte[600_000]; // classic profile: 3 dag-pb leaves and a root
        new java.util.Random(3).nextBytes(content);
        Cid[] root = new Cid[1];
        Map<Cid, byte[]> blocks = blocks(content, UnixFsProfile.V0_2015, root);
        assertThat(blocks).hasSize(4);
        ByteArrayOutputStream car = new ByteArrayOutputStream();
        try (CarV1Writer w = new CarV1Writer(car, List.of(root[0]))) {
            for (var e : blocks.entrySet()) {
                w.put(e.getKey(), e.getValue());
            }
        }
        CarV1Reader r = new CarV1Reader(new ByteArrayInputStream(car.toByteArray()), tmp);
        assertThat(r.roots()).containsExactly(root[0]);
        List<Cid> read = new ArrayList<>();
        for (CarV1Reader.Block b; (b = r.next()) != null; ) {
            assertThat(b.data()).isEqualTo(blocks.get(b.cid()));
            read.add(b.cid());
        }
        assertThat(read).containsExactlyElementsOf(blocks.keySet());
        assertThat(read.get(0).version()).isZero();

        byte[] truncated = Arrays.copyOf(car.toByteArray(), car.size() - 1);
        CarV1Reader t = new CarV1Reader(new ByteArrayInputStream(truncated), tmp);
        assertThatThrownBy(
                        () -> {
                            while (t.next() != null) {}
                        })
                .isInstanceOf(EOFException.class);
    }

    @Test
    void theReaderRefusesACarV2() throws Exception {
        Path file = ExternalTools.pseudoRandomFile(tmp, 5000, 9);
        Path v2 = tmp.resolve("v2.car");
        try (CarV2Writer w = new CarV2Writer(v2, 256)) {
            byte[] content = Files.readAllBytes(file);
            UnixFsFileBuilder b = new UnixFsFileBuilder(UnixFsProfile.V1_2025, w::put);
            b.write(content, 0, content.length);
            w.addRoot(b.finish());
            w.seal(false);
        }
        try (InputStream in = Files.newInputStream(v2)) {
            assertThatThrownBy(() -> new CarV1Reader(in, v2))
                    .isInstanceOf(CarFormatException.class)
                    .hasMessageContaining("version is 2, expected 1");
        }
    }
}
