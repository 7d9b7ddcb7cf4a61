package io.artdag.l1.sink.l1;

import io.artdag.l1.redis.ClaimStatus;
import io.artdag.l1.redis.ContentMapping;
import io.artdag.l1.redis.PutResult;
import io.artdag.l1.redis.TransitionResult;
import io.artdag.l1.store.ContentRecord;
import io.artdag.l1.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names the batch's contents in artdag's Redis indexes ({@code content_index}, {@code ipfs_index};
 * the first mapping wins, a different one is an error) and completes this run's claims on them.
 * Runs only after the steps that make the blocks durable.
 */
final class RedisIndexStep implements PublishStep {
    private static final Logger LOG = LoggerFactory.getLogger(RedisIndexStep.class);

    private final L1Clients clients;

    RedisIndexStep(L1Clients clients) {
        this.clients = clients;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public void publish(PublishContext ctx) throws StoreException {
        List<ContentMapping> mappings = new ArrayList<>();
        for (ContentRecord c : ctx.batch().contents()) {
            mappings.add(
                    new ContentMapping(
                            c.contentHash(),
                            c.nodeId() == null ? c.contentHash() : c.nodeId(),
                            c.rootCid()));
        }
        List<PutResult> puts = clients.redis().putContents(mappings);
        for (int i = 0; i < puts.size(); i++) {
            if (puts.get(i).outcome() == PutResult.Outcome.CONFLICT) {
                throw new StoreException(
                        "Redis already maps content "
                                + mappings.get(i).contentHash()
                                + " to "
                                + puts.get(i).ipfsCid()
                                + ", not "
                                + mappings.get(i).ipfsCid());
            }
        }
        // Our claims on these contents are done; the result lives resultTtl (1 h).
        for (ContentRecord c : ctx.batch().contents()) {
            TransitionResult t =
                    clients.redis()
                            .transition(
                                    c.contentHash(),
                                    clients.settings().owner(),
                                    ClaimStatus.COMPLETED,
                                    Map.of("ipfs_cid", c.rootCid()));
            if (t.outcome() != TransitionResult.Outcome.OK) {
                LOG.warn(
                        "Claim on {} was not ours to complete ({}); the content is stored and"
                                + " indexed regardless",
                        c.contentHash(),
                        t.outcome());
            }
        }
    }
}
