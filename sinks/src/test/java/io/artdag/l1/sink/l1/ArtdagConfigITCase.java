package io.artdag.l1.sink.l1;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.kubo.KuboTestOps;
import io.artdag.l1.postgres.ProvenanceStore;
import io.artdag.l1.postgres.ProvenanceTestOps;
import io.artdag.l1.redis.RedisIndex;
import io.artdag.l1.redis.RedisTestOps;
import io.artdag.l1.testing.TestServices;
import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The real services reached through artdag's own configuration forms (docs/design.md, "artdag
 * compatibility"): {@code IPFS_API=/ip4/HOST/tcp/PORT}, {@code redis://HOST:PORT/5}, {@code
 * postgresql://user:pass@HOST:PORT/artdag}.
 */
class ArtdagConfigITCase {
    @Test
    void seedFormsReachTheRealServices() throws Exception {
        URI kubo = URI.create(TestServices.get("L1_KUBO_API"));
        URI redis = URI.create(TestServices.get("L1_REDIS_URL"));
        URI pg = URI.create(TestServices.get("L1_PG_URL").substring("jdbc:".length()));
        String multiaddr = "/ip4/" + kubo.getHost() + "/tcp/" + kubo.getPort();
        String redisUrl = "redis://" + redis.getHost() + ":" + redis.getPort() + "/5";
        String pgUrl =
                "postgresql://"
                        + TestServices.get("L1_PG_USER")
                        + ":"
                        + TestServices.get("L1_PG_PASSWORD")
                        + "@"
                        + pg.getHost()
                        + ":"
                        + pg.getPort()
                        + pg.getPath();
        String schema = "artdag_cfg_" + UUID.randomUUID().toString().replace("-", "");
        String prefix = "artdagcfg-" + UUID.randomUUID() + ":";
        Configuration config = new Configuration();
        config.set(L1Options.KUBO_API, multiaddr);
        config.set(L1Options.REDIS_URL, redisUrl);
        config.set(L1Options.REDIS_KEY_PREFIX, prefix);
        config.set(L1Options.POSTGRES_URL, pgUrl);
        config.set(L1Options.POSTGRES_USER, "not-the-url-user");
        config.set(L1Options.POSTGRES_SCHEMA, schema);
        L1Settings s = L1Settings.fromConfig(config).forReader("artdag-config-it").validate();
        assertThat(s.toString()).doesNotContain(TestServices.get("L1_PG_PASSWORD") + "@");

        assertThat(KuboTestOps.version(new KuboClient(s.kubo())).version()).isNotBlank();

        String hash = "ab".repeat(32);
        try (RedisIndex index = new RedisIndex(s.redis())) {
            RedisTestOps.putContent(index, hash, "node-1", "bafkqaaa");
            assertThat(index.ipfsCid(hash)).contains("bafkqaaa");
        }
        try (Jedis j = new Jedis(redis.getHost(), redis.getPort())) {
            j.select(5);
            assertThat(j.hget(prefix + "ipfs_index", hash)).isEqualTo("bafkqaaa");
            j.del(prefix + "ipfs_index", prefix + "content_index");
            j.select(0);
            assertThat(j.hget(prefix + "ipfs_index", hash)).isNull();
        }

        ProvenanceStore store = new ProvenanceStore(s.postgres());
        try {
            assertThat(store.migrate()).isPositive();
        } finally {
            try (Connection c = ProvenanceTestOps.connect(store);
                    Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
