package io.artdag.l1.example;

import io.artdag.l1.connector.RenderOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * One render step of the example job (examples/render-job/README.md): step {@code i} writes {@code
 * <out>/step-<i>.bin} and emits its {@link RenderOutput} (node id {@code step-<i>}). The bytes are
 * deterministic: those of step {@link #sourceStep}{@code (i)}, {@link #SIZE_RULE}, filled by {@code
 * new java.util.Random(step).nextBytes}; so every fifth step repeats an earlier one's bytes. A step
 * run again after a restore writes the same bytes (to a temporary file, then renamed).
 */
public final class RenderStep extends RichMapFunction<Long, RenderOutput> {
    private static final long serialVersionUID = 1L;

    /** How big the bytes of step {@code s} are. */
    public static final String SIZE_RULE =
            "1,200,000 + s bytes when s % 7 == 3 (more than one 1 MiB chunk), else 1,000 + 37 s";

    private final String out;

    public RenderStep(String out) {
        this.out = out;
    }

    /** The step whose bytes step {@code i} renders: i - 3 for i = 4, 9, 14, …; else i. */
    public static long sourceStep(long i) {
        return i % 5 == 4 ? i - 3 : i;
    }

    /** The bytes of step {@code s}'s own render (see {@link #SIZE_RULE}). */
    public static byte[] bytes(long s) {
        byte[] b = new byte[(int) (s % 7 == 3 ? 1_200_000 + s : 1_000 + 37 * s)];
        new Random(s).nextBytes(b);
        return b;
    }

    @Override
    public void open(OpenContext context) throws IOException {
        Files.createDirectories(Path.of(out));
    }

    @Override
    public RenderOutput map(Long i) throws IOException {
        long source = sourceStep(i);
        Path dir = Path.of(out);
        Path file = dir.resolve("step-" + i + ".bin");
        Path tmp = Files.createTempFile(dir, ".step-" + i + "-", ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes(source));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return RenderOutput.under(dir, file, "step-" + i)
                .withNodeType("render")
                .withMetadataJson("{\"step\":" + i + ",\"source_step\":" + source + "}");
    }
}
