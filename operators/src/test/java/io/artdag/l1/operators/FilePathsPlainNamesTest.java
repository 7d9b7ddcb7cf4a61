package io.artdag.l1.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Plain names (printable ASCII without {@code %}) skip the URI round trip in {@link FilePaths}; for
 * them both routes must give the same text and the same path. The URI route's own results are
 * pinned by known bytes in {@code source/FilePathsTest}.
 */
class FilePathsPlainNamesTest {
    private static final String PRINTABLE_NO_PERCENT;

    static {
        StringBuilder b = new StringBuilder();
        for (char c = 0x20; c <= 0x7e; c++) {
            if (c != '%') {
                b.append(c);
            }
        }
        PRINTABLE_NO_PERCENT = b.toString();
    }

    private static List<String> texts() {
        List<String> texts =
                new ArrayList<>(
                        List.of(
                                "/",
                                "/a",
                                "/a/b.bin",
                                "/a b/c#d?e:f;g[h]\\i'j\"k",
                                "/a/./b",
                                "/a/../b",
                                "/a/.",
                                "/a/..",
                                "/..",
                                "/~user/x-y_z.tar.gz",
                                "a/b",
                                "./a",
                                "../a",
                                ".",
                                "a"));
        SplittableRandom r = new SplittableRandom(17);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder t = new StringBuilder(r.nextBoolean() ? "/" : "");
            int len = 1 + r.nextInt(40);
            for (int i = 0; i < len; i++) {
                t.append(PRINTABLE_NO_PERCENT.charAt(r.nextInt(PRINTABLE_NO_PERCENT.length())));
            }
            texts.add(t.toString());
        }
        return texts;
    }

    @Test
    void decodeOfPlainTextEqualsTheUriRoute() {
        for (String text : texts()) {
            Path fast = FilePaths.decode(text);
            Path viaUri = FilePaths.decodeViaUri(text);
            assertThat(fast).as(text).isEqualTo(viaUri);
            assertThat(fast.toString()).as(text).isEqualTo(viaUri.toString());
        }
    }

    @Test
    void encodeOfPlainPathsEqualsTheUriRoute() {
        for (String text : texts()) {
            Path p = Path.of(text);
            assertThat(FilePaths.encode(p)).as(text).isEqualTo(FilePaths.encodeViaUri(p));
        }
    }

    @Test
    void textThatIsNotPlainTakesTheUriRoute() {
        // '%' escapes, a trailing slash and "//" are kept byte for byte by the URI route only.
        assertThat(FilePaths.decode("/a/f%FF.bin"))
                .isEqualTo(FilePaths.decodeViaUri("/a/f%FF.bin"));
        assertThat(FilePaths.decode("/a//b").toString())
                .isEqualTo(FilePaths.decodeViaUri("/a//b").toString());
        assertThat(FilePaths.decode("/a/b/").toString())
                .isEqualTo(FilePaths.decodeViaUri("/a/b/").toString());
    }
}
