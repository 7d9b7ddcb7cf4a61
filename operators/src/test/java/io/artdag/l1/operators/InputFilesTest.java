package io.artdag.l1.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.source.ObjectTreeFormat;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Inputs named by URI: which strings are URIs, and which object keys may be read. */
class InputFilesTest {
    private static final String ROOT = "s3://bucket/renders/run 1";

    @Test
    void tellsUrisFromLocalPaths() {
        assertThat(InputFiles.isUri("s3://bucket/prefix")).isTrue();
        assertThat(InputFiles.isUri("s3a://bucket/p/k")).isTrue();
        assertThat(InputFiles.isUri("/data/s3://x")).isFalse();
        assertThat(InputFiles.isUri("file:///data/x")).isFalse();
        assertThat(InputFiles.isUri("FILE:///data/x")).isFalse();
        assertThat(InputFiles.isUri("relative/dir")).isFalse();
        assertThat(InputFiles.isUri("we:ird/x")).isFalse();
        assertThat(InputFiles.isUri("3s://bucket")).isFalse();
        assertThat(InputFiles.isUri(null)).isFalse();
    }

    @Test
    void canonicalUrisHaveNoTrailingSlash() {
        assertThat(InputFiles.canonical("s3://bucket/prefix/")).isEqualTo("s3://bucket/prefix");
        assertThat(InputFiles.canonical("s3://bucket/a b/ü")).isEqualTo("s3://bucket/a b/ü");
        assertThatThrownBy(() -> InputFiles.canonical("s3:///no-bucket"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s3:///no-bucket");
    }

    @Test
    void readsOnlyPlainKeysUnderThePrefix() {
        // Under the prefix, odd but plain names: read.
        for (String ok :
                List.of(
                        ROOT,
                        ROOT + "/a.png",
                        ROOT + "/nested/deeper/out put.mkv",
                        ROOT + "/ünïcödé/名前.txt",
                        ROOT + "/a..b",
                        ROOT + "/...",
                        ROOT + "/%2E%2E")) {
            assertThat(InputFiles.unsafeReason(ROOT, ok)).as(ok).isNull();
        }
        // Dot segments, empty segments, control characters: never read.
        for (String bad :
                List.of(
                        ROOT + "/../secret",
                        ROOT + "/a/../../secret",
                        ROOT + "/./a",
                        ROOT + "/a/..",
                        ROOT + "//a",
                        ROOT + "/a/",
                        ROOT + "/a\nb")) {
            assertThat(InputFiles.unsafeReason(ROOT, bad))
                    .as(bad)
                    .startsWith(InputFiles.UNSAFE_KEY);
        }
        // Not under the prefix (a sibling sharing its start, another bucket, another scheme).
        for (String outside :
                List.of(
                        "s3://bucket/renders/run 10/a",
                        "s3://bucket/renders/x",
                        "s3://other/renders/run 1/a",
                        "s3a://bucket/renders/run 1/a",
                        "/renders/run 1/a")) {
            assertThat(InputFiles.unsafeReason(ROOT, outside))
                    .as(outside)
                    .startsWith(FilePaths.OUTSIDE_ROOT);
        }
        // A whole bucket as the input.
        assertThat(InputFiles.unsafeReason("s3://bucket", "s3://bucket/a/b")).isNull();
        assertThat(InputFiles.unsafeReason("s3://bucket", "s3://bucketx/a")).isNotNull();
    }

    @Test
    void theFormatAndTheHasherRejectUnsafeKeysWithoutReadingThem() throws Exception {
        ObjectTreeFormat format = new ObjectTreeFormat(ROOT + "/");
        FileRef fine = format.ref(ROOT + "/a.png");
        assertThat(fine.error).isNull();
        assertThat(fine.root).isEqualTo(ROOT);
        FileRef dots = format.ref(ROOT + "/x/../../secret");
        assertThat(dots.error).startsWith(InputFiles.UNSAFE_KEY);

        // A reference made elsewhere (no format): the hasher checks again before it opens it.
        FileRef forged = FileRef.of("s3://bucket/renders/secret", "tree");
        forged.root = ROOT;
        FileRef noRoot = FileRef.of(ROOT + "/a.png", "tree");
        try (OneInputStreamOperatorTestHarness<FileRef, HashedFile> h =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new HashFiles()))) {
            h.open();
            h.processElement(dots, 0);
            h.processElement(forged, 0);
            h.processElement(noRoot, 0);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(HashFiles.REJECTED))
                    .extracting(r -> r.getValue().reason)
                    .satisfiesExactly(
                            r -> assertThat(r).startsWith(InputFiles.UNSAFE_KEY),
                            r ->
                                    assertThat(r)
                                            .isEqualTo(
                                                    FilePaths.OUTSIDE_ROOT
                                                            + ": s3://bucket/renders/secret"),
                            r -> assertThat(r).startsWith(FilePaths.OUTSIDE_ROOT));
        }
    }
}
