package io.artdag.l1.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * One local store, ingested once per test JVM and served by {@code l1 serve} on an ephemeral port,
 * shared by the serve tests that only read it: a 3 MiB random file (four 1 MiB raw leaves and a
 * root), 3 MiB of zeros (one leaf linked three times), a small file and the empty file.
 */
final class ServeFixture {
    final Path dir;
    final Path in;
    final Path store;
    final ReadServer server;
    final byte[] big;

    private static ServeFixture shared;

    private ServeFixture() throws IOException {
        dir = Files.createTempDirectory("l1-serve-test-");
        in = Files.createDirectories(dir.resolve("in"));
        big = new byte[(3 << 20) + 4321];
        new Random(31).nextBytes(big);
        Files.write(in.resolve("big.bin"), big);
        Files.write(in.resolve("zeros.bin"), new byte[3 << 20]);
        Files.write(in.resolve("small.txt"), "served by l1 serve\n".getBytes());
        Files.write(in.resolve("empty"), new byte[0]);
        store = dir.resolve("store");
        // 2 MiB segments: the big file's DAG spans segments.
        Cli.ingest(store, List.of("--seal-bytes", "2mb"), in);
        server = ServeTesting.start("serve", "--store", store.toString(), "--port", "0");
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
    }

    static synchronized ServeFixture get() throws IOException {
        if (shared == null) {
            shared = new ServeFixture();
        }
        return shared;
    }

    Path file(String name) {
        return in.resolve(name);
    }

    private void close() {
        server.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
