package io.artdag.l1.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.operators.FileRef;
import io.artdag.l1.operators.HashFiles;
import io.artdag.l1.operators.HashedFile;
import io.artdag.l1.operators.IngestEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Untrusted metadata, node ids and symbolic links never lead a read outside the input root. */
class InputConfinementTest {
    @TempDir Path tmp;

    private Path root;
    private Path secret;
    private Path outsideDir;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outsideDir = Files.createDirectories(tmp.resolve("outside"));
        secret = Files.writeString(outsideDir.resolve("secret.txt"), "top secret");
        Files.writeString(outsideDir.resolve("output.txt"), "outside output");
        Files.writeString(tmp.resolve("outside.txt"), "beside the root");
    }

    private Path write(String rel, String text) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private static List<FileRef> all(Iterator<FileRef> it) {
        List<FileRef> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static String sha3(String text) throws Exception {
        return HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA3-256")
                                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String q(String s) {
        return "\"" + s + "\"";
    }

    /** Reads the cache index and keys the references by the entry they came from. */
    private Map<String, FileRef> cacheRefs(String entries) throws IOException {
        Path index = write("index.json", "{\"entries\": {" + entries + "}}");
        Map<String, FileRef> byEntry = new LinkedHashMap<>();
        for (FileRef r : all(new ArtdagIndexFormat(root).refs(index))) {
            int at = r.path.indexOf("#entries/");
            byEntry.put(at < 0 ? r.nodeId : r.path.substring(at + "#entries/".length()), r);
        }
        return byEntry;
    }

    private static List<HashedFile> hash(List<FileRef> refs, List<IngestEvent> rejected)
            throws Exception {
        try (OneInputStreamOperatorTestHarness<FileRef, HashedFile> h =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new HashFiles()))) {
            h.open();
            for (FileRef r : refs) {
                h.processElement(r, 0);
            }
            if (h.getSideOutput(HashFiles.REJECTED) != null) {
                h.getSideOutput(HashFiles.REJECTED).forEach(x -> rejected.add(x.getValue()));
            }
            return h.extractOutputValues();
        }
    }

    @Test
    void cacheMetadataThatLeadsOutsideTheRootIsRejected() throws Exception {
        write("good/output.txt", "good");
        Files.createDirectories(root.resolve("abs"));
        Files.createDirectories(root.resolve("rel"));
        // A symbolic link in a node directory, and a node directory that is a link.
        Files.createDirectories(root.resolve("link"));
        Files.createSymbolicLink(root.resolve("link/output.txt"), secret);
        Files.createSymbolicLink(root.resolve("dirlink"), outsideDir);
        // A link inside that points inside is fine.
        Files.createDirectories(root.resolve("inlink"));
        Files.createSymbolicLink(
                root.resolve("inlink/output.txt"), root.resolve("good/output.txt"));

        Map<String, FileRef> refs =
                cacheRefs(
                        q("good")
                                + ": {\"node_id\": \"good\", \"output_path\":"
                                + " \"good/output.txt\"},"
                                + q("abs")
                                + ": {\"node_id\": \"abs\", \"output_path\": "
                                + q(secret.toString())
                                + "},"
                                + q("rel")
                                + ": {\"node_id\": \"rel\", \"output_path\":"
                                + " \"../outside.txt\"},"
                                + q("link")
                                + ": {\"node_id\": \"link\"},"
                                + q("dirlink")
                                + ": {\"node_id\": \"dirlink\"},"
                                + q("inlink")
                                + ": {\"node_id\": \"inlink\"}");

        String realSecret = secret.toRealPath().toString();
        assertThat(refs.get("good").error).isNull();
        assertThat(refs.get("good").path).isEqualTo(root.resolve("good/output.txt").toString());
        assertThat(refs.get("abs").error).isEqualTo("outside the input root: " + realSecret);
        assertThat(refs.get("rel").error)
                .isEqualTo("outside the input root: " + tmp.toRealPath().resolve("outside.txt"));
        assertThat(refs.get("link").error).isEqualTo("outside the input root: " + realSecret);
        assertThat(refs.get("dirlink").error)
                .isEqualTo(
                        "outside the input root: " + outsideDir.toRealPath().resolve("output.txt"));
        assertThat(refs.get("inlink").error).isNull();

        List<IngestEvent> rejected = new ArrayList<>();
        List<HashedFile> hashed =
                hash(List.of(refs.get("good"), refs.get("inlink"), refs.get("abs")), rejected);
        assertThat(hashed).extracting(h -> h.contentHash).containsOnly(sha3("good"));
        assertThat(hashed).hasSize(2);
        assertThat(rejected)
                .singleElement()
                .satisfies(r -> assertThat(r.reason).startsWith("outside the input root"));
    }

    @Test
    void aMovedCacheFindsItsOutputsInsideEvenWhenTheOldAbsolutePathStillExists() throws Exception {
        write("moved/output.txt", "copied");
        Map<String, FileRef> refs =
                cacheRefs(
                        q("moved")
                                + ": {\"node_id\": \"moved\", \"output_path\": "
                                + q(outsideDir.resolve("output.txt").toString())
                                + "}");
        assertThat(refs.get("moved").error).isNull();
        assertThat(refs.get("moved").path).isEqualTo(root.resolve("moved/output.txt").toString());
    }

    @Test
    void unsafeNodeIdsAreRejected() throws Exception {
        Files.createDirectories(tmp.resolve("evil"));
        Files.writeString(tmp.resolve("evil/output.txt"), "evil");
        write("ok/output.txt", "ok");
        Map<String, FileRef> refs =
                cacheRefs(
                        q("../evil")
                                + ": {\"output_path\": \"x\"},"
                                + q("k1")
                                + ": {\"node_id\": \"../evil\"},"
                                + q("k2")
                                + ": {\"node_id\": \"a/b\"},"
                                + q("k3")
                                + ": {\"node_id\": \".\"},"
                                + q("k4")
                                + ": {\"node_id\": \"..\"},"
                                + q("k5")
                                + ": {\"node_id\": \"a\\u0000b\"},"
                                + q("k6")
                                + ": {\"node_id\": \"a\\\\b\"},"
                                + q("k7")
                                + ": {\"node_id\": \"\"},"
                                + q("..")
                                + ": {},"
                                + q("ok")
                                + ": {\"node_id\": \"ok\"}");
        assertThat(refs.get("../evil").error).isEqualTo("bad metadata: unsafe node_id '../evil'");
        assertThat(refs.get("k1").error).isEqualTo("bad metadata: unsafe node_id '../evil'");
        assertThat(refs.get("k2").error).isEqualTo("bad metadata: unsafe node_id 'a/b'");
        assertThat(refs.get("k3").error).isEqualTo("bad metadata: unsafe node_id '.'");
        assertThat(refs.get("k4").error).isEqualTo("bad metadata: unsafe node_id '..'");
        assertThat(refs.get("k5").error).isEqualTo("bad metadata: unsafe node_id 'a\\u0000b'");
        assertThat(refs.get("k6").error).isEqualTo("bad metadata: unsafe node_id 'a\\\\b'");
        assertThat(refs.get("k7").error).isEqualTo("bad metadata: unsafe node_id ''");
        assertThat(refs.get("..").error).isEqualTo("bad metadata: unsafe node_id '..'");
        for (String k : List.of("../evil", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "..")) {
            // An unsafe id is not recorded as the node's id, and no NUL reaches a record.
            assertThat(refs.get(k).nodeId).as(k).isIn(null, k);
            assertThat(refs.get(k).nodeId).as(k).isNotEqualTo("../evil");
            assertThat(refs.get(k).path).as(k).doesNotContain("\0");
            assertThat(refs.get(k).error).as(k).doesNotContain("\0");
        }
        assertThat(refs.get("ok").error).isNull();
        assertThat(refs).hasSize(10);
    }

    @Test
    void metadataFieldsMustBeStrings() throws Exception {
        write("n/output.txt", "n");
        Map<String, FileRef> refs =
                cacheRefs(
                        q("i1")
                                + ": {\"node_id\": 42},"
                                + q("i2")
                                + ": {\"node_id\": {}},"
                                + q("i3")
                                + ": {\"node_id\": []},"
                                + q("o1")
                                + ": {\"node_id\": \"n\", \"output_path\": 7},"
                                + q("c1")
                                + ": {\"node_id\": \"n\", \"content_hash\": true},"
                                + q("t1")
                                + ": {\"node_id\": \"n\", \"node_type\": [\"SEGMENT\"]},"
                                + q("fine")
                                + ": {\"node_id\": \"n\", \"node_type\": null}");
        assertThat(refs.get("i1").error).isEqualTo("bad metadata: node_id must be a string");
        assertThat(refs.get("i2").error).isEqualTo("bad metadata: node_id must be a string");
        assertThat(refs.get("i3").error).isEqualTo("bad metadata: node_id must be a string");
        assertThat(refs.get("o1").error).isEqualTo("bad metadata: output_path must be a string");
        assertThat(refs.get("c1").error).isEqualTo("bad metadata: content_hash must be a string");
        assertThat(refs.get("t1").error).isEqualTo("bad metadata: node_type must be a string");
        FileRef fine = refs.values().stream().filter(r -> r.error == null).findFirst().get();
        assertThat(fine.nodeId).isEqualTo("n");
        assertThat(fine.nodeType).isNull();
    }

    @Test
    void aCacheNodesMetadataJsonMustBeAJsonObjectInsideTheRootAndNotHuge() throws Exception {
        write("m1/output.txt", "1");
        write("m1/metadata.json", "{oops");
        write("m2/output.txt", "2");
        write("m2/metadata.json", "[1, 2]");
        write("m3/output.txt", "3");
        Files.createSymbolicLink(root.resolve("m3/metadata.json"), secret);
        write("m4/output.txt", "4");
        Path huge = root.resolve("m4/metadata.json");
        try (OutputStream out = Files.newOutputStream(huge)) {
            out.write("{\"pad\": \"".getBytes(StandardCharsets.US_ASCII));
            byte[] pad = new byte[1 << 20];
            java.util.Arrays.fill(pad, (byte) 'x');
            for (int i = 0; i < 16; i++) {
                out.write(pad);
            }
            out.write("\"}".getBytes(StandardCharsets.US_ASCII));
        }
        write("m5/output.txt", "5");
        write("m5/metadata.json", "{\"node_id\": \"m5\", \"extra\": 1}");
        Map<String, FileRef> refs =
                cacheRefs(
                        q("m1")
                                + ": {\"node_id\": \"m1\"},"
                                + q("m2")
                                + ": {\"node_id\": \"m2\"},"
                                + q("m3")
                                + ": {\"node_id\": \"m3\"},"
                                + q("m4")
                                + ": {\"node_id\": \"m4\"},"
                                + q("m5")
                                + ": {\"node_id\": \"m5\"}");
        assertThat(refs.get("m1").error)
                .startsWith("bad metadata: m1/metadata.json is not valid JSON: ");
        assertThat(refs.get("m2").error)
                .isEqualTo("bad metadata: m2/metadata.json is not a JSON object");
        assertThat(refs.get("m3").error)
                .isEqualTo("outside the input root: " + secret.toRealPath());
        assertThat(refs.get("m4").error)
                .isEqualTo("bad metadata: m4/metadata.json larger than 16 MiB");
        assertThat(refs.get("m5").error).isNull();
        assertThat(refs.get("m1").nodeId).isEqualTo("m1");
    }

    @Test
    void anIndexJsonThatIsALinkOutsideIsNotRead() throws Exception {
        Path realIndex =
                Files.writeString(
                        outsideDir.resolve("index.json"),
                        "{\"entries\": {\"s\": {\"output_path\": " + q(secret.toString()) + "}}}");
        Path index = Files.createSymbolicLink(root.resolve("index.json"), realIndex);
        assertThat(InputLayout.detect(root)).isEqualTo(InputLayout.CACHE);
        assertThat(all(new ArtdagIndexFormat(root).refs(index)))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.error)
                                    .isEqualTo("outside the input root: " + realIndex.toRealPath());
                            assertThat(r.path).isEqualTo(index.toString());
                        });
    }

    @Test
    void treeLinksThatLeadOutsideAreRejectedAndLinksInsideAreFollowed() throws Exception {
        Path plain = write("a.txt", "a");
        Path toFile = Files.createSymbolicLink(root.resolve("to-secret"), secret);
        Path toDir = Files.createSymbolicLink(root.resolve("to-outside-dir"), outsideDir);
        Path inside = Files.createSymbolicLink(root.resolve("to-a"), plain);
        Path dangling = Files.createSymbolicLink(root.resolve("dangling"), root.resolve("nope"));

        List<String> names = new ArrayList<>();
        new LocalTreeEnumerator(n -> true)
                .enumerateSplits(
                        new org.apache.flink.core.fs.Path[] {LocalTreeEnumerator.toFlink(root)}, 1)
                .forEach(
                        s ->
                                names.add(
                                        LocalTreeEnumerator.fromFlink(s.path())
                                                .getFileName()
                                                .toString()));
        // The directory link is not walked into: it is one entry, which the format rejects.
        assertThat(names)
                .containsExactlyInAnyOrder(
                        "a.txt", "to-secret", "to-outside-dir", "to-a", "dangling");

        TreeFileFormat tree = new TreeFileFormat(root);
        List<FileRef> refs = new ArrayList<>();
        for (Path p : List.of(plain, toFile, toDir, inside, dangling)) {
            refs.addAll(all(tree.refs(p)));
        }
        assertThat(refs.get(1).error).isEqualTo("outside the input root: " + secret.toRealPath());
        assertThat(refs.get(2).error)
                .isEqualTo("outside the input root: " + outsideDir.toRealPath());
        assertThat(refs).extracting(r -> r.root).containsOnly(root.toString());

        List<IngestEvent> rejected = new ArrayList<>();
        List<HashedFile> hashed = hash(refs, rejected);
        assertThat(hashed)
                .extracting(h -> h.path)
                .containsExactly(plain.toString(), inside.toString());
        assertThat(hashed).extracting(h -> h.contentHash).containsOnly(sha3("a"));
        assertThat(rejected)
                .extracting(r -> r.path + " :: " + r.reason)
                .containsExactly(
                        toFile + " :: outside the input root: " + secret.toRealPath(),
                        toDir + " :: outside the input root: " + outsideDir.toRealPath(),
                        dangling + " :: vanished: the file no longer exists");
    }

    @Test
    void theHasherChecksAgainALinkSwappedAfterTheSourceLookedAtIt() throws Exception {
        Path plain = write("a.txt", "a");
        Path link = Files.createSymbolicLink(root.resolve("swap"), plain);
        List<FileRef> refs = all(new TreeFileFormat(root).refs(link));
        assertThat(refs).singleElement().satisfies(r -> assertThat(r.error).isNull());
        Files.delete(link);
        Files.createSymbolicLink(link, secret);

        List<IngestEvent> rejected = new ArrayList<>();
        assertThat(hash(refs, rejected)).isEmpty();
        assertThat(rejected)
                .extracting(r -> r.reason)
                .containsExactly("outside the input root: " + secret.toRealPath());
    }

    @Test
    void spoolMetadataIsConfinedAndMustBeAnObject() throws Exception {
        Path spool = root;
        write("s1/output.txt", "s1");
        Path m1 = write("s1/metadata.json", "[1]");
        Files.createDirectories(spool.resolve("s2"));
        Files.createSymbolicLink(spool.resolve("s2/output.txt"), secret);
        Path m2 = write("s2/metadata.json", "{\"node_id\": \"s2\"}");
        Files.createDirectories(spool.resolve("s3"));
        Path m3 = Files.createSymbolicLink(spool.resolve("s3/metadata.json"), secret);
        write("a\\b/output.txt", "x");
        Path m4 = write("a\\b/metadata.json", "{}");
        write("s5/output.txt", "s5");
        Path m5 = write("s5/metadata.json", "{\"node_id\": \"s5\"}");

        SpoolNodeFormat format = new SpoolNodeFormat(spool);
        List<FileRef> refs = new ArrayList<>();
        for (Path m : List.of(m1, m2, m3, m4, m5)) {
            refs.addAll(all(format.refs(m)));
        }
        assertThat(refs)
                .extracting(r -> r.error)
                .containsExactly(
                        "bad metadata: metadata.json is not a JSON object",
                        "outside the input root: " + secret.toRealPath(),
                        "outside the input root: " + secret.toRealPath(),
                        "bad metadata: unsafe node_id 'a\\\\b'",
                        null);
        assertThat(refs.get(4).path).isEqualTo(spool.resolve("s5/output.txt").toString());
    }
}
