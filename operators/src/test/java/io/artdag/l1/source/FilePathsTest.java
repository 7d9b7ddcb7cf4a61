package io.artdag.l1.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.FileRef;
import io.artdag.l1.operators.HashFiles;
import io.artdag.l1.operators.HashedFile;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitSerializer;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File names that are not UTF-8 survive the trip from the tree to the hasher and the store. */
class FilePathsTest {
    @TempDir Path tmp;

    /** A file in {@code tmp} whose name is the bytes 0x66 0xff 0x2e 0x62 0x69 0x6e. */
    private Path notUtf8(String content) throws IOException {
        Path p = Path.of(URI.create(tmp.toUri() + "f%FF.bin"));
        Files.writeString(p, content, StandardCharsets.US_ASCII);
        return p;
    }

    private String ls() throws Exception {
        Process ls = new ProcessBuilder("ls", "-b", tmp.toString()).start();
        String out = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ls.waitFor()).isZero();
        return out;
    }

    private static String sha3(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA3-256").digest(bytes));
    }

    @Test
    void aNameThatIsNotUtf8IsEncodedLosslesslyAndDecodesToTheSameFile() throws Exception {
        Path f = notUtf8("x");
        // ls -b shows a byte that is not printable as its octal escape: the 0xff is on disk.
        assertThat(ls()).contains("f\\377.bin");
        // The premise of the bug: Path.toString() is lossy, the file cannot be found again.
        assertThat(Files.exists(Path.of(f.toString()))).isFalse();

        String text = FilePaths.encode(f);
        assertThat(text).isEqualTo(tmp + "/f%FF.bin");
        Path back = FilePaths.decode(text);
        assertThat(back).isEqualTo(f);
        assertThat(Files.readString(back)).isEqualTo("x");
    }

    @Test
    void aNameMadeByTheShellRoundTrips() throws Exception {
        Process p =
                new ProcessBuilder("sh", "-c", "printf abc > \"$(printf 'g\\377\\376.bin')\"")
                        .directory(tmp.toFile())
                        .start();
        assertThat(p.waitFor()).isZero();
        List<Path> entries;
        try (Stream<Path> s = Files.list(tmp)) {
            entries = s.toList();
        }
        assertThat(entries).hasSize(1);
        String text = FilePaths.encode(entries.get(0));
        assertThat(text).isEqualTo(tmp + "/g%FF%FE.bin");
        assertThat(Files.readString(FilePaths.decode(text))).isEqualTo("abc");
    }

    @Test
    void validUtf8StaysReadableAndALiteralPercentIsEscaped() throws Exception {
        Path unicode = Files.writeString(tmp.resolve("ü ñ – 日本.txt"), "u");
        Path percent = Files.writeString(tmp.resolve("100%FF.txt"), "p");
        Path odd = Files.writeString(tmp.resolve("a#b?c:d;e[f]\\g'h\"i"), "o");

        assertThat(FilePaths.encode(unicode)).isEqualTo(tmp + "/ü ñ – 日本.txt");
        // "%FF" typed as three characters is not the byte 0xff.
        assertThat(FilePaths.encode(percent)).isEqualTo(tmp + "/100%25FF.txt");
        assertThat(FilePaths.encode(odd)).isEqualTo(tmp + "/a#b?c:d;e[f]\\g'h\"i");
        for (Path p : List.of(unicode, percent, odd)) {
            assertThat(FilePaths.decode(FilePaths.encode(p))).isEqualTo(p);
        }
        // A directory's name carries no trailing slash.
        assertThat(FilePaths.encode(tmp)).isEqualTo(tmp.toString());
        assertThat(FilePaths.decode("/")).isEqualTo(Path.of("/"));
    }

    @Test
    void theTreeSourceAndTheHasherReadAFileWhoseNameIsNotUtf8() throws Exception {
        Path f = notUtf8("not utf-8 name");
        // Enumerated, serialized as Flink sends splits to readers, read by the tree format.
        List<FileSourceSplit> splits =
                new ArrayList<>(
                        new LocalTreeEnumerator(name -> true)
                                .enumerateSplits(
                                        new org.apache.flink.core.fs.Path[] {
                                            LocalTreeEnumerator.toFlink(tmp)
                                        },
                                        1));
        assertThat(splits).hasSize(1);
        FileSourceSplitSerializer ser = FileSourceSplitSerializer.INSTANCE;
        FileSourceSplit split = ser.deserialize(ser.getVersion(), ser.serialize(splits.get(0)));
        List<FileRef> refs = new ArrayList<>();
        try (BulkFormat.Reader<FileRef> r =
                new TreeFileFormat(tmp).createReader(new Configuration(), split)) {
            BulkFormat.RecordIterator<FileRef> batch;
            while ((batch = r.readBatch()) != null) {
                RecordAndPosition<FileRef> rec;
                while ((rec = batch.next()) != null) {
                    refs.add(rec.getRecord());
                }
            }
        }
        assertThat(refs).singleElement().satisfies(r -> assertThat(r.error).isNull());
        assertThat(refs.get(0).path).isEqualTo(tmp + "/f%FF.bin");

        try (OneInputStreamOperatorTestHarness<FileRef, HashedFile> h =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new HashFiles()))) {
            h.open();
            h.processElement(refs.get(0), 0);
            assertThat(h.getSideOutput(HashFiles.REJECTED)).isNullOrEmpty();
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            x -> {
                                assertThat(x.contentHash)
                                        .isEqualTo(
                                                sha3(
                                                        "not utf-8 name"
                                                                .getBytes(
                                                                        StandardCharsets
                                                                                .US_ASCII)));
                                assertThat(x.path).isEqualTo(tmp + "/f%FF.bin");
                                assertThat(FilePaths.decode(x.path)).isEqualTo(f);
                            });
        }
    }
}
