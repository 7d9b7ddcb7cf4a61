package io.artdag.l1.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import io.artdag.l1.testing.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Integration test against a real Redis, found through {@code L1_REDIS_URL}. Start one with {@code
 * eval "$(deploy/local/services.sh start)"}. Without the variable the test fails; it is never
 * skipped. Each test uses its own key prefix and deletes its keys afterwards.
 */
class RedisIndexITCase {
    private String url;
    private String prefix;
    private RedisIndex index;
    private RedisClient raw;

    static String redisUrl() {
        String url = TestServices.get("L1_REDIS_URL");
        if (url == null || url.isBlank()) {
            fail(
                    "L1_REDIS_URL is not set: start Redis with"
                            + " `eval \"$(deploy/local/services.sh start)\"` (or ./bin/test) and"
                            + " run the tests again");
        }
        return url;
    }

    @BeforeEach
    void open() {
        url = redisUrl();
        prefix = "artdag-test:" + UUID.randomUUID() + ":";
        index = new RedisIndex(RedisIndexOptions.builder().redisUrl(url).keyPrefix(prefix).build());
        raw = RedisClient.create(java.net.URI.create(url));
    }

    @AfterEach
    void cleanUp() {
        if (raw != null) {
            Set<String> keys = raw.keys(prefix + "*");
            if (!keys.isEmpty()) {
                raw.del(keys.toArray(String[]::new));
            }
            raw.close();
        }
        if (index != null) {
            index.close();
        }
    }

    @Test
    void optionsAreValidatedWithClearMessages() {
        assertThatThrownBy(() -> RedisIndexOptions.builder().build())
                .hasMessageContaining("redisUrl is required")
                .hasMessageContaining("L1_REDIS_URL");
        assertThatThrownBy(() -> RedisIndexOptions.builder().redisUrl("http://x:1").build())
                .hasMessageContaining("redis://");
        assertThatThrownBy(() -> RedisIndexOptions.builder().redisUrl("redis://h/abc").build())
                .hasMessageContaining("database number");
        assertThatThrownBy(
                        () ->
                                RedisIndexOptions.builder()
                                        .redisUrl("redis://h")
                                        .keyPrefix("a b")
                                        .build())
                .hasMessageContaining("keyPrefix");
        assertThatThrownBy(
                        () ->
                                RedisIndexOptions.builder()
                                        .redisUrl("redis://h")
                                        .claimTtl(Duration.ZERO)
                                        .build())
                .hasMessageContaining("claimTtl");
        assertThatThrownBy(
                        () ->
                                RedisIndexOptions.builder()
                                        .redisUrl("redis://h")
                                        .maxConnections(0)
                                        .build())
                .hasMessageContaining("maxConnections");
        RedisIndexOptions o =
                RedisIndexOptions.builder().redisUrl("redis://u:secret@example:6380/5").build();
        assertThat(o.host()).isEqualTo("example");
        assertThat(o.port()).isEqualTo(6380);
        assertThat(o.database()).isEqualTo(5);
        assertThat(o.keyPrefix()).isEqualTo("artdag:");
        assertThat(o.claimTtl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(o.resultTtl()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(o.toString()).doesNotContain("secret");
    }

    @Test
    void defaultKeysAreArtdags() {
        try (RedisIndex d = new RedisIndex(RedisIndexOptions.builder().redisUrl(url).build())) {
            assertThat(d.contentIndexKey()).isEqualTo("artdag:content_index");
            assertThat(d.ipfsIndexKey()).isEqualTo("artdag:ipfs_index");
            assertThat(d.claimKey("c1")).isEqualTo("artdag:claim:c1");
            assertThat(d.runKey("r1")).isEqualTo("artdag:run:r1");
        }
    }

    @Test
    void putContentIsIdempotentAndFirstMappingWins() {
        String h = "aa".repeat(32);
        assertThat(index.ipfsCid(h)).isEmpty();
        assertThat(RedisTestOps.putContent(index, h, "node-1", "bafyA"))
                .isEqualTo(new PutResult(PutResult.Outcome.ADDED, "node-1", "bafyA"));
        assertThat(RedisTestOps.putContent(index, h, "node-1", "bafyA").outcome())
                .isEqualTo(PutResult.Outcome.UNCHANGED);
        // a later sighting with another node id: the first node id stays
        assertThat(RedisTestOps.putContent(index, h, "node-2", "bafyA"))
                .isEqualTo(new PutResult(PutResult.Outcome.UNCHANGED, "node-1", "bafyA"));
        // a different CID is refused, nothing changes
        assertThat(RedisTestOps.putContent(index, h, "node-3", "bafyB"))
                .isEqualTo(new PutResult(PutResult.Outcome.CONFLICT, "node-1", "bafyA"));
        assertThat(index.ipfsCid(h)).contains("bafyA");
        assertThat(RedisTestOps.nodeId(index, h)).contains("node-1");
        assertThat(raw.hgetAll(prefix + "content_index")).isEqualTo(Map.of(h, "node-1"));
        assertThat(raw.hgetAll(prefix + "ipfs_index")).isEqualTo(Map.of(h, "bafyA"));
    }

    @Test
    void putContentsInBatchesLargerThanOneScriptCall() {
        List<ContentMapping> all = new ArrayList<>();
        for (int i = 0; i < 1203; i++) {
            all.add(new ContentMapping(String.format("%064x", i), "n" + i, "bafy" + i));
        }
        assertThat(index.putContents(all))
                .hasSize(1203)
                .allMatch(r -> r.outcome() == PutResult.Outcome.ADDED);
        assertThat(index.putContents(all))
                .allMatch(r -> r.outcome() == PutResult.Outcome.UNCHANGED);
        assertThat(raw.hlen(prefix + "ipfs_index")).isEqualTo(1203);
        assertThat(raw.hlen(prefix + "content_index")).isEqualTo(1203);
        assertThat(index.ipfsCid(String.format("%064x", 1202))).contains("bafy1202");
    }

    @Test
    void claimSetsClaimTtlAndJson() {
        ClaimResult r = index.claim("c1", "job-A", Map.of("content_hash", "ff"));
        assertThat(r.outcome()).isEqualTo(ClaimResult.Outcome.CLAIMED);
        assertThat(r.mine()).isTrue();
        Claim c = index.claimOf("c1").orElseThrow();
        assertThat(c.status()).isEqualTo(ClaimStatus.CLAIMED);
        assertThat(c.owner()).isEqualTo("job-A");
        assertThat(c.fields())
                .containsEntry("status", "claimed")
                .containsEntry("cache_id", "c1")
                .containsEntry("worker_id", "job-A")
                .containsEntry("content_hash", "ff")
                .containsKeys("claimed_at", "updated_at");
        assertTtl(index.claimKey("c1"), 300);
    }

    @Test
    void ownClaimIsRecognisedOthersAreRefused() throws Exception {
        assertThat(index.claim("c1", "job-A").outcome()).isEqualTo(ClaimResult.Outcome.CLAIMED);
        raw.pexpire(index.claimKey("c1"), 10_000);
        // a job restored from a checkpoint keeps its owner id and recognises its claim
        ClaimResult again = index.claim("c1", "job-A");
        assertThat(again.outcome()).isEqualTo(ClaimResult.Outcome.ALREADY_OURS);
        assertThat(again.mine()).isTrue();
        assertTtl(index.claimKey("c1"), 300); // refreshed
        ClaimResult other = index.claim("c1", "job-B");
        assertThat(other.outcome()).isEqualTo(ClaimResult.Outcome.HELD_BY_OTHER);
        assertThat(other.mine()).isFalse();
        assertThat(other.current().orElseThrow().owner()).isEqualTo("job-A");
        // running is still held
        assertThat(RedisTestOps.transition(index, "c1", "job-A", ClaimStatus.RUNNING).ok())
                .isTrue();
        assertThat(index.claim("c1", "job-A").outcome())
                .isEqualTo(ClaimResult.Outcome.ALREADY_OURS);
        assertThat(index.claim("c1", "job-B").outcome())
                .isEqualTo(ClaimResult.Outcome.HELD_BY_OTHER);
    }

    @Test
    void expiredClaimCanBeTakenOver() throws Exception {
        try (RedisIndex shortTtl =
                new RedisIndex(
                        RedisIndexOptions.builder()
                                .redisUrl(url)
                                .keyPrefix(prefix)
                                .claimTtl(Duration.ofMillis(200))
                                .build())) {
            assertThat(shortTtl.claim("c1", "job-A").outcome())
                    .isEqualTo(ClaimResult.Outcome.CLAIMED);
            assertThat(shortTtl.claim("c1", "job-B").outcome())
                    .isEqualTo(ClaimResult.Outcome.HELD_BY_OTHER);
            Thread.sleep(400);
            assertThat(shortTtl.claim("c1", "job-B").outcome())
                    .isEqualTo(ClaimResult.Outcome.CLAIMED);
            assertThat(shortTtl.claimOf("c1").orElseThrow().owner()).isEqualTo("job-B");
        }
    }

    @Test
    void concurrentClaimersExactlyOneWins() throws Exception {
        int threads = 8;
        int rounds = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                String cacheId = "race-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<ClaimResult>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String owner = "job-" + t;
                    fs.add(
                            pool.submit(
                                    () -> {
                                        start.await();
                                        return index.claim(cacheId, owner);
                                    }));
                }
                start.countDown();
                int won = 0;
                String winner = null;
                for (int t = 0; t < threads; t++) {
                    ClaimResult r = fs.get(t).get();
                    if (r.outcome() == ClaimResult.Outcome.CLAIMED) {
                        won++;
                        winner = "job-" + t;
                    } else {
                        assertThat(r.outcome()).isEqualTo(ClaimResult.Outcome.HELD_BY_OTHER);
                    }
                }
                assertThat(won).as("winners of %s", cacheId).isEqualTo(1);
                assertThat(index.claimOf(cacheId).orElseThrow().owner()).isEqualTo(winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void transitionsAndTtls() {
        index.claim("c1", "job-A");
        // only the owner moves a claim
        TransitionResult notOwner =
                RedisTestOps.transition(index, "c1", "job-B", ClaimStatus.RUNNING);
        assertThat(notOwner.outcome()).isEqualTo(TransitionResult.Outcome.NOT_OWNER);
        assertThat(index.claimOf("c1").orElseThrow().status()).isEqualTo(ClaimStatus.CLAIMED);

        assertThat(RedisTestOps.transition(index, "c1", "job-A", ClaimStatus.RUNNING).ok())
                .isTrue();
        assertThat(index.claimOf("c1").orElseThrow().status()).isEqualTo(ClaimStatus.RUNNING);
        assertTtl(index.claimKey("c1"), 300);

        TransitionResult done =
                index.transition("c1", "job-A", ClaimStatus.COMPLETED, Map.of("ipfs_cid", "bafyX"));
        assertThat(done.ok()).isTrue();
        Claim c = index.claimOf("c1").orElseThrow();
        assertThat(c.status()).isEqualTo(ClaimStatus.COMPLETED);
        assertThat(c.fields())
                .containsEntry("ipfs_cid", "bafyX")
                .containsEntry("worker_id", "job-A");
        assertTtl(index.claimKey("c1"), 3600);

        // a replay of the same final move is a no-op; going back is refused
        assertThat(RedisTestOps.transition(index, "c1", "job-A", ClaimStatus.COMPLETED).ok())
                .isTrue();
        assertThat(RedisTestOps.transition(index, "c1", "job-A", ClaimStatus.RUNNING).outcome())
                .isEqualTo(TransitionResult.Outcome.ILLEGAL);
        assertThat(RedisTestOps.transition(index, "c1", "job-A", ClaimStatus.FAILED).outcome())
                .isEqualTo(TransitionResult.Outcome.ILLEGAL);
        // done work is not claimed again, by anyone
        assertThat(index.claim("c1", "job-B").outcome()).isEqualTo(ClaimResult.Outcome.DONE);
        assertThat(index.claim("c1", "job-A").outcome()).isEqualTo(ClaimResult.Outcome.DONE);

        assertThat(RedisTestOps.transition(index, "nope", "job-A", ClaimStatus.RUNNING).outcome())
                .isEqualTo(TransitionResult.Outcome.MISSING);
        assertThatThrownBy(() -> RedisTestOps.transition(index, "c1", "job-A", ClaimStatus.PENDING))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyFinalStatusUsesResultTtlAndOnlyFailedIsReclaimable() {
        for (ClaimStatus s :
                List.of(
                        ClaimStatus.COMPLETED,
                        ClaimStatus.CACHED,
                        ClaimStatus.FAILED,
                        ClaimStatus.SKIPPED)) {
            String id = "f-" + s.wire();
            index.claim(id, "job-A");
            // straight from claimed (e.g. dedup finds the content already stored)
            assertThat(RedisTestOps.transition(index, id, "job-A", s).ok()).isTrue();
            assertThat(index.claimOf(id).orElseThrow().status()).isEqualTo(s);
            assertTtl(index.claimKey(id), 3600);
            ClaimResult next = index.claim(id, "job-B");
            if (s == ClaimStatus.FAILED) {
                assertThat(next.outcome()).isEqualTo(ClaimResult.Outcome.CLAIMED);
                assertTtl(index.claimKey(id), 300);
            } else {
                assertThat(next.outcome()).isEqualTo(ClaimResult.Outcome.DONE);
            }
        }
    }

    @Test
    void pendingClaimIsClaimable() {
        raw.set(
                index.claimKey("p1"),
                "{\"cache_id\":\"p1\",\"status\":\"pending\",\"worker_id\":\"queue\"}");
        assertThat(index.claim("p1", "job-A").outcome()).isEqualTo(ClaimResult.Outcome.CLAIMED);
        raw.set(index.claimKey("bad"), "not json");
        assertThatThrownBy(() -> index.claim("bad", "job-A"))
                .isInstanceOf(RedisIndexException.class)
                .hasMessageContaining("unreadable");
    }

    @Test
    void runStatusMergesAndKeepsStartedAt() throws Exception {
        Map<String, Object> first =
                RedisTestOps.setRunStatus(index, "r1", "running", Map.of("job", "ingest"));
        assertThat(first)
                .containsEntry("run_id", "r1")
                .containsEntry("status", "running")
                .containsEntry("job", "ingest")
                .containsKeys("started_at", "updated_at");
        Thread.sleep(5);
        Map<String, Object> second =
                RedisTestOps.setRunStatus(index, "r1", "completed", Map.of("contents", "12"));
        assertThat(second)
                .containsEntry("status", "completed")
                .containsEntry("job", "ingest")
                .containsEntry("contents", "12")
                .containsEntry("started_at", first.get("started_at"));
        assertThat(second.get("updated_at")).isNotEqualTo(first.get("updated_at"));
        assertThat(RedisTestOps.runStatus(index, "r1")).contains(second);
        assertThat(RedisTestOps.pttl(index, index.runKey("r1"))).isEqualTo(-1);
        assertThat(RedisTestOps.runStatus(index, "none")).isEmpty();
    }

    @Test
    void anEndedRunExpiresAndARunningOneDoesNot() {
        index.setRunStatus("r2", "running", Map.of(), null);
        assertThat(RedisTestOps.pttl(index, index.runKey("r2"))).isEqualTo(-1);
        index.setRunStatus("r2", "completed", Map.of(), java.time.Duration.ofDays(7));
        assertThat(RedisTestOps.pttl(index, index.runKey("r2")))
                .isGreaterThan(java.time.Duration.ofDays(6).toMillis())
                .isLessThanOrEqualTo(java.time.Duration.ofDays(7).toMillis());
        // Running again (a resumed run): the status no longer expires.
        index.setRunStatus("r2", "running", Map.of(), null);
        assertThat(RedisTestOps.pttl(index, index.runKey("r2"))).isEqualTo(-1);
    }

    @Test
    void unreachableRedisIsUnavailable() {
        try (RedisIndex down =
                new RedisIndex(
                        RedisIndexOptions.builder()
                                .redisUrl("redis://127.0.0.1:1")
                                .connectTimeout(Duration.ofMillis(300))
                                .build())) {
            assertThatThrownBy(down::ping)
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:1");
        }
    }

    private void assertTtl(String key, long seconds) {
        assertThat(raw.ttl(key)).isBetween(seconds - 2, seconds);
        assertThat(RedisTestOps.pttl(index, key)).isBetween((seconds - 2) * 1000, seconds * 1000);
    }
}
