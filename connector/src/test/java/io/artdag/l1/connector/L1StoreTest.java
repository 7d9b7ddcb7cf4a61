package io.artdag.l1.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job of render outputs ending in {@link L1Store#sinkFrom}, local mode, on a MiniCluster: each
 * content stored once, every usable output a sighting, every unusable one a rejection with the
 * reason the README gives, and the store sound.
 */
class L1StoreTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path tmp;

    @Test
    void storesEachContentOnceAndRecordsEveryOutput() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("renders"));
        byte[] small = bytes(1, 10_000);
        byte[] big = bytes(2, 2_500_000);
        byte[] other = bytes(3, 5_000);
        Path a = Files.write(out.resolve("a.bin"), small);
        Path b = Files.write(out.resolve("b.bin"), small);
        Path c = Files.write(out.resolve("big.bin"), big);
        Path empty = Files.write(out.resolve("empty.bin"), new byte[0]);
        Path declaredWrong = Files.write(out.resolve("declared.bin"), other);
        Path secret =
                Files.write(Files.createDirectories(tmp.resolve("elsewhere")).resolve("s"), other);
        Path inside = Files.createDirectories(out.resolve("inside"));
        Path link = Files.createSymbolicLink(inside.resolve("link.bin"), secret);
        Path missing = out.resolve("missing.bin");

        RenderOutput relative = new RenderOutput();
        relative.path = "rel.bin";
        List<RenderOutput> outputs =
                List.of(
                        RenderOutput.of(a, "a").withNodeType("render").withMetadataJson("{}"),
                        RenderOutput.of(b, "b"),
                        RenderOutput.of(c, "big"),
                        RenderOutput.of(empty, "empty"),
                        RenderOutput.of(declaredWrong, "d").withContentHash("0".repeat(64)),
                        RenderOutput.under(inside, link, "link"),
                        RenderOutput.of(missing, "missing"),
                        relative);

        Path store = tmp.resolve("store");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        L1Store.builder().setStorePath(store).build().sinkFrom(env.fromData(outputs));
        env.execute("l1-store-test");

        String hSmall = StoreAssertions.sha3(small);
        String hBig = StoreAssertions.sha3(big);
        String hEmpty = StoreAssertions.sha3(new byte[0]);
        assertThat(StoreAssertions.contents(store).keySet())
                .containsExactlyElementsOf(new TreeSet<>(List.of(hSmall, hBig, hEmpty)));
        assertThat(StoreAssertions.sightings(store))
                .containsExactlyInAnyOrder(
                        hSmall + " " + a, hSmall + " " + b, hBig + " " + c, hEmpty + " " + empty);
        assertThat(StoreAssertions.rejections(store))
                .containsExactlyInAnyOrder(
                        declaredWrong
                                + " :: bad metadata: declared content_hash "
                                + "0".repeat(64)
                                + " does not match the file's SHA3-256 "
                                + StoreAssertions.sha3(other),
                        link + " :: outside the input root: " + secret.toRealPath(),
                        missing + " :: vanished: the file no longer exists",
                        "rel.bin :: bad metadata: path 'rel.bin' is not absolute");
        StoreAssertions.assertSound(store);
    }

    static byte[] bytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
