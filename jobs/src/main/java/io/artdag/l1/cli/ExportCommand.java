package io.artdag.l1.cli;

import io.artdag.l1.store.CarExport;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreReader;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.annotation.Internal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code l1 export}: writes a stored content's DAG as a CARv1 file, verified. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Write a stored content, found by SHA3-256 content hash or root CID, as a CARv1 file"
                    + " whose single root is its root CID, holding every block of its DAG once,"
                    + " depth first from the root (the order of `ipfs dag export`).",
            "CARv1 because every CAR reader accepts it (`ipfs dag import`, go-car, ipfs-car).",
            "Every block is checked against its CID and the whole content against its SHA3-256"
                    + " before the file appears (a temporary file beside it, fsynced, then"
                    + " renamed); corrupt data is reported (exit 1) and nothing is written."
        })
@Internal
public final class ExportCommand implements Callable<Integer> {
    @Mixin StoreOption store;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            required = true,
            description = "The CAR file to write (replaced if it exists); - for standard output.")
    String output;

    @Parameters(paramLabel = "CONTENT_HASH|CID", description = "What to export.")
    String ref;

    @Override
    public Integer call() throws Exception {
        try (LocalStore s = LocalStore.openExisting(store.path());
                StoreReader reader = new StoreReader(s)) {
            ContentRecord content = reader.resolve(ref);
            CarExport export = new CarExport(reader);
            if (output.equals("-")) {
                OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
                export.toStream(content, out);
                out.flush();
            } else {
                export.toFile(content, Path.of(output));
            }
        }
        return 0;
    }
}
