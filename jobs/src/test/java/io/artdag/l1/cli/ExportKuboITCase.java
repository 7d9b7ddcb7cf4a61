package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.kubo.DagImportResult;
import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.kubo.KuboTestOps;
import io.artdag.l1.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code l1 export} against the real Kubo (deploy/local/services.sh): Kubo imports the CAR with its
 * root pinned, and its own {@code dag/export} of that root is byte for byte the same CAR.
 */
class ExportKuboITCase {
    @TempDir Path tmp;

    @Test
    void kuboImportsTheExportAndExportsTheSameBytes() throws Exception {
        KuboClient kubo = KuboTestOps.create(TestServices.get("L1_KUBO_API"));
        Path in = Files.createDirectories(tmp.resolve("in"));
        byte[] big = new byte[(3 << 20) + 99];
        new Random(21).nextBytes(big);
        Files.write(in.resolve("big.bin"), big);
        Files.write(in.resolve("zeros.bin"), new byte[3 << 20]); // a leaf linked three times
        Path classicIn = Files.createDirectories(tmp.resolve("classic"));
        byte[] classic = new byte[700_000];
        new Random(22).nextBytes(classic);
        Files.write(classicIn.resolve("classic.bin"), classic);
        Path store = tmp.resolve("store");
        Path classicStore = tmp.resolve("classic-store");
        Cli.ingest(store, List.of(), in);
        Cli.ingest(classicStore, List.of("--profile", "unixfs-v0-2015"), classicIn);

        for (Object[] c :
                List.of(
                        new Object[] {store, in.resolve("big.bin")},
                        new Object[] {store, in.resolve("zeros.bin")},
                        new Object[] {classicStore, classicIn.resolve("classic.bin")})) {
            Path s = (Path) c[0];
            Path file = (Path) c[1];
            String hash = Cli.sha3(file);
            Path car = tmp.resolve(file.getFileName() + ".car");
            Cli.Result r = Cli.run("export", "--store", s.toString(), hash, "-o", car.toString());
            assertThat(r.code()).as(r.err()).isZero();
            String cid =
                    ExportCommandTest.Car.read(Files.readAllBytes(car)).roots().get(0).toString();

            DagImportResult imported = KuboTestOps.dagImport(kubo, car);
            assertThat(imported.rootCids()).as(file.toString()).containsExactly(cid);
            assertThat(imported.failedRoots()).isEmpty();
            ByteArrayOutputStream kuboCar = new ByteArrayOutputStream();
            KuboTestOps.dagExport(kubo, cid, kuboCar);
            assertThat(kuboCar.toByteArray())
                    .as("ipfs dag export %s", cid)
                    .isEqualTo(Files.readAllBytes(car));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            KuboTestOps.cat(kubo, cid, bytes);
            assertThat(bytes.toByteArray()).isEqualTo(Files.readAllBytes(file));
        }
    }
}
