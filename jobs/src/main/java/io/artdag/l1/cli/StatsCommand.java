package io.artdag.l1.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreStats;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.annotation.Internal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code l1 stats}: what a store holds. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Describe a store.")
@Internal
public final class StatsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOption store;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        StoreStats s;
        try (LocalStore st = LocalStore.openExisting(store.path())) {
            s = st.index().stats();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("store", store.path().toAbsolutePath().normalize().toString());
        m.put("unique_contents", s.uniqueContents());
        m.put("duplicates", s.duplicates());
        m.put("rejected", s.rejected());
        m.put("segments", s.segments());
        m.put("stored_bytes", s.storedBytes());
        m.put("content_bytes", s.contentBytes());
        m.put("blocks", s.blocks());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(m));
        } else {
            m.forEach((k, v) -> out.printf("%-16s %s%n", k, v));
        }
        out.flush();
        return 0;
    }
}
