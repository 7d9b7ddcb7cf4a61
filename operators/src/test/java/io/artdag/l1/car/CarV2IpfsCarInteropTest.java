package io.artdag.l1.car;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.ExternalTools;
import io.artdag.l1.ipld.UnixFsFileBuilder;
import io.artdag.l1.ipld.UnixFsProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * @ipld/car (via npm ipfs-car 3.1.0) must read CARv2 files written by {@link CarV2Writer}.
 */
class CarV2IpfsCarInteropTest {
    @TempDir Path tmp;

    private static Cid addFile(CarV2Writer w, Path file, UnixFsProfile p) throws IOException {
        UnixFsFileBuilder b = new UnixFsFileBuilder(p, (cid, d, o, l) -> w.put(cid, d, o, l));
        byte[] content = Files.readAllBytes(file);
        b.write(content, 0, content.length);
        return b.finish();
    }

    private static String tool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(ExternalTools.ipfsCar().toString());
        cmd.addAll(List.of(args));
        return ExternalTools.run(cmd, null);
    }

    @Test
    void ipfsCarReadsMultiRootPaddedCar() throws Exception {
        Path a = ExternalTools.pseudoRandomFile(tmp, 3 * 1024 * 1024 + 77, 1);
        Path b = ExternalTools.pseudoRandomFile(tmp, 1000, 2);
        Path car = tmp.resolve("two.car");
        Cid ra;
        Cid rb;
        SealedCar s;
        try (CarV2Writer w = new CarV2Writer(car, 1024)) {
            ra = addFile(w, a, UnixFsProfile.V1_2025);
            rb = addFile(w, b, UnixFsProfile.V0_2015);
            w.addRoot(ra);
            w.addRoot(rb);
            s = w.seal(true);
        }
        assertThat(s.dataOffset()).isGreaterThan(51); // padding present
        assertThat(ExternalTools.lines(tool("roots", car.toString())))
                .containsExactly(ra.toString(), rb.toString());
        assertThat(ExternalTools.lines(tool("blocks", car.toString())))
                .containsExactlyElementsOf(
                        s.blocks().stream().map(l -> l.cid().toString()).toList());
        assertThat(tool("ls", car.toString(), "--root", ra.toString(), "--verbose"))
                .contains(ra.toString());
        for (var e : List.of(new Path[] {a}, new Path[] {b})) {
            Path src = e[0];
            Cid root = src == a ? ra : rb;
            Path out = tmp.resolve("out-" + src.getFileName());
            tool("unpack", car.toString(), "--root", root.toString(), "-o", out.toString());
            assertThat(Files.mismatch(out, src)).as("unpacked %s", root).isEqualTo(-1L);
        }
    }

    /** A segment of small files under the default reserve, compacted at seal (no padding). */
    @Test
    void ipfsCarReadsCompactedCar() throws Exception {
        Path car = tmp.resolve("compacted.car");
        List<Path> files = new java.util.ArrayList<>();
        List<Cid> roots = new java.util.ArrayList<>();
        SealedCar s;
        try (CarV2Writer w = new CarV2Writer(car, 256 * 1024)) {
            for (int i = 0; i < 20; i++) {
                Path f = ExternalTools.pseudoRandomFile(tmp, 1000 + 97 * i, 10 + i);
                files.add(f);
                Cid root = addFile(w, f, UnixFsProfile.V1_2025);
                roots.add(root);
                w.addRoot(root);
            }
            s = w.seal(true);
        }
        assertThat(s.dataOffset()).isEqualTo(51); // compacted
        assertThat(ExternalTools.lines(tool("roots", car.toString())))
                .containsExactlyElementsOf(roots.stream().map(Cid::toString).toList());
        assertThat(ExternalTools.lines(tool("blocks", car.toString())))
                .containsExactlyElementsOf(
                        s.blocks().stream().map(l -> l.cid().toString()).toList());
        for (int i = 0; i < files.size(); i++) {
            Path out = tmp.resolve("out-compacted-" + i);
            tool("unpack", car.toString(), "--root", roots.get(i).toString(), "-o", out.toString());
            assertThat(Files.mismatch(out, files.get(i)))
                    .as("unpacked %s", roots.get(i))
                    .isEqualTo(-1L);
        }
    }

    @Test
    void ipfsCarReadsPlaceholderRootCar() throws Exception {
        Path a = ExternalTools.pseudoRandomFile(tmp, 2 * 1024 * 1024 + 5, 3);
        Path car = tmp.resolve("placeholder.car");
        SealedCar s;
        try (CarV2Writer w = new CarV2Writer(car, 256)) {
            addFile(w, a, UnixFsProfile.V1_2025);
            s = w.seal(false);
        }
        assertThat(ExternalTools.lines(tool("roots", car.toString()))).containsExactly("bafkqaaa");
        assertThat(ExternalTools.lines(tool("blocks", car.toString()))).hasSize(s.blocks().size());
    }
}
