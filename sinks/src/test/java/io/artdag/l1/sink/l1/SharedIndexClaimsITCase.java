package io.artdag.l1.sink.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.operators.ClaimCheck.Status;
import io.artdag.l1.postgres.ProvenanceStore;
import io.artdag.l1.postgres.ProvenanceStoreOptions;
import io.artdag.l1.testing.TestServices;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * Dedup's re-check of a content another run had claimed, against the real Redis and PostgreSQL: it
 * is stored elsewhere when {@code ipfs_index} or (only) artdag's {@code cache_items} names it, as
 * the lookup before Dedup decides. Own key prefix and schema per test.
 */
class SharedIndexClaimsITCase {
    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "b".repeat(64);
    private static final String HASH_C = "c".repeat(64);

    private String prefix;
    private String schema;
    private RedisClient redis;

    @BeforeEach
    void connect() {
        prefix = "l1-claims-test:" + UUID.randomUUID() + ":";
        schema = "claims_test_" + UUID.randomUUID().toString().replace("-", "");
        redis = RedisClient.create(URI.create(TestServices.get("L1_REDIS_URL")));
        new ProvenanceStore(settings().postgres()).migrate();
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (RedisClient r = redis) {
            String[] keys = r.keys(prefix + "*").toArray(String[]::new);
            if (keys.length > 0) {
                r.del(keys);
            }
        }
        try (Connection c = postgres();
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private L1Settings settings() {
        Configuration c = new Configuration();
        c.set(L1Options.REDIS_URL, TestServices.get("L1_REDIS_URL"));
        c.set(L1Options.REDIS_KEY_PREFIX, prefix);
        c.set(L1Options.RUN_ID, "claims-run");
        c.set(L1Options.POSTGRES_URL, TestServices.get("L1_PG_URL"));
        c.set(L1Options.POSTGRES_USER, TestServices.get("L1_PG_USER"));
        c.set(L1Options.POSTGRES_PASSWORD, TestServices.get("L1_PG_PASSWORD"));
        c.set(L1Options.POSTGRES_SCHEMA, schema);
        return L1Settings.fromConfig(c).validate();
    }

    private Connection postgres() throws Exception {
        ProvenanceStoreOptions o = settings().postgres();
        Connection c = DriverManager.getConnection(o.jdbcUrl(), o.user(), o.password());
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
        }
        return c;
    }

    private void heldByAnotherRun(String hash) {
        redis.set(
                prefix + "claim:" + hash,
                "{\"cache_id\":\""
                        + hash
                        + "\",\"status\":\"running\",\"worker_id\":\"another-run\"}",
                SetParams.setParams().px(300_000));
    }

    @Test
    void aHeldContentThatOnlyCacheItemsNamesIsStoredElsewhere() throws Exception {
        for (String h : new String[] {HASH_A, HASH_B}) {
            heldByAnotherRun(h);
        }
        try (Connection c = postgres();
                Statement s = c.createStatement()) {
            s.execute(
                    "INSERT INTO cache_items (content_hash, ipfs_cid) VALUES ('"
                            + HASH_A
                            + "', 'bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am')");
        }
        SharedIndexClaims claims = new SharedIndexClaims(settings());
        claims.open();
        try {
            assertThat(claims.check(HASH_A, false)).isEqualTo(Status.STORED_ELSEWHERE);
            assertThat(claims.check(HASH_B, true)).isEqualTo(Status.HELD);
            assertThat(claims.check(HASH_C, true)).isEqualTo(Status.OURS);
        } finally {
            claims.close();
        }
        SharedIndexClaims redisOnly = new SharedIndexClaims(settings(), false);
        redisOnly.open();
        try {
            assertThat(redisOnly.check(HASH_A, true)).isEqualTo(Status.HELD);
        } finally {
            redisOnly.close();
        }
    }
}
