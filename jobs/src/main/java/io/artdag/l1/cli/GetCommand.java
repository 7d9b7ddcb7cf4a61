package io.artdag.l1.cli;

import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreReader;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code l1 get}: writes stored content, verified against its SHA3-256. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = {
            "Write the bytes of stored content, found by SHA3-256 content hash or root CID.",
            "Every block is checked against its CID and the whole against the content hash;"
                    + " corrupt data is reported (exit 1) and never written out."
        })
public final class GetCommand implements Callable<Integer> {
    @Mixin StoreOption store;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write to FILE instead of standard output.")
    Path output;

    @Parameters(paramLabel = "CONTENT_HASH|CID", description = "What to get.")
    String ref;

    @Override
    public Integer call() throws Exception {
        try (LocalStore s = LocalStore.openExisting(store.path());
                StoreReader reader = new StoreReader(s)) {
            ContentRecord content = reader.resolve(ref);
            if (output != null) {
                reader.copyTo(content, output);
            } else {
                OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
                reader.copyTo(content, out);
                out.flush();
            }
        }
        return 0;
    }
}
