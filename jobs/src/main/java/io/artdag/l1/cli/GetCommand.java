package io.artdag.l1.cli;

import io.artdag.l1.read.L1ContentReader;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreReader;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.annotation.Internal;
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
                    + " corrupt data is reported (exit 1) and never written out.",
            "With --mode l1, content the local store lacks is looked up in Redis, then PostgreSQL,"
                    + " fetched from IPFS (Kubo), verified, and kept under <store>/fetched/ for"
                    + " the next hit."
        })
@Internal
public final class GetCommand implements Callable<Integer> {
    @Mixin StoreOption store;
    @Mixin ServiceOptions services;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write to FILE instead of standard output.")
    Path output;

    @Mixin ReadModeOption mode;

    @Option(
            names = {"-v", "--verbose"},
            description = "Say on standard error which step of the lookup answered.")
    boolean verbose;

    @Parameters(paramLabel = "CONTENT_HASH|CID", description = "What to get.")
    String ref;

    @Override
    public Integer call() throws Exception {
        return mode.l1() ? l1() : local();
    }

    private int local() throws Exception {
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
            if (verbose) {
                System.err.printf(
                        "l1 get: %s: local store %s (%,d bytes, CID %s)%n",
                        content.contentHash(), s.root(), content.size(), content.rootCid());
            }
        }
        return 0;
    }

    private int l1() throws Exception {
        L1Settings settings = services.readerSettings();
        PrintStream err = System.err;
        Path tmp = null;
        try (L1ContentReader reader = new L1ContentReader(store.path(), settings)) {
            Path dest = output;
            if (dest == null) {
                tmp = Files.createTempFile("l1-get-", ".tmp");
                dest = tmp;
            }
            L1ContentReader.Result r;
            try {
                r = reader.get(ref, dest);
            } catch (Exception e) {
                // The reader's messages name the input and the reason; keep them as the one line.
                Failed f = new Failed(e.getMessage() == null ? e.toString() : e.getMessage());
                f.addSuppressed(e);
                throw f;
            }
            for (String note : r.notes()) {
                err.println("l1 get: warning: " + note);
            }
            if (tmp != null) {
                OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
                Files.copy(tmp, out);
                out.flush();
            }
            if (verbose) {
                err.printf(
                        "l1 get: %s: %s (%,d bytes%s%s%s)%n",
                        r.contentHash(),
                        r.tier().description(),
                        r.size(),
                        r.cid() == null ? "" : ", CID " + r.cid(),
                        r.tier().fetched()
                                ? String.format(
                                        ", %,d block%s verified, %s",
                                        r.blocksFetched(),
                                        r.blocksFetched() == 1 ? "" : "s",
                                        r.contentHashChecked()
                                                ? "SHA3-256 verified"
                                                : "SHA3-256 computed (no index names this CID)")
                                : "",
                        r.localCopy() == null ? "" : ", local copy " + r.localCopy());
            }
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
        return 0;
    }

    /** A failure whose message is already the one line to show. */
    private static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(String message) {
            super(message);
        }
    }
}
