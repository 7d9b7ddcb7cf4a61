package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.car.CarV1Reader;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.DagPb;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code l1 export}: the CARv1 of a stored content, read back with the project's CAR reader and
 * with npm ipfs-car; corrupt data and unknown references fail with one line and leave no file.
 */
class ExportCommandTest {
    static final String EMPTY_V1 = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

    @TempDir Path tmp;

    /** A CAR read with {@link CarV1Reader}: its roots and blocks in file order. */
    record Car(List<Cid> roots, Map<Cid, byte[]> blocks, List<Cid> order) {
        static Car read(byte[] bytes) throws IOException {
            CarV1Reader r = new CarV1Reader(new ByteArrayInputStream(bytes), Path.of("car"));
            Map<Cid, byte[]> blocks = new LinkedHashMap<>();
            List<Cid> order = new ArrayList<>();
            for (CarV1Reader.Block b; (b = r.next()) != null; ) {
                blocks.put(b.cid(), b.data());
                order.add(b.cid());
            }
            return new Car(r.roots(), blocks, order);
        }

        /** Depth first from the root, each node before its children, each block once. */
        List<Cid> depthFirst() {
            List<Cid> out = new ArrayList<>();
            visit(roots.get(0), new HashSet<>(), out);
            return out;
        }

        private void visit(Cid c, Set<Cid> seen, List<Cid> out) {
            if (!seen.add(c)) {
                return;
            }
            out.add(c);
            if (c.codec() == Cid.DAG_PB) {
                for (DagPb.PbLink l : DagPb.decode(blocks.get(c)).links()) {
                    visit(l.hash(), seen, out);
                }
            }
        }
    }

    /**
     * Exports {@code ref}, checks the CAR against the project's reader and ipfs-car (roots, blocks,
     * unpacked bytes), and returns it.
     */
    private Car exportAndCheck(Path store, String ref, Path original, String expectedRoot)
            throws Exception {
        Path car = tmp.resolve("out").resolve(original.getFileName() + ".car");
        Files.createDirectories(car.getParent());
        Cli.Result r = Cli.run("export", "--store", store.toString(), ref, "-o", car.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEmpty();

        Car read = Car.read(Files.readAllBytes(car));
        assertThat(read.roots()).extracting(Cid::toString).containsExactly(expectedRoot);
        assertThat(read.order()).as("each block once").doesNotHaveDuplicates();
        assertThat(read.order()).as("depth-first order").isEqualTo(read.depthFirst());
        assertThat(read.order()).hasSameSizeAs(read.blocks().keySet());

        Path ipfsCar = Cli.ipfsCar();
        assertThat(Cli.toolLines(ipfsCar, "roots", car.toString())).containsExactly(expectedRoot);
        assertThat(Cli.toolLines(ipfsCar, "blocks", car.toString()))
                .containsExactlyElementsOf(read.order().stream().map(Cid::toString).toList());
        Path unpacked = tmp.resolve("unpacked-" + original.getFileName());
        Cli.tool(ipfsCar, "unpack", car.toString(), "--output", unpacked.toString());
        assertThat(Files.mismatch(unpacked, original)).as("unpacked " + car).isEqualTo(-1L);

        // -o - writes the same bytes to standard output.
        Cli.Result stdout = Cli.run("export", "--store", store.toString(), ref, "-o", "-");
        assertThat(stdout.code()).as(stdout.err()).isZero();
        assertThat(stdout.out()).isEqualTo(Files.readAllBytes(car));
        return read;
    }

    /** Root CID and distinct blocks of {@code ipfs-car pack FILE --no-wrap}: an independent DAG. */
    private static String[] ipfsCarPack(Path file, Path car) throws Exception {
        List<String> out =
                Cli.toolLines(
                        Cli.ipfsCar(), "pack", file.toString(), "--no-wrap", "-o", car.toString());
        return new String[] {out.get(out.size() - 1)};
    }

    private static List<String> tempLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("l1-export-"))
                    .toList();
        }
    }

    @Test
    void exportsEachDagOnceDepthFirstAndNothingWhenCorrupt() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        byte[] big = new byte[(3 << 20) + 4321]; // 1 MiB chunks: 4 raw leaves and a root
        new Random(11).nextBytes(big);
        Files.write(in.resolve("big.bin"), big);
        Files.write(in.resolve("zeros.bin"), new byte[3 << 20]); // 3 identical leaves: 2 blocks
        Files.write(in.resolve("small.txt"), "a small output\n".getBytes());
        Files.write(in.resolve("empty"), new byte[0]);
        Path store = tmp.resolve("store");
        // 2 MiB segments: the big file's DAG spans segments.
        Cli.ingest(store, List.of("--seal-bytes", "2mb"), in);

        for (String f : List.of("big.bin", "zeros.bin", "small.txt", "empty")) {
            Path file = in.resolve(f);
            Path ref = tmp.resolve("ref-" + f + ".car");
            String root = ipfsCarPack(file, ref)[0];
            Car car = exportAndCheck(store, Cli.sha3(file), file, root);
            // The same blocks as ipfs-car's own DAG of the file.
            assertThat(car.blocks().keySet())
                    .extracting(Cid::toString)
                    .containsExactlyInAnyOrderElementsOf(
                            new HashSet<>(Cli.toolLines(Cli.ipfsCar(), "blocks", ref.toString())));
            switch (f) {
                case "big.bin" -> assertThat(car.order()).hasSize(5);
                case "zeros.bin" -> assertThat(car.order()).hasSize(2);
                case "empty" -> assertThat(root).isEqualTo(EMPTY_V1);
                default -> assertThat(car.order()).hasSize(1);
            }
        }
        // By root CID too.
        String bigHash = Cli.sha3(big);
        String bigCid =
                Car.read(Files.readAllBytes(tmp.resolve("out/big.bin.car")))
                        .order()
                        .get(0)
                        .toString();
        Path byCid = tmp.resolve("out/by-cid.car");
        assertThat(
                        Cli.run(
                                        "export",
                                        "--store",
                                        store.toString(),
                                        bigCid,
                                        "-o",
                                        byCid.toString())
                                .code())
                .isZero();
        assertThat(byCid).hasSameBinaryContentAs(tmp.resolve("out/big.bin.car"));

        // Flip one byte inside a leaf of big.bin, found in the segments by its bytes.
        byte[] probe = Arrays.copyOfRange(big, (2 << 20) + 1000, (2 << 20) + 1064);
        int flipped = 0;
        try (Stream<Path> s = Files.list(store.resolve("segments"))) {
            for (Path seg : s.toList()) {
                byte[] b = Files.readAllBytes(seg);
                for (int i = 0; i + probe.length <= b.length; i++) {
                    if (Arrays.equals(b, i, i + probe.length, probe, 0, probe.length)) {
                        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
                            f.seek(i + 10);
                            f.write(b[i + 10] ^ 0x40);
                        }
                        flipped++;
                    }
                }
            }
        }
        assertThat(flipped).isEqualTo(1);
        Path outDir = tmp.resolve("out");
        List<String> before = list(outDir);
        List<String> tempsBefore = tempLeftovers();
        for (String ref : List.of(bigHash, bigCid)) {
            Path bad = outDir.resolve("bad.car");
            Cli.Result r =
                    Cli.run("export", "--store", store.toString(), ref, "-o", bad.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().strip())
                    .startsWith("l1 export: ")
                    .contains(bigHash)
                    .doesNotContain("\n");
            assertThat(bad).doesNotExist();
            assertThat(list(outDir)).isEqualTo(before);

            Cli.Result toStdout = Cli.run("export", "--store", store.toString(), ref, "-o", "-");
            assertThat(toStdout.code()).isEqualTo(1);
            assertThat(toStdout.out()).isEmpty();
            assertThat(toStdout.err().strip()).contains(bigHash).doesNotContain("\n");
        }
        assertThat(tempLeftovers()).isEqualTo(tempsBefore);
        // The other contents still export.
        Path small = outDir.resolve("small-again.car");
        assertThat(
                        Cli.run(
                                        "export",
                                        "--store",
                                        store.toString(),
                                        Cli.sha3(in.resolve("small.txt")),
                                        "-o",
                                        small.toString())
                                .code())
                .isZero();

        // Unknown content hash or CID, an unparseable reference, a missing -o.
        String unknown = "ab".repeat(32);
        Path none = outDir.resolve("none.car");
        for (String ref :
                List.of(unknown, "QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN", "xyz")) {
            Cli.Result r =
                    Cli.run("export", "--store", store.toString(), ref, "-o", none.toString());
            assertThat(r.code()).as(ref).isEqualTo(1);
            assertThat(r.err().strip()).startsWith("l1 export: " + ref + ": ").doesNotContain("\n");
            assertThat(none).doesNotExist();
        }
        assertThat(Cli.run("export", "--store", store.toString(), unknown).code()).isEqualTo(2);
    }

    @Test
    void exportsAClassicProfileDagThatIpfsCarUnpacks() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        byte[] data = new byte[600_000]; // 256 KiB chunks: 3 dag-pb leaves and a root
        new Random(12).nextBytes(data);
        Path file = in.resolve("classic.bin");
        Files.write(file, data);
        Path store = tmp.resolve("store");
        Cli.ingest(store, List.of("--profile", "unixfs-v0-2015"), in);
        // ipfs_cid (Debian): Kubo's classic profile, independent of this code.
        String root =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(Cli.tool(Cli.ipfsCid(), file.toString()).strip())
                        .get("CIDv0")
                        .asText();
        assertThat(root).startsWith("Qm");
        Car car = exportAndCheck(store, Cli.sha3(data), file, root);
        assertThat(car.order()).hasSize(4);
        assertThat(car.order()).allSatisfy(c -> assertThat(c.version()).isZero());
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
