package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.cli.L1Command;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code l1 ingest} with SIGKILL while it runs, runs it again, and asserts the store equals
 * that of a run that was never killed.
 */
class KillAndRestartTest {

    @TempDir Path tmp;

    private static final FaultHarness.Mode LOCAL = new FaultHarness.Mode("local", null);

    private static String[] ingest(Path store, Path input) {
        return FaultHarness.ingestArgs(LOCAL, store, input, 2).toArray(String[]::new);
    }

    private Process startIngest(Path store, Path input) throws Exception {
        return FaultHarness.startCli(tmp, List.of(ingest(store, input)));
    }

    @Test
    void sigkillMidRunThenRestartEqualsAnUninterruptedRun() throws Exception {
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 6);

        Path clean = tmp.resolve("clean");
        assertThat(L1Command.execute(ingest(clean, tree))).isEqualTo(0);

        Path killed = tmp.resolve("killed");
        Process p = FaultHarness.startPacedCli(tmp, List.of(ingest(killed, tree)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (JobTestSupport.committedSegments(killed) < 2
                && p.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive())
                .as("ingest still running when killed (see logs in " + tmp + ")")
                .isTrue();
        p.destroyForcibly(); // SIGKILL on Linux
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(JobTestSupport.committedSegments(killed)).isGreaterThanOrEqualTo(2);

        Process again = startIngest(killed, tree);
        assertThat(again.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).as("exit code of the second run").isEqualTo(0);

        assertThat(StoreSnapshot.of(killed)).isEqualTo(StoreSnapshot.of(clean));
        StoreSnapshot.assertSound(clean);
        StoreSnapshot.assertSound(killed);
        assertThat(new File(killed.toFile(), "run.json")).doesNotExist();
    }
}
