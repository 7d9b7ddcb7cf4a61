package io.artdag.l1.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.testing.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * l1 mode's {@link L1StoreBuilder#build()} against the real services: one that does not answer is
 * named with its option and address before the store is touched; when all answer, PostgreSQL's
 * schema is migrated and a run id is set.
 */
class L1StoreServicesITCase {

    @TempDir Path tmp;

    private static L1StoreBuilder l1(Path store, String ns) {
        return L1Store.builder()
                .setStorePath(store)
                .setMode("l1")
                .set(L1Options.KUBO_API, TestServices.get("L1_KUBO_API"))
                .set(L1Options.REDIS_URL, TestServices.get("L1_REDIS_URL"))
                .set(L1Options.REDIS_KEY_PREFIX, ns + ":")
                .set(L1Options.POSTGRES_URL, TestServices.get("L1_PG_URL"))
                .set(L1Options.POSTGRES_USER, TestServices.get("L1_PG_USER"))
                .set(L1Options.POSTGRES_PASSWORD, TestServices.get("L1_PG_PASSWORD"))
                .set(L1Options.POSTGRES_SCHEMA, ns);
    }

    @Test
    void anUnreachableKuboIsNamed() {
        Path store = tmp.resolve("s");
        assertThatThrownBy(
                        () ->
                                l1(store, "l1conn_unused")
                                        .set(L1Options.KUBO_API, "http://127.0.0.1:1")
                                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "l1 store: l1 mode cannot reach Kubo at http://127.0.0.1:1 (l1.kubo.api): ");
        assertThat(store).doesNotExist();
    }

    @Test
    void anUnreachablePostgresIsNamed() {
        Path store = tmp.resolve("s");
        assertThatThrownBy(
                        () ->
                                l1(store, "l1conn_unused")
                                        .set(
                                                L1Options.POSTGRES_URL,
                                                "jdbc:postgresql://127.0.0.1:1/artdag")
                                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "l1 store: l1 mode cannot reach PostgreSQL at"
                                + " jdbc:postgresql://127.0.0.1:1/artdag (l1.postgres.url): ");
        assertThat(store).doesNotExist();
    }

    @Test
    void whenEveryServiceAnswersTheSchemaIsMigratedAndARunIdSet() throws Exception {
        String ns = "l1conn_" + Long.toHexString(System.nanoTime());
        L1Store store = l1(tmp.resolve("s"), ns).build();
        assertThat(store.mode()).isEqualTo("l1");
        assertThat(store.runId()).hasValueSatisfying(r -> assertThat(r).isNotBlank());
        assertThat(tmp.resolve("s/index.db")).isRegularFile();
        try (Connection c =
                        DriverManager.getConnection(
                                TestServices.get("L1_PG_URL"),
                                TestServices.get("L1_PG_USER"),
                                TestServices.get("L1_PG_PASSWORD"));
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT count(*) FROM information_schema.tables"
                                                + " WHERE table_schema = '"
                                                + ns
                                                + "' AND table_name = 'cache_items'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("cache_items in schema " + ns).isEqualTo(1);
        }
        // a run id given is kept
        assertThat(l1(tmp.resolve("t"), ns).set(L1Options.RUN_ID, "my-run").build().runId())
                .hasValue("my-run");
    }
}
