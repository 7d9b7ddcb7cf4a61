package io.artdag.l1.sink.l1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.postgres.ProvenanceRows;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.Sighting;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records artdag's {@code run_cache} row of every output of the batch whose producer named a run,
 * with the output's CID: the batch's own for new contents, else the one Redis {@code ipfs_index}
 * (or the local index) names, which are named only once pinned. The first row of a run id wins.
 */
final class RunCacheStep implements PublishStep {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final L1Clients clients;

    RunCacheStep(L1Clients clients) {
        this.clients = clients;
    }

    @Override
    public String name() {
        return "postgresql run_cache";
    }

    @Override
    public void publish(PublishContext ctx) throws IOException {
        List<ProvenanceRows.RunCache> rows = new ArrayList<>();
        Map<String, String> cids = new HashMap<>();
        for (ContentRecord c : ctx.batch().contents()) {
            cids.put(c.contentHash(), c.rootCid());
        }
        for (Sighting s : ctx.batch().sightings()) {
            if (s.run() == null) {
                continue;
            }
            JsonNode run = JSON.readTree(s.run());
            String cid = cids.get(s.contentHash());
            if (cid == null) {
                cid = clients.redis().ipfsCid(s.contentHash()).orElse(null);
            }
            if (cid == null) {
                cid =
                        ctx.store()
                                .index()
                                .content(s.contentHash())
                                .map(ContentRecord::rootCid)
                                .orElse(null);
            }
            JsonNode inputs = run.get("inputs");
            rows.add(
                    new ProvenanceRows.RunCache(
                            run.path("run_id").asText(),
                            s.contentHash(),
                            cid,
                            text(run, "recipe"),
                            inputs == null || inputs.isNull() ? null : inputs.toString(),
                            text(run, "actor_id")));
        }
        if (!rows.isEmpty()) {
            clients.provenance().recordRuns(rows);
        }
    }

    private static String text(JsonNode run, String field) {
        return run.hasNonNull(field) ? run.get(field).asText() : null;
    }
}
