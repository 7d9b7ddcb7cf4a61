package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local run on its own in-process MiniCluster, as {@code l1 ingest} starts it: it ends when its
 * input is done, not at the next checkpoint interval (Flink 2.3 triggers the checkpoint that ends a
 * bounded job once every task has reached the end of its data: this guards that the job keeps
 * relying on it), and its live progress counts come from the operators while the job runs.
 */
class LocalRunTest {
    @TempDir Path tmp;

    private static LocalIngest.Settings settings(
            Path store, Path input, Duration interval, PrintStream progress) {
        Configuration options = JobTestSupport.fastOptions();
        options.set(IngestOptions.CHECKPOINT_INTERVAL, interval);
        return new LocalIngest.Settings(
                store, List.of(IngestInput.of(input, false)), false, options, 2, progress);
    }

    @Test
    void aBoundedRunEndsWhenItsInputIsDoneNotAtTheNextCheckpointInterval() throws Exception {
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 1);
        long t0 = System.nanoTime();
        LocalIngest.Summary s =
                LocalIngest.run(settings(tmp.resolve("store"), tree, Duration.ofHours(2), null));
        long secs = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertThat(s.after().uniqueContents()).isGreaterThan(0);
        // The periodic trigger would end it after a random first delay of up to 2 hours.
        assertThat(secs).as("seconds the run took").isLessThan(120);
        StoreSnapshot.assertSound(tmp.resolve("store"));
    }

    @Test
    void progressCountsAreLiveWhileTheJobRuns() throws Exception {
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 2);
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(shown, true, StandardCharsets.UTF_8);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        LocalIngest.defaultFaults = new PacedL1Command.Pace(300);
        try {
            Future<LocalIngest.Summary> run =
                    runner.submit(
                            () ->
                                    LocalIngest.run(
                                            settings(
                                                    tmp.resolve("store"),
                                                    tree,
                                                    Duration.ofMillis(300),
                                                    out)));
            long seen = 0;
            while (!run.isDone() && seen == 0) {
                seen = ProgressCounters.total(ProgressCounters.FILES);
                Thread.sleep(20);
            }
            assertThat(run.isDone()).as("the run ended before any count was seen").isFalse();
            assertThat(seen).isPositive();
            LocalIngest.Summary s = run.get(300, TimeUnit.SECONDS);
            String text = shown.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("starting Flink…");
            long files = s.files() + s.after().rejected();
            // (the new / duplicate / rejected counts follow, cut here: a stream has no width)
            assertThat(text).contains(files + "/" + files + " files");
        } finally {
            LocalIngest.defaultFaults = io.artdag.l1.sink.segment.FaultInjector.NONE;
            runner.shutdownNow();
        }
    }
}
