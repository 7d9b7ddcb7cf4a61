package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.cli.L1Command;
import io.artdag.l1.store.StoreLock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per store: while {@code l1 ingest} runs in another process, a second ingest and {@code
 * verify --repair} exit 1 at once naming its pid, readers keep working, the first run ends as if
 * alone; a SIGKILLed holder leaves the lock free.
 */
class StoreLockTest {

    @TempDir Path tmp;

    private static final FaultHarness.Mode LOCAL = new FaultHarness.Mode("local", null);

    private static String[] ingest(Path store, Path input) {
        return FaultHarness.ingestArgs(LOCAL, store, input, 1).toArray(String[]::new);
    }

    private Process startIngest(Path store, Path input) throws Exception {
        return FaultHarness.startPacedCli(tmp, List.of(ingest(store, input)), gate());
    }

    /** While this file exists the paced ingest holds each commit once it is recorded. */
    private Path gate() {
        return tmp.resolve("hold-the-first-ingest");
    }

    /** Runs the command line in this JVM: {exit code, standard output, standard error}. */
    static String[] cli(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = L1Command.execute(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new String[] {
            Integer.toString(code),
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)
        };
    }

    private static void awaitCommittedSegment(Path store, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (JobTestSupport.committedSegments(store) < 1
                && p.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void aSecondWriterIsRefusedWhileReadersWorkAndTheFirstRunEndsAsIfAlone() throws Exception {
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 4);
        Path clean = tmp.resolve("clean");
        assertThat(L1Command.execute(ingest(clean, tree))).isEqualTo(0);

        Path store = tmp.resolve("store");
        // The first ingest is held at its first commit until the other commands are done.
        Files.createFile(gate());
        Process first = startIngest(store, tree);
        awaitCommittedSegment(store, first);
        assertThat(first.isAlive())
                .as("first ingest still running (see logs in " + tmp + ")")
                .isTrue();
        String inUse =
                "store "
                        + store.toAbsolutePath().normalize()
                        + " is in use by pid "
                        + first.pid()
                        + " (ingest); wait for it to finish or stop it";

        String[] second = cli("ingest", "--quiet", "--store", store.toString(), tree.toString());
        String[] repair = cli("verify", "--repair", "--store", store.toString());
        String[] stats = cli("stats", "--json", "--store", store.toString());
        String[] verify = cli("verify", "--store", store.toString());
        boolean stillRunning = first.isAlive();
        Files.delete(gate());

        assertThat(second[0]).as(second[1] + second[2]).isEqualTo("1");
        assertThat(second[2]).isEqualTo("l1 ingest: " + inUse + System.lineSeparator());
        assertThat(repair[0]).as(repair[1] + repair[2]).isEqualTo("1");
        assertThat(repair[2]).isEqualTo("l1 verify: " + inUse + System.lineSeparator());
        assertThat(stats[0]).as(stats[2]).isEqualTo("0");
        assertThat(stats[1]).contains("\"unique_contents\":");
        assertThat(verify[2]).doesNotContain("SQLITE", "Exception");
        assertThat(verify[1]).contains(" segments, ", " contents ");
        if (stillRunning) {
            // what the running ingest has not committed yet is not reported as a problem
            assertThat(verify[1])
                    .contains("NOTE pid " + first.pid() + " is writing the store")
                    .doesNotContain("PROBLEM");
            assertThat(verify[0]).isEqualTo("0");
        }

        assertThat(first.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("exit code of the first ingest").isEqualTo(0);
        assertThat(StoreSnapshot.of(store)).isEqualTo(StoreSnapshot.of(clean));
        StoreSnapshot.assertSound(store);
        assertThat(cli("verify", "--store", store.toString())[0]).isEqualTo("0");
    }

    @Test
    void aKilledHolderLeavesTheLockFree() throws Exception {
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 2);
        Path store = tmp.resolve("store");
        Process p = startIngest(store, tree);
        awaitCommittedSegment(store, p);
        assertThat(p.isAlive()).as("ingest still running (see logs in " + tmp + ")").isTrue();
        assertThat(StoreLock.holder(store)).hasValueSatisfying(h -> h.startsWith(p.pid() + " "));

        p.destroyForcibly(); // SIGKILL
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(Files.exists(store.resolve(StoreLock.FILE))).isTrue();
        assertThat(StoreLock.holder(store)).isEmpty();
        try (StoreLock lock = StoreLock.acquire(store, "test")) {
            assertThat(StoreLock.holder(store)).hasValue(ProcessHandle.current().pid() + " test");
        }
        // and the next ingest takes it and finishes the store
        assertThat(JobTestSupport.cliIngest(store, tree)).isEqualTo(0);
        StoreSnapshot.assertSound(store);
    }
}
