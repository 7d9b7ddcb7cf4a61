package io.artdag.l1.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.store.StoreRepair;
import io.artdag.l1.store.StoreVerifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON form of {@code l1 verify}'s report (and repair), with the text form's facts. */
final class VerifyJson {
    private VerifyJson() {}

    static Map<String, Object> report(Map<String, Object> doc, Path root, StoreVerifier.Report r) {
        Map<String, Object> m = head(root, r.consistent());
        m.put("segments", r.segments());
        m.put("blocks", r.blocks());
        m.put("contents", r.contents());
        m.put("bytes_verified", r.bytesVerified());
        m.put("sightings_elsewhere", r.sightingsElsewhere());
        m.put("problems", r.problems());
        m.put("notes", r.notes());
        m.putAll(doc);
        return m;
    }

    /** The index cannot be read: inconsistent, the reason as the one problem, no counts. */
    static Map<String, Object> unreadableIndex(Map<String, Object> doc, Path root, String why) {
        Map<String, Object> m = head(root, false);
        m.put("problems", List.of(why));
        m.put("notes", List.of("the store index cannot be read; run l1 verify --repair"));
        m.putAll(doc);
        return m;
    }

    static Map<String, Object> repair(StoreRepair.Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("changed", r.changedAnything());
        m.put("index_rebuilt", r.indexRebuilt());
        m.put("index_problem", r.indexProblem());
        m.put(
                "index_moved_to",
                r.indexMovedTo() == null ? null : r.indexMovedTo().getFileName().toString());
        m.put("adopted_segments", r.adoptedSegments());
        m.put("recovered_contents", r.recoveredContents().size());
        m.put("segment_problems", r.segmentProblems());
        m.put(
                "dropped_contents",
                r.droppedContents().stream()
                        .map(
                                d -> {
                                    Map<String, Object> e = new LinkedHashMap<>();
                                    e.put("content_hash", d.contentHash());
                                    e.put("reason", d.reason());
                                    return e;
                                })
                        .toList());
        m.put("rewritten_segments", r.rewrittenSegments());
        m.put("blocks_removed", r.blocksRemoved());
        m.put("blocks_added", r.blocksAdded());
        m.put("torn_files_removed", r.cleaned().tornFiles());
        m.put("uncommitted_segments_removed", r.cleaned().orphanStaged());
        m.put("unindexed_segments_removed", r.cleaned().orphanSegments());
        m.put("discarded_unfinished_run", r.discardedUnfinishedRun());
        m.put("notes", r.notes());
        return m;
    }

    static void print(PrintWriter out, Map<String, Object> m) throws Exception {
        out.println(new ObjectMapper().writeValueAsString(m));
        out.flush();
    }

    private static Map<String, Object> head(Path root, boolean consistent) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("store", root.toString());
        m.put("consistent", consistent);
        return m;
    }
}
