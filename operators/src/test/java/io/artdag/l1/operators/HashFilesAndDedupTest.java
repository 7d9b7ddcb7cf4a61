package io.artdag.l1.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashFilesAndDedupTest {
    // FIPS 202 example value: SHA3-256("abc").
    private static final String SHA3_ABC =
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532";
    // FIPS 202 example value: SHA3-256 of the empty message.
    private static final String SHA3_EMPTY =
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a";

    @TempDir Path tmp;

    @Test
    void hashesFilesAndRejectsWhatItCannotUse() throws Exception {
        Path abc = Files.writeString(tmp.resolve("abc.txt"), "abc", StandardCharsets.US_ASCII);
        Path empty = Files.createFile(tmp.resolve("empty"));
        Path dir = Files.createDirectory(tmp.resolve("dir"));
        FileRef liar = FileRef.of(abc.toString(), "cache");
        liar.declaredHash = SHA3_EMPTY;

        try (OneInputStreamOperatorTestHarness<FileRef, HashedFile> h =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new HashFiles()))) {
            h.open();
            h.processElement(FileRef.of(abc.toString(), "tree"), 0);
            h.processElement(FileRef.of(empty.toString(), "tree"), 0);
            h.processElement(FileRef.of(tmp.resolve("missing").toString(), "tree"), 0);
            h.processElement(FileRef.of(dir.toString(), "tree"), 0);
            h.processElement(
                    FileRef.rejected("/x/metadata.json", "spool", "n1", "bad metadata: x"), 0);
            h.processElement(liar, 0);

            List<HashedFile> out = h.extractOutputValues();
            assertThat(out).extracting(f -> f.contentHash).containsExactly(SHA3_ABC, SHA3_EMPTY);
            assertThat(out).extracting(f -> f.size).containsExactly(3L, 0L);
            assertThat(h.getSideOutput(HashFiles.REJECTED))
                    .extracting(r -> r.getValue().path + " :: " + r.getValue().reason)
                    .containsExactly(
                            tmp.resolve("missing") + " :: vanished: the file no longer exists",
                            dir + " :: not a regular file",
                            "/x/metadata.json :: bad metadata: x",
                            abc
                                    + " :: bad metadata: declared content_hash "
                                    + SHA3_EMPTY
                                    + " does not match the file's SHA3-256 "
                                    + SHA3_ABC);
        }
    }

    private static HashedFile hashed(String hash, String path) {
        HashedFile f = new HashedFile();
        f.contentHash = hash;
        f.path = path;
        return f;
    }

    @Test
    void dedupStoresEachContentOnceAndAsksTheStoreFirst() throws Exception {
        ContentLookup storedElsewhere =
                new ContentLookup() {
                    @Override
                    public void open() {}

                    @Override
                    public boolean isStored(String contentHash) {
                        return Set.of("old").contains(contentHash);
                    }

                    @Override
                    public void close() {}
                };
        try (KeyedOneInputStreamOperatorTestHarness<String, HashedFile, IngestEvent> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Dedup(storedElsewhere)),
                        f -> f.contentHash,
                        Types.STRING)) {
            h.open();
            h.processElement(hashed("a", "/1"), 0);
            h.processElement(hashed("a", "/2"), 0);
            h.processElement(hashed("old", "/3"), 0);
            h.processElement(hashed("b", "/4"), 0);
            assertThat(h.extractOutputValues())
                    .extracting(e -> e.kind + " " + e.path)
                    .containsExactly("NEW /1", "DUPLICATE /2", "DUPLICATE /3", "NEW /4");
        }
    }
}
