package io.artdag.l1.cli;

import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreVerifier;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code l1 verify}: checks every segment, index entry and hash of a store. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Check every segment (CARv2 structure, block hashes, embedded index), every index"
                    + " entry, and every content's SHA3-256; report files nothing refers to.",
            "Exit 0 only if the store is consistent."
        })
public final class VerifyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean tty = System.console() != null;
        StoreVerifier.Report r;
        try (LocalStore s = LocalStore.openExisting(store.path())) {
            r =
                    new StoreVerifier(
                                    s,
                                    msg -> {
                                        if (tty) {
                                            err.print("\r\033[K" + msg);
                                            err.flush();
                                        }
                                    })
                            .verify();
        }
        if (tty) {
            err.print("\r\033[K");
            err.flush();
        }
        r.problems().forEach(p -> out.println("PROBLEM " + p));
        out.printf(
                "%s: %d segments, %d blocks, %d contents (%,d bytes) verified, %d problems%n",
                r.consistent() ? "consistent" : "INCONSISTENT",
                r.segments(),
                r.blocks(),
                r.contents(),
                r.bytesVerified(),
                r.problems().size());
        if (r.sightingsElsewhere() > 0) {
            out.printf(
                    "%d sightings of content stored by other jobs (l1 mode), not in this store%n",
                    r.sightingsElsewhere());
        }
        out.flush();
        return r.consistent() ? 0 : 1;
    }
}
