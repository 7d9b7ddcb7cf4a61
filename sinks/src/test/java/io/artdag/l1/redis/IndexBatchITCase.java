package io.artdag.l1.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.redis.IndexBatch.ClaimAnswer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * {@link IndexBatch} against the real Redis ({@code L1_REDIS_URL}): many contents per {@code HMGET}
 * and per claim script call, each claim decided as {@link RedisIndex#claim} decides it. Own key
 * prefix per test, deleted afterwards.
 */
class IndexBatchITCase {
    private String prefix;
    private RedisIndex index;
    private IndexBatch batch;
    private RedisClient raw;

    @BeforeEach
    void open() {
        String url = RedisIndexITCase.redisUrl();
        prefix = "artdag-batch-test:" + UUID.randomUUID() + ":";
        index = new RedisIndex(RedisIndexOptions.builder().redisUrl(url).keyPrefix(prefix).build());
        batch = new IndexBatch(index);
        raw = RedisClient.create(java.net.URI.create(url));
    }

    @AfterEach
    void cleanUp() {
        Set<String> keys = raw.keys(prefix + "*");
        if (!keys.isEmpty()) {
            raw.del(keys.toArray(String[]::new));
        }
        raw.close();
        index.close();
    }

    private void claimAs(String id, String owner, String status) {
        raw.set(
                index.claimKey(id),
                "{\"cache_id\":\""
                        + id
                        + "\",\"status\":\""
                        + status
                        + "\",\"worker_id\":\""
                        + owner
                        + "\"}",
                SetParams.setParams().px(100_000));
    }

    @Test
    void ipfsCidsNamesWhatTheIndexHoldsInOneCall() {
        raw.hset(index.ipfsIndexKey(), "h1", "bafy1");
        raw.hset(index.ipfsIndexKey(), "h3", "bafy3");

        assertThat(batch.ipfsCids(List.of("h1", "h2", "h3", "h1")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("h1", "bafy1", "h3", "bafy3"));
        assertThat(batch.ipfsCids(List.of())).isEmpty();
    }

    @Test
    void claimEachDecidesEveryKeyAsClaimDoes() throws Exception {
        claimAs("ours", "job-A", "claimed");
        claimAs("held", "job-B", "running");
        claimAs("done", "job-B", "completed");
        claimAs("failed", "job-B", "failed");
        raw.set(index.claimKey("corrupt"), "not json");

        List<ClaimAnswer> answers =
                batch.claimEach(
                        List.of("new", "ours", "held", "done", "failed", "corrupt"), "job-A");

        assertThat(answers)
                .extracting(ClaimAnswer::cacheId)
                .containsExactly("new", "ours", "held", "done", "failed", "corrupt");
        assertThat(answers.subList(0, 5))
                .extracting(a -> a.get().outcome())
                .containsExactly(
                        ClaimResult.Outcome.CLAIMED,
                        ClaimResult.Outcome.ALREADY_OURS,
                        ClaimResult.Outcome.HELD_BY_OTHER,
                        ClaimResult.Outcome.DONE,
                        ClaimResult.Outcome.CLAIMED);
        assertThatThrownBy(() -> answers.get(5).get())
                .isInstanceOf(RedisIndexException.class)
                .hasMessageContaining(index.claimKey("corrupt"))
                .hasMessageContaining("unreadable");

        // a new claim as RedisIndex.claim writes it: artdag's fields, claimTtl (300 s)
        for (String id : List.of("new", "failed")) {
            Claim c = index.claimOf(id).orElseThrow();
            assertThat(c.owner()).isEqualTo("job-A");
            assertThat(c.fields())
                    .containsOnlyKeys("cache_id", "status", "worker_id", "claimed_at", "updated_at")
                    .containsEntry("cache_id", id)
                    .containsEntry("status", "claimed");
            assertThat(raw.pttl(index.claimKey(id))).isBetween(290_000L, 300_000L);
        }
        assertThat(raw.pttl(index.claimKey("ours"))).isBetween(290_000L, 300_000L); // refreshed
        assertThat(raw.pttl(index.claimKey("held"))).isLessThanOrEqualTo(100_000L); // untouched
        assertThat(index.claimOf("held").orElseThrow().owner()).isEqualTo("job-B");
        assertThat(raw.get(index.claimKey("corrupt"))).isEqualTo("not json");
        // the single claim agrees with the batch
        assertThat(index.claim("new", "job-A").outcome())
                .isEqualTo(ClaimResult.Outcome.ALREADY_OURS);
    }
}
