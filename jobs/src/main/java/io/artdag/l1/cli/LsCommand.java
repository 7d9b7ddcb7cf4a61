package io.artdag.l1.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoredContent;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.flink.annotation.Internal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code l1 ls}: lists every content of a local store, streamed from its index. */
@Command(
        name = "ls",
        mixinStandardHelpOptions = true,
        description = {
            "List every stored content, sorted by content hash, one line each:"
                    + " CONTENT_HASH<TAB>CID<TAB>SIZE<TAB>NODE_IDS<TAB>STORED_AT.",
            "NODE_IDS are the node ids of the outputs seen producing it, comma-separated (- if"
                    + " none); STORED_AT is when the index commit that recorded it ran (ISO-8601,"
                    + " UTC; - if unknown).",
            "Reads the index only, in one snapshot; works while an ingest runs (what it has not"
                    + " committed yet is not listed)."
        })
@Internal
public final class LsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Option(
            names = "--json",
            description = "Print one JSON array of {content_hash, cid, size, node_ids, stored_at}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (LocalStore s = LocalStore.openExisting(store.path())) {
            if (json) {
                try (JsonGenerator g =
                        new JsonFactory()
                                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                                .createGenerator(out)) {
                    g.writeStartArray();
                    s.index().forEachStoredContent(c -> writeJson(g, c));
                    g.writeEndArray();
                }
                out.println();
            } else {
                s.index().forEachStoredContent(c -> out.println(line(c)));
            }
        } finally {
            out.flush();
        }
        return 0;
    }

    static String line(StoredContent c) {
        return c.contentHash()
                + "\t"
                + c.rootCid()
                + "\t"
                + c.size()
                + "\t"
                + (c.nodeIds().isEmpty() ? "-" : String.join(",", c.nodeIds()))
                + "\t"
                + (c.storedAt() == null ? "-" : c.storedAt());
    }

    private static void writeJson(JsonGenerator g, StoredContent c) throws java.io.IOException {
        g.writeStartObject();
        g.writeStringField("content_hash", c.contentHash());
        g.writeStringField("cid", c.rootCid());
        g.writeNumberField("size", c.size());
        g.writeArrayFieldStart("node_ids");
        for (String id : c.nodeIds()) {
            g.writeString(id);
        }
        g.writeEndArray();
        if (c.storedAt() == null) {
            g.writeNullField("stored_at");
        } else {
            g.writeStringField("stored_at", c.storedAt());
        }
        g.writeEndObject();
    }
}
