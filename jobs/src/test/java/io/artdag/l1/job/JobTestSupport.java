package io.artdag.l1.job;

import io.artdag.l1.sink.segment.FaultInjector;
import io.artdag.l1.sink.segment.SegmentSinkOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** Runs ingests on the test's MiniCluster and computes expectations independently. */
final class JobTestSupport {
    private JobTestSupport() {}

    /** The MiniCluster the job tests run on: one TaskManager with two slots (parallelism 2). */
    static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }

    static Configuration fastOptions() {
        Configuration options = new Configuration();
        options.set(SegmentSinkOptions.SEAL_BYTES, MemorySize.parse("2mb"));
        options.set(IngestOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(300));
        options.set(IngestOptions.RESTART_ATTEMPTS, 20);
        return options;
    }

    static LocalIngest.Summary ingest(Path store, FaultInjector faults, Path... inputs)
            throws Exception {
        List<IngestInput> in = new ArrayList<>();
        for (Path p : inputs) {
            in.add(IngestInput.of(p, false));
        }
        return LocalIngest.run(
                new LocalIngest.Settings(store, in, false, fastOptions(), 2, null),
                StreamExecutionEnvironment::getExecutionEnvironment,
                faults);
    }

    /** SHA3-256 of every regular file below {@code root}, by the JDK, keyed by path. */
    static TreeMap<String, String> sha3OfRegularFiles(Path root) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (p.getFileName().toString().equals("index.json")) {
                    continue;
                }
                out.put(p.toAbsolutePath().normalize().toString(), sha3(p));
            }
        }
        return out;
    }

    static String sha3(Path p) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA3-256");
            try (InputStream in = Files.newInputStream(p)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Segments committed in a store's index so far (0 while the index is being created). */
    static long committedSegments(Path store) {
        Path db = io.artdag.l1.store.LocalStore.indexFile(store);
        if (!Files.exists(db)) {
            return 0;
        }
        try (io.artdag.l1.store.StoreIndex index = io.artdag.l1.store.StoreIndex.openReadOnly(db)) {
            return index.stats().segments();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Runs {@code l1 ingest} in this JVM, as a user would, with the small segments and the
     * parallelism the comparison runs use; returns its exit code.
     */
    static int cliIngest(Path store, Path input) {
        return io.artdag.l1.cli.L1Command.execute(
                "ingest",
                "--quiet",
                "--store",
                store.toString(),
                "--seal-bytes",
                "2mb",
                "--parallelism",
                "2",
                input.toString());
    }
}
