package io.artdag.l1.sink.segment;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SegmentSinkBuilderTest {

    @Test
    void buildSaysWhatIsWrong() {
        assertThatThrownBy(() -> SegmentSink.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("l1.store.path");
        assertThatThrownBy(
                        () ->
                                SegmentSink.builder()
                                        .setStorePath(Path.of("/tmp/x"))
                                        .setProfile("unixfs-v9")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unixfs-v9");
        assertThatThrownBy(
                        () ->
                                SegmentSink.builder()
                                        .setStorePath(Path.of("/tmp/x"))
                                        .setSealBytes(1000)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("l1.segment.seal-bytes");
        assertThatThrownBy(
                        () ->
                                SegmentSink.builder()
                                        .setStorePath(Path.of("/tmp/x"))
                                        .setSealAge(Duration.ofSeconds(-1))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("l1.segment.seal-age");
    }
}
