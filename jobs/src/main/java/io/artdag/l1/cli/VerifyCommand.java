package io.artdag.l1.cli;

import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreException;
import io.artdag.l1.store.StoreLock;
import io.artdag.l1.store.StoreRepair;
import io.artdag.l1.store.StoreVerifier;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.flink.annotation.Internal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code l1 verify}: checks every segment, index entry and hash of a store; repairs on request. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Check every segment (CARv2 structure, block hashes, embedded index), every index"
                    + " entry, and every content's SHA3-256; report files nothing refers to.",
            "With --repair, first rebuild a missing or corrupt index from the segments and drop"
                    + " what names missing or corrupt data, so that ingesting the sources again"
                    + " stores it again.",
            "Exit 0 only if the store is consistent (after the repair)."
        })
@Internal
public final class VerifyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Option(
            names = "--repair",
            description =
                    "Rebuild a missing or corrupt index.db from the segments (sightings and"
                            + " rejections are lost), drop index entries whose segments or"
                            + " blocks are gone or corrupt, then verify. Needs the store to"
                            + " itself: fails if an ingest is running.")
    boolean repair;

    @Option(
            names = "--json",
            description =
                    "Print the report as one JSON object: consistent, problems, notes, the counts"
                            + " (and with --repair what the repair did).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean tty = System.console() != null;
        Consumer<String> progress =
                msg -> {
                    if (tty) {
                        err.print("\r\033[K" + msg);
                        err.flush();
                    }
                };
        Path root = store.path().toAbsolutePath().normalize();
        Map<String, Object> doc = json ? new LinkedHashMap<>() : null;
        if (!repair) {
            return verify(root, progress, out, err, tty, doc);
        }
        if (!Files.isDirectory(io.artdag.l1.store.StoreLayout.segments(root))) {
            throw new StoreException(root + ": not an l1 store (no segments/ directory)");
        }
        try (StoreLock lock = StoreLock.acquire(root, "verify --repair")) {
            StoreRepair.Report r = StoreRepair.repair(root, progress);
            clear(err, tty);
            if (doc != null) {
                doc.put("repair", VerifyJson.repair(r));
            } else {
                print(r, out);
            }
            return verify(root, progress, out, err, tty, doc);
        }
    }

    private static void print(StoreRepair.Report r, PrintWriter out) {
        if (r.indexRebuilt()) {
            out.printf(
                    "REPAIR index.db %s; %s; rebuilt from %d segments: %d contents recovered%n",
                    r.indexProblem(),
                    r.indexMovedTo() == null
                            ? "nothing to move aside"
                            : "moved to " + r.indexMovedTo().getFileName(),
                    r.adoptedSegments().size(),
                    r.recoveredContents().size());
        } else if (!r.adoptedSegments().isEmpty()) {
            out.printf(
                    "REPAIR indexed %d segment files the index did not know: %d contents"
                            + " recovered%n",
                    r.adoptedSegments().size(), r.recoveredContents().size());
        }
        r.segmentProblems().forEach(p -> out.println("REPAIR " + p));
        r.droppedContents()
                .forEach(d -> out.println("DROPPED " + d.contentHash() + " (" + d.reason() + ")"));
        if (r.blocksRemoved() > 0 || r.blocksAdded() > 0) {
            out.printf(
                    "REPAIR block entries: %d wrong ones removed, %d re-indexed from surviving"
                            + " segments%n",
                    r.blocksRemoved(), r.blocksAdded());
        }
        if (r.cleaned().total() > 0) {
            out.printf(
                    "REPAIR removed %d torn, %d uncommitted and %d unindexed segment files%n",
                    r.cleaned().tornFiles(),
                    r.cleaned().orphanStaged(),
                    r.cleaned().orphanSegments());
        }
        r.notes().forEach(n -> out.println("NOTE " + n));
        if (!r.droppedContents().isEmpty()) {
            out.printf(
                    "repaired: %d contents dropped; ingesting their sources again stores them"
                            + " again%n",
                    r.droppedContents().size());
        } else {
            out.println(r.changedAnything() ? "repaired" : "nothing to repair");
        }
        out.flush();
    }

    private static int verify(
            Path root,
            Consumer<String> progress,
            PrintWriter out,
            PrintWriter err,
            boolean tty,
            Map<String, Object> doc)
            throws Exception {
        StoreVerifier.Report r;
        try (LocalStore s = LocalStore.openExisting(root)) {
            r = new StoreVerifier(s, progress).verify();
        } catch (StoreException e) {
            clear(err, tty);
            if (!Files.exists(LocalStore.indexFile(root))
                    || !e.getMessage().contains(LocalStore.indexFile(root).toString())) {
                throw e;
            }
            // The index itself cannot be read: corrupt or truncated.
            if (doc != null) {
                VerifyJson.print(out, VerifyJson.unreadableIndex(doc, root, Errors.oneLine(e)));
                return 1;
            }
            out.println("PROBLEM " + Errors.oneLine(e));
            out.println("INCONSISTENT: the store index cannot be read; run l1 verify --repair");
            out.flush();
            return 1;
        }
        clear(err, tty);
        if (doc != null) {
            VerifyJson.print(out, VerifyJson.report(doc, root, r));
            return r.consistent() ? 0 : 1;
        }
        r.problems().forEach(p -> out.println("PROBLEM " + p));
        r.notes().forEach(n -> out.println("NOTE " + n));
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

    private static void clear(PrintWriter err, boolean tty) {
        if (tty) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
