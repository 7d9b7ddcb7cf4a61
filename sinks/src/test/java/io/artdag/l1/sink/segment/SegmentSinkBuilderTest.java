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

    private static final SegmentPublisher.Factory PUBLISHER =
            (metrics, retried) -> (store, batch) -> {};
    private static final SegmentHandoff.Factory HANDOFF = metrics -> (file, segment) -> {};

    @Test
    void perTaskManagerStagingNeedsAPublisherAHandoffAndNoStorePath() {
        assertThatThrownBy(
                        () ->
                                SegmentSink.builder()
                                        .setPerTaskManagerStaging(true)
                                        .setPublisher(PUBLISHER)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a publisher and a handoff");
        assertThatThrownBy(
                        () ->
                                SegmentSink.builder()
                                        .setPerTaskManagerStaging(true)
                                        .setStorePath(Path.of("/shared/store"))
                                        .setPublisher(PUBLISHER)
                                        .setHandoff(HANDOFF)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/shared/store")
                .hasMessageContaining("l1.staging.dir");
        assertThatThrownBy(
                        () ->
                                SegmentSink.builder()
                                        .setPerTaskManagerStaging(true)
                                        .setStagingDir("relative/dir")
                                        .setPublisher(PUBLISHER)
                                        .setHandoff(HANDOFF)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relative/dir")
                .hasMessageContaining("absolute");
    }

    @Test
    void perTaskManagerStagingIsOneDirectoryPerJobOnEachTaskManager() {
        org.apache.flink.api.common.JobID job = new org.apache.flink.api.common.JobID();
        org.apache.flink.configuration.Configuration conf =
                new org.apache.flink.configuration.Configuration();
        conf.set(SegmentSinkOptions.STAGING_DIR, "/var/lib/l1-staging");
        SegmentSink configured =
                SegmentSink.builder()
                        .setConfig(conf)
                        .setPerTaskManagerStaging(true)
                        .setPublisher(PUBLISHER)
                        .setHandoff(HANDOFF)
                        .build();
        org.assertj.core.api.Assertions.assertThat(configured.storeRoot(() -> job))
                .isEqualTo(Path.of("/var/lib/l1-staging", job.toHexString()));
        SegmentSink byDefault =
                SegmentSink.builder()
                        .setPerTaskManagerStaging(true)
                        .setPublisher(PUBLISHER)
                        .setHandoff(HANDOFF)
                        .build();
        org.assertj.core.api.Assertions.assertThat(byDefault.storeRoot(() -> job))
                .isEqualTo(
                        Path.of(
                                System.getProperty("java.io.tmpdir"),
                                "artdag-l1-staging",
                                job.toHexString()));
        SegmentSink local = SegmentSink.builder().setStorePath(Path.of("/data/store")).build();
        org.assertj.core.api.Assertions.assertThat(
                        local.storeRoot(
                                () -> {
                                    throw new AssertionError("local mode needs no job id");
                                }))
                .isEqualTo(Path.of("/data/store"));
    }
}
