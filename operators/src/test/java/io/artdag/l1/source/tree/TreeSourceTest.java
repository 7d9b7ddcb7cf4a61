package io.artdag.l1.source.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.FileRef;
import io.artdag.l1.source.TreeFileFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeSourceTest {
    @TempDir Path tmp;

    private static void write(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, p.getFileName().toString());
    }

    @Test
    void walksTheTreeLikeTheEnumeratorItReplaces() throws Exception {
        Path root = tmp.resolve("in");
        write(root.resolve("a.bin"));
        write(root.resolve("sub/b.bin"));
        write(root.resolve("sub/deeper/c.bin"));
        write(root.resolve("sub/.hidden-file"));
        write(root.resolve(".hidden-dir/d.bin"));
        Files.createDirectories(root.resolve("empty/also-empty"));
        Files.createSymbolicLink(root.resolve("link-to-sub"), root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("nowhere"));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<String> paths = new ArrayList<>();
        try (CloseableIterator<FileRef> it =
                env.fromSource(
                                new TreeSource(root, new TreeFileFormat(root)),
                                WatermarkStrategy.noWatermarks(),
                                "tree")
                        .executeAndCollect()) {
            it.forEachRemaining(r -> paths.add(r.path));
        }
        // Links are entries of their own (the hasher confines them), never walked into.
        assertThat(paths)
                .containsExactlyInAnyOrder(
                        root.resolve("a.bin").toString(),
                        root.resolve("sub/b.bin").toString(),
                        root.resolve("sub/deeper/c.bin").toString(),
                        root.resolve("link-to-sub").toString(),
                        root.resolve("dangling").toString());
    }

    @Test
    void aSingleFileInputIsOneEntry() throws Exception {
        Path file = tmp.resolve("one.bin");
        write(file);
        TreeSplitEnumerator e =
                new TreeSplitEnumerator(
                        null, new TreeSource(file, new TreeFileFormat(file)).initialState());
        assertThat(e.next()).isEqualTo(DirectorySplit.entry(file.toString()));
        assertThat(e.next()).isNull();
    }

    @Test
    void enumeratorListsOnlyWhenAskedAndKeepsNoFiles() throws Exception {
        Path root = tmp.resolve("in");
        for (int i = 0; i < 100; i++) {
            write(root.resolve("x/f" + i));
        }
        write(root.resolve("y/z/f"));
        Files.createDirectories(root.resolve("w"));
        TreeSplitEnumerator e =
                new TreeSplitEnumerator(
                        null, new TreeSource(root, new TreeFileFormat(root)).initialState());
        // Root has no files of its own; its first subdirectory with files is offered.
        assertThat(e.next()).isEqualTo(DirectorySplit.directory(root.resolve("x").toString()));
        TreeEnumeratorState state = e.snapshotState(1);
        // Depth first: what is left is directories, not 100 files.
        assertThat(state.pendingDirectories()).containsExactly(root.resolve("y").toString());
        assertThat(state.unassigned()).isEmpty();
        assertThat(e.next()).isEqualTo(DirectorySplit.directory(root.resolve("y/z").toString()));
        assertThat(e.next()).isNull();
    }

    @Test
    void restoredReaderResumesAfterTheLastEmittedNameEvenIfTheDirectoryChanged() throws Exception {
        Path dir = tmp.resolve("d");
        for (String n : List.of("a", "b", "c", "d")) {
            write(dir.resolve(n));
        }
        TreeSourceReader reader = new TreeSourceReader(null, new TreeFileFormat(dir));
        reader.addSplits(List.of(DirectorySplit.directory(dir.toString())));
        Collect out = new Collect();
        assertThat(reader.pollNext(out)).isEqualTo(InputStatus.MORE_AVAILABLE);
        assertThat(reader.pollNext(out)).isEqualTo(InputStatus.MORE_AVAILABLE);
        List<DirectorySplit> state = reader.snapshotState(7);
        assertThat(state)
                .containsExactly(
                        new DirectorySplit(dir.toString(), false, dir.resolve("b").toString()));

        // Meanwhile an entry before the cursor appears and one after it goes.
        write(dir.resolve("a2"));
        Files.delete(dir.resolve("d"));
        TreeSourceReader restored = new TreeSourceReader(null, new TreeFileFormat(dir));
        restored.addSplits(state);
        restored.notifyNoMoreSplits();
        Collect rest = new Collect();
        while (restored.pollNext(rest) != InputStatus.END_OF_INPUT) {}
        assertThat(out.paths())
                .containsExactly(dir.resolve("a").toString(), dir.resolve("b").toString());
        assertThat(rest.paths()).containsExactly(dir.resolve("c").toString());
    }

    @Test
    void namesThatAreNotUtf8SurviveTheCursor() throws Exception {
        Path dir = tmp.resolve("d");
        Files.createDirectories(dir);
        // A file name with a byte that is not UTF-8, made through a URI that keeps raw bytes.
        Path odd = Path.of(java.net.URI.create(dir.toUri() + "bad%FFname"));
        Files.writeString(odd, "x");
        write(dir.resolve("plain"));
        TreeSourceReader reader = new TreeSourceReader(null, new TreeFileFormat(dir));
        reader.addSplits(List.of(DirectorySplit.directory(FilePaths.encode(dir))));
        reader.notifyNoMoreSplits();
        Collect out = new Collect();
        reader.pollNext(out);
        List<DirectorySplit> state = reader.snapshotState(1);
        byte[] bytes = DirectorySplitSerializer.INSTANCE.serialize(state.get(0));
        DirectorySplit back = DirectorySplitSerializer.INSTANCE.deserialize(1, bytes);
        assertThat(back).isEqualTo(state.get(0));
        assertThat(out.paths()).containsExactly(dir + "/bad%FFname");
        assertThat(Files.exists(FilePaths.decode(back.after()))).isTrue();
    }

    @Test
    void splitSerializerVersion1GoldenBytes() throws Exception {
        DirectorySplit split = new DirectorySplit("/a/b", false, "/a/b/c");
        byte[] golden = HexFormat.of().parseHex("000000042f612f620001000000062f612f622f63");
        assertThat(DirectorySplitSerializer.INSTANCE.serialize(split)).isEqualTo(golden);
        assertThat(DirectorySplitSerializer.INSTANCE.deserialize(1, golden)).isEqualTo(split);
        byte[] entry = HexFormat.of().parseHex("000000022f78" + "01" + "00");
        assertThat(DirectorySplitSerializer.INSTANCE.deserialize(1, entry))
                .isEqualTo(DirectorySplit.entry("/x"));
        assertThatThrownBy(() -> DirectorySplitSerializer.INSTANCE.deserialize(2, golden))
                .hasMessageContaining("unknown DirectorySplit serializer version 2");
    }

    @Test
    void enumeratorStateSerializerVersion1GoldenBytes() throws Exception {
        TreeEnumeratorState state =
                new TreeEnumeratorState(List.of("/p"), List.of(DirectorySplit.entry("/q")));
        byte[] golden =
                HexFormat.of()
                        .parseHex("00000001" + "000000022f70" + "00000001" + "000000022f710100");
        assertThat(TreeEnumeratorStateSerializer.INSTANCE.serialize(state)).isEqualTo(golden);
        assertThat(TreeEnumeratorStateSerializer.INSTANCE.deserialize(1, golden)).isEqualTo(state);
        assertThatThrownBy(() -> TreeEnumeratorStateSerializer.INSTANCE.deserialize(0, golden))
                .hasMessageContaining("unknown TreeEnumeratorState serializer version 0");
    }

    @Test
    void aCacheIndexIsOneSplitWhoseCursorIsTheNumberOfEntriesRead() throws Exception {
        Path cache = tmp.resolve("cache");
        StringBuilder index = new StringBuilder("{\"entries\": {");
        for (int i = 0; i < 5; i++) {
            write(cache.resolve("n" + i + "/output.bin"));
            index.append(i == 0 ? "" : ",")
                    .append("\"n" + i + "\": {\"output_path\": \"n" + i + "/output.bin\"}");
        }
        Files.writeString(cache.resolve("index.json"), index.append("}}").toString());
        Path indexFile = cache.resolve("index.json");
        String key = FilePaths.encode(indexFile);
        io.artdag.l1.source.ArtdagIndexFormat format =
                new io.artdag.l1.source.ArtdagIndexFormat(cache);
        TreeSourceReader reader = new TreeSourceReader(null, format);
        reader.addSplits(List.of(DirectorySplit.entry(key)));
        Collect out = new Collect();
        reader.pollNext(out);
        reader.pollNext(out);
        List<DirectorySplit> state = reader.snapshotState(3);
        assertThat(state).containsExactly(DirectorySplit.entry(key).after("2"));
        reader.close();

        TreeSourceReader restored = new TreeSourceReader(null, format);
        restored.addSplits(state);
        restored.notifyNoMoreSplits();
        Collect rest = new Collect();
        while (restored.pollNext(rest) != InputStatus.END_OF_INPUT) {}
        assertThat(out.paths())
                .containsExactly(
                        cache.resolve("n0/output.bin").toString(),
                        cache.resolve("n1/output.bin").toString());
        assertThat(rest.paths())
                .containsExactly(
                        cache.resolve("n2/output.bin").toString(),
                        cache.resolve("n3/output.bin").toString(),
                        cache.resolve("n4/output.bin").toString());
    }

    /** Collects what a reader emits. */
    private static final class Collect implements ReaderOutput<FileRef> {
        final List<FileRef> refs = new ArrayList<>();

        List<String> paths() {
            return refs.stream().map(r -> r.path).collect(Collectors.toList());
        }

        @Override
        public void collect(FileRef record) {
            refs.add(record);
        }

        @Override
        public void collect(FileRef record, long timestamp) {
            refs.add(record);
        }

        @Override
        public void emitWatermark(org.apache.flink.api.common.eventtime.Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public SourceOutput<FileRef> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }
}
