package io.artdag.l1.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.artdag.l1.source.CacheArtifactFormat;
import io.artdag.l1.source.InputLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.text.DecimalFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The live progress of a local run on a terminal: a progress bar of the files processed (with their
 * total and an ETA once a walk of the bounded inputs has counted them, the rate, and new, duplicate
 * and rejected counts), refreshed every second from the moment the run starts ("starting Flink…"
 * until the job runs). The counts come from {@link ProgressCounters}, live in this JVM.
 */
final class ProgressView implements AutoCloseable {
    private final ProgressBar bar;
    private final ScheduledExecutorService timer;
    private final Thread sizer;
    private volatile boolean running;
    private volatile long totalBytes = -1;

    private ProgressView(PrintStream out, List<IngestInput> inputs) {
        ProgressCounters.reset();
        bar =
                new ProgressBarBuilder()
                        .setTaskName("l1 ingest")
                        .setInitialMax(-1)
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                        .setUnit(" files", 1)
                        .showSpeed(new DecimalFormat("#,##0"))
                        .setUpdateIntervalMillis(1000)
                        .setConsumer(new ConsoleProgressBarConsumer(out))
                        .build();
        bar.setExtraMessage("starting Flink…");
        timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "l1-progress");
                            t.setDaemon(true);
                            return t;
                        });
        timer.scheduleAtFixedRate(this::update, 250, 250, TimeUnit.MILLISECONDS);
        sizer = new Thread(() -> size(inputs), "l1-progress-total");
        sizer.setDaemon(true);
        sizer.setPriority(Thread.MIN_PRIORITY);
        sizer.start();
    }

    /** A view on {@code out}, or null (no display) when {@code out} is null. */
    static ProgressView start(PrintStream out, List<IngestInput> inputs) {
        return out == null ? null : new ProgressView(out, inputs);
    }

    /** The job has been submitted: counts replace "starting Flink…". */
    void running() {
        running = true;
        update();
    }

    private void update() {
        long files =
                ProgressCounters.total(ProgressCounters.FILES)
                        + ProgressCounters.total(ProgressCounters.REJECTED);
        bar.stepTo(files);
        if (!running) {
            return;
        }
        long bytes = ProgressCounters.total(ProgressCounters.BYTES);
        double secs = Math.max(bar.getTotalElapsed().toMillis(), 1) / 1000.0;
        String of = totalBytes >= 0 ? String.format("/%,.1f", totalBytes / 1e6) : "";
        bar.setExtraMessage(
                String.format(
                        " · %,.1f%s MB %.1f MB/s · new %,d · dup %,d · rejected %,d",
                        bytes / 1e6,
                        of,
                        bytes / 1e6 / secs,
                        ProgressCounters.total(ProgressCounters.NEW),
                        ProgressCounters.total(ProgressCounters.DUPLICATES),
                        ProgressCounters.total(ProgressCounters.REJECTED)));
    }

    /** Counts the files and bytes of the bounded inputs, as the sources will enumerate them. */
    private void size(List<IngestInput> inputs) {
        long[] total = {0, 0};
        for (IngestInput in : inputs) {
            if (in.unbounded() || in.uri() != null) {
                return; // a followed input has no total; objects are not listed twice
            }
            try {
                if (in.layout() == InputLayout.CACHE) {
                    cacheEntries(in.path().resolve(InputLayout.CACHE_INDEX), total);
                    for (CacheArtifactFormat.Kind kind : CacheArtifactFormat.Kind.values()) {
                        if (Files.isDirectory(in.path().resolve(kind.directory))) {
                            walk(in.path().resolve(kind.directory), total);
                        }
                    }
                } else {
                    walk(in.path(), total);
                }
            } catch (IOException | RuntimeException e) {
                return; // no total: the bar stays without one
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
        totalBytes = total[1];
        bar.maxHint(total[0]);
    }

    private static void walk(Path root, long[] total) throws IOException {
        Files.walkFileTree(
                root,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                        if (Thread.currentThread().isInterrupted()) {
                            return FileVisitResult.TERMINATE;
                        }
                        return d.equals(root) || !hidden(d)
                                ? FileVisitResult.CONTINUE
                                : FileVisitResult.SKIP_SUBTREE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                        if (!hidden(f)) {
                            total[0]++;
                            total[1] += a.isRegularFile() ? a.size() : 0;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path f, IOException e) {
                        total[0]++;
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    private static boolean hidden(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith(".");
    }

    /** The entries of an artdag cache's index.json and their declared size_bytes. */
    private static void cacheEntries(Path index, long[] total) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(index.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!"entries".equals(name) || value != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    total[0]++;
                    if (p.nextToken() != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("size_bytes".equals(field) && v == JsonToken.VALUE_NUMBER_INT) {
                            total[1] += Math.max(0, p.getLongValue());
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        sizer.interrupt();
        update();
        bar.close();
    }
}
