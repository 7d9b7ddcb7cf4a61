package io.artdag.l1.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read interrupted because the task is being cancelled (a failover elsewhere in the job) is not a
 * bad input: it fails the record's processing, and no rejection is recorded for a good file. The
 * fault matrix saw "unreadable: null" rejections of good files in PostgreSQL after a disk-full
 * failover.
 */
class HashFilesInterruptTest {

    @TempDir Path tmp;

    @Test
    void anInterruptedReadIsNotARejection() throws Exception {
        Path file = Files.write(tmp.resolve("good.bin"), new byte[3 << 20]);
        try (OneInputStreamOperatorTestHarness<FileRef, HashedFile> h =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new HashFiles()))) {
            h.open();
            Thread.currentThread().interrupt(); // as Flink does when it cancels the task
            try {
                assertThatThrownBy(() -> h.processElement(FileRef.of(file.toString(), "tree"), 0))
                        .isInstanceOf(ClosedByInterruptException.class);
            } finally {
                Thread.interrupted();
            }
            assertThat(h.getSideOutput(HashFiles.REJECTED)).isNullOrEmpty();
            assertThat(h.extractOutputValues()).isEmpty();

            // The hasher is usable again afterwards: the same file hashes as it should.
            h.processElement(FileRef.of(file.toString(), "tree"), 0);
            assertThat(h.extractOutputValues())
                    .extracting(f -> f.contentHash)
                    .containsExactly(
                            java.util.HexFormat.of()
                                    .formatHex(
                                            java.security.MessageDigest.getInstance("SHA3-256")
                                                    .digest(Files.readAllBytes(file))));
        }
    }
}
