package io.artdag.l1.sink.l1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The settings chain of l1 mode: each client's options from its own keys, no secret printed. */
class L1SettingsTest {

    @Test
    void eachClientReadsItsOwnOptionsAndNoPasswordIsPrinted() {
        Configuration c = new Configuration();
        c.set(L1Options.KUBO_API, "/ip4/10.0.0.7/tcp/5001");
        c.set(L1Options.REDIS_URL, "redis://user:redis-secret@10.0.0.8:6380/5");
        c.set(L1Options.REDIS_KEY_PREFIX, "t:");
        c.set(L1Options.POSTGRES_URL, "postgresql://pguser:pg-secret@10.0.0.9:5433/artdag");
        c.set(L1Options.POSTGRES_SCHEMA, "s1");
        c.set(L1Options.RUN_ID, "run-7");
        c.set(L1Options.OUTAGE_LIMIT, Duration.ofSeconds(3));

        L1Settings s = L1Settings.fromConfig(c, Map.of()).validate();

        assertThat(s.kubo().apiUrl()).hasToString("http://10.0.0.7:5001");
        assertThat(s.redis().port()).isEqualTo(6380);
        assertThat(s.redis().database()).isEqualTo(5);
        assertThat(s.redis().keyPrefix()).isEqualTo("t:");
        assertThat(s.postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.9:5433/artdag");
        assertThat(s.postgres().user()).isEqualTo("pguser");
        assertThat(s.postgres().password()).isEqualTo("pg-secret");
        assertThat(s.postgres().schema()).isEqualTo("s1");
        assertThat(s.owner()).isEqualTo("run-7");
        assertThat(s.outageLimit()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.toString()).doesNotContain("redis-secret").doesNotContain("pg-secret");
    }

    @Test
    void aReaderTakesNoClaimsAndWaitsOutNoOutage() {
        L1Settings r = L1Settings.fromConfig(new Configuration(), Map.of()).forReader("l1-get");
        assertThat(r.owner()).isEqualTo("l1-get");
        assertThat(r.outageLimit()).isZero();
        assertThat(r.claimWait()).isZero();
    }

    @Test
    void blankOrMissingSettingsNameTheirOption() {
        Configuration blank = new Configuration();
        blank.set(L1Options.REDIS_URL, " ");
        assertThatThrownBy(() -> L1Settings.fromConfig(blank, Map.of()))
                .hasMessage("l1 mode needs l1.redis.url");
        assertThatThrownBy(() -> L1Settings.fromConfig(new Configuration(), Map.of()).validate())
                .hasMessage("l1 mode needs l1.run-id");
        Configuration negative = new Configuration();
        negative.set(L1Options.RUN_ID, "r");
        negative.set(L1Options.OUTAGE_LIMIT, Duration.ofSeconds(-1));
        assertThatThrownBy(() -> L1Settings.fromConfig(negative, Map.of()).validate())
                .hasMessage("l1.publish.outage-limit must be >= 0");
    }
}
