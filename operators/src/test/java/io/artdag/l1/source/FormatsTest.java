package io.artdag.l1.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.operators.FileRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatsTest {
    @TempDir Path tmp;

    private static List<FileRef> all(Iterator<FileRef> it) {
        List<FileRef> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private Path write(String rel, String text) throws IOException {
        Path p = tmp.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void cacheIndexEntriesBecomeReferencesWithMetadata() throws IOException {
        write("n1/output.mkv", "x");
        write("n2/output.png", "y");
        Path index =
                write(
                        "index.json",
                        "{\"stats\": {\"total\": 2}, \"entries\": {"
                                + "\"n1\": {\"node_id\": \"n1\", \"output_path\":"
                                + " \"/gone/n1/output.mkv\", \"node_type\": \"SEGMENT\","
                                + " \"content_hash\": \""
                                + "AB".repeat(32)
                                + "\"},"
                                + "\"n2\": {\"node_id\": \"n2\", \"output_path\": \"n2/output.png\"},"
                                + "\"n3\": [1, 2],"
                                + "\"n4\": {\"node_id\": \"n4\", \"content_hash\": \"nothex\"}"
                                + "}}");
        assertThat(InputLayout.detect(tmp)).isEqualTo(InputLayout.CACHE);

        List<FileRef> refs = all(new ArrayIndex().refs(index));

        assertThat(refs).hasSize(4);
        FileRef n1 = refs.get(0);
        assertThat(n1.path).isEqualTo(tmp.resolve("n1/output.mkv").toString());
        assertThat(n1.nodeId).isEqualTo("n1");
        assertThat(n1.nodeType).isEqualTo("SEGMENT");
        assertThat(n1.declaredHash).isEqualTo("ab".repeat(32));
        assertThat(n1.metadataJson).contains("\"node_type\":\"SEGMENT\"");
        assertThat(n1.error).isNull();
        assertThat(refs.get(1).path).isEqualTo(tmp.resolve("n2/output.png").toString());
        assertThat(refs.get(2).error).startsWith("bad metadata").contains("JSON object");
        assertThat(refs.get(2).path).endsWith("index.json#entries/n3");
        assertThat(refs.get(3).error).startsWith("bad metadata").contains("nothex");
    }

    @Test
    void aBrokenIndexYieldsTheEntriesBeforeTheDamageAndOneRejection() throws IOException {
        write("n1/output.bin", "x");
        Path index =
                write(
                        "index.json",
                        "{\"entries\": {\"n1\": {\"node_id\": \"n1\", \"output_path\":"
                                + " \"n1/output.bin\"}, \"n2\": {\"node_id\": ");
        List<FileRef> refs = all(new ArrayIndex().refs(index));
        assertThat(refs).hasSize(2);
        assertThat(refs.get(0).error).isNull();
        assertThat(refs.get(1).error).startsWith("bad metadata: index.json is not valid JSON");
        assertThat(refs.get(1).path).isEqualTo(index.toString());
    }

    @Test
    void aPlainDirectoryIsATree() throws IOException {
        write("a/b.txt", "x");
        write("index.json", "{\"not\": \"an artdag index\"}");
        assertThat(InputLayout.detect(tmp)).isEqualTo(InputLayout.TREE);
    }

    @Test
    void spoolMetadataPointsAtTheOutputBesideIt() throws IOException {
        write("spool/n7/output.mp4", "video");
        Path meta =
                write(
                        "spool/n7/metadata.json",
                        "{\"node_id\": \"n7\", \"node_type\": \"SEQUENCE\", \"output_path\":"
                                + " \"/renderer/tmp/n7/output.mp4\"}");
        List<FileRef> refs = all(new SpoolNodeFormat().refs(meta));
        assertThat(refs)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.path)
                                    .isEqualTo(tmp.resolve("spool/n7/output.mp4").toString());
                            assertThat(r.nodeType).isEqualTo("SEQUENCE");
                            assertThat(r.origin).isEqualTo("spool");
                        });

        Path bad = write("spool/n8/metadata.json", "{oops");
        assertThat(all(new SpoolNodeFormat().refs(bad)))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.error)
                                    .startsWith("bad metadata: metadata.json is not valid JSON");
                            assertThat(r.nodeId).isEqualTo("n8");
                        });
    }

    @Test
    void treeEnumerationKeepsEntriesItCannotStatAndSkipsHiddenOnes() throws Exception {
        write("t/a.bin", "a");
        write("t/.partial", "p");
        write("t/.git/x", "x");
        Files.createSymbolicLink(tmp.resolve("t/dangling"), tmp.resolve("t/nowhere"));
        var splits =
                new LocalTreeEnumerator(name -> true)
                        .enumerateSplits(
                                new org.apache.flink.core.fs.Path[] {
                                    new org.apache.flink.core.fs.Path(tmp.resolve("t").toUri())
                                },
                                1);
        List<String> names = new ArrayList<>();
        splits.forEach(s -> names.add(Path.of(s.path().toUri()).getFileName().toString()));
        assertThat(names).containsExactlyInAnyOrder("a.bin", "dangling");
    }

    /** Exposes the protected iterator of the cache format. */
    private static final class ArrayIndex extends ArtdagIndexFormat {
        @Override
        public Iterator<FileRef> refs(Path indexFile) throws IOException {
            return super.refs(indexFile);
        }
    }
}
