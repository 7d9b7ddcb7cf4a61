package io.artdag.l1.ipld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One chunk buffer reused for file after file gives every file the DAG a fresh builder gives it:
 * the same root CID and the same blocks, in both profiles, including a file shorter than the chunks
 * left in the buffer by a longer one before it.
 */
class UnixFsChunkBufferReuseTest {

    private static List<String> build(UnixFsProfile p, byte[] data, byte[] buffer)
            throws Exception {
        List<String> blocks = new ArrayList<>();
        BlockSink sink =
                (cid, d, off, len) -> {
                    byte[] copy = java.util.Arrays.copyOfRange(d, off, off + len);
                    blocks.add(cid + " " + java.util.HexFormat.of().formatHex(copy).hashCode());
                };
        UnixFsFileBuilder b =
                buffer == null
                        ? new UnixFsFileBuilder(p, sink)
                        : new UnixFsFileBuilder(p, sink, buffer);
        b.write(data, 0, data.length);
        blocks.add("root " + b.finish());
        return blocks;
    }

    @Test
    void aReusedBufferBuildsTheSameDags() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        for (UnixFsProfile p : UnixFsProfile.values()) {
            byte[] shared = new byte[p.chunkSize()];
            int[] sizes = {3 * p.chunkSize() + 17, 5, 0, p.chunkSize(), p.chunkSize() - 1, 1000};
            for (int size : sizes) {
                byte[] data = new byte[size];
                r.nextBytes(data);
                assertThat(build(p, data, shared))
                        .as(p + " " + size)
                        .isEqualTo(build(p, data, null));
            }
        }
    }

    @Test
    void aBufferOfTheWrongSizeIsRefused() {
        assertThatThrownBy(
                        () ->
                                new UnixFsFileBuilder(
                                        UnixFsProfile.V1_2025, BlockSink.DISCARD, new byte[1024]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024");
    }
}
