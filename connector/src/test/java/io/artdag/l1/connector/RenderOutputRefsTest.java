package io.artdag.l1.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.operators.FileRef;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A render output becomes the file reference the hasher reads, or a rejection with its reason. */
class RenderOutputRefsTest {

    @Test
    void everyFieldIsCarriedAndTheRootDefaultsToTheParent() {
        RenderOutput o =
                RenderOutput.of(Path.of("/renders/run7/a1b2.mkv"), "a1b2")
                        .withNodeType("render")
                        .withContentHash("AB".repeat(32))
                        .withMetadataJson("{ \"fps\" : 24 }")
                        .withRun("run7", "recipe-x", "[\"in1\", \"in2\"]", "alice");

        FileRef ref = RenderOutputRefs.toFileRef(o);

        assertThat(ref.error).isNull();
        assertThat(ref.origin).isEqualTo("job");
        assertThat(ref.path).isEqualTo("/renders/run7/a1b2.mkv");
        assertThat(ref.root).isEqualTo("/renders/run7");
        assertThat(ref.nodeId).isEqualTo("a1b2");
        assertThat(ref.nodeType).isEqualTo("render");
        assertThat(ref.declaredHash).isEqualTo("ab".repeat(32));
        assertThat(ref.metadataJson).isEqualTo("{\"fps\":24}");
        assertThat(ref.run)
                .isEqualTo(
                        "{\"run_id\":\"run7\",\"recipe\":\"recipe-x\",\"inputs\":[\"in1\",\"in2\"],"
                                + "\"actor_id\":\"alice\"}");
    }

    @Test
    void anExplicitRootIsKeptAndRunFieldsWithoutARunIdAreDropped() {
        RenderOutput o = RenderOutput.under(Path.of("/renders"), Path.of("/renders/a/b.bin"), "b");
        o.recipe = "ignored without run_id";

        FileRef ref = RenderOutputRefs.toFileRef(o);

        assertThat(ref.error).isNull();
        assertThat(ref.root).isEqualTo("/renders");
        assertThat(ref.run).isNull();
        assertThat(ref.metadataJson).isNull();
        assertThat(ref.declaredHash).isNull();
    }

    @Test
    void namesThatAreNotTextStayLossless() {
        RenderOutput o = RenderOutput.of(Path.of("/renders/50%.bin"), null);
        assertThat(RenderOutputRefs.toFileRef(o).path).isEqualTo("/renders/50%25.bin");
    }

    @Test
    void unusableOutputsAreRejectedWithTheirReason() {
        assertThat(reject(new RenderOutput())).isEqualTo("bad metadata: no path");
        RenderOutput relative = new RenderOutput();
        relative.path = "out/x.bin";
        assertThat(reject(relative)).isEqualTo("bad metadata: path 'out/x.bin' is not absolute");
        RenderOutput nul = new RenderOutput();
        nul.path = "/renders/a\0b";
        assertThat(reject(nul)).isEqualTo("bad metadata: path is not a file path");
        assertThat(reject(RenderOutput.of(Path.of("/r/x"), "..")))
                .isEqualTo("bad metadata: unsafe node_id '..'");
        assertThat(reject(RenderOutput.of(Path.of("/r/x"), "a/b")))
                .isEqualTo("bad metadata: unsafe node_id 'a/b'");
        assertThat(reject(RenderOutput.of(Path.of("/r/x"), "n").withContentHash("abc")))
                .isEqualTo("bad metadata: content_hash 'abc' is not a SHA3-256 hex digest");
        assertThat(reject(RenderOutput.of(Path.of("/r/x"), "n").withMetadataJson("[1]")))
                .isEqualTo("bad metadata: metadata must be a JSON object");
        assertThat(reject(RenderOutput.of(Path.of("/r/x"), "n").withMetadataJson("{")))
                .startsWith("bad metadata: metadata is not valid JSON");
        assertThat(reject(RenderOutput.of(Path.of("/r/x"), "n").withRun("r", null, "\"s\"", null)))
                .isEqualTo("bad metadata: inputs must be a JSON array or object");
        RenderOutput badRoot = RenderOutput.of(Path.of("/r/x"), "n");
        badRoot.root = "relative";
        assertThat(reject(badRoot)).isEqualTo("bad metadata: root 'relative' is not absolute");
    }

    @Test
    void aRejectionKeepsThePathAndASafeNodeId() {
        FileRef ref =
                RenderOutputRefs.toFileRef(
                        RenderOutput.of(Path.of("/r/x.bin"), "n1").withContentHash("zz"));
        assertThat(ref.path).isEqualTo("/r/x.bin");
        assertThat(ref.nodeId).isEqualTo("n1");
        assertThat(ref.origin).isEqualTo("job");
        FileRef unsafe = RenderOutputRefs.toFileRef(RenderOutput.of(Path.of("/r/x.bin"), "a\\b"));
        assertThat(unsafe.nodeId).isNull();
        assertThat(unsafe.error).isEqualTo("bad metadata: unsafe node_id 'a\\\\b'");
    }

    private static String reject(RenderOutput o) {
        FileRef ref = RenderOutputRefs.toFileRef(o);
        assertThat(ref.error).as("rejection of " + o).isNotNull();
        return ref.error;
    }
}
