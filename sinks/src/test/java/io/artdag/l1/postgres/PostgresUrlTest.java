package io.artdag.l1.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * artdag's DATABASE_URL form (docs/design.md, "artdag compatibility": {@code
 * postgresql://user:pass@host/artdag}).
 */
class PostgresUrlTest {
    @Test
    void seedFormIsSplitIntoJdbcUrlAndCredentials() {
        PostgresUrl u = PostgresUrl.parse("postgresql://user:pass@host/artdag");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://host/artdag");
        assertThat(u.user()).isEqualTo("user");
        assertThat(u.password()).isEqualTo("pass");
        assertThat(u.toString()).doesNotContain("pass}").contains("password=***");
    }

    @Test
    void portQueryAndPercentEncodedPassword() {
        PostgresUrl u =
                PostgresUrl.parse("postgres://art%40dag:p%3Aw+d@db:5433/artdag?sslmode=require");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5433/artdag?sslmode=require");
        assertThat(u.user()).isEqualTo("art@dag");
        assertThat(u.password()).isEqualTo("p:w+d");
    }

    @Test
    void jdbcUrlWithoutCredentialsPassesUnchanged() {
        PostgresUrl u = PostgresUrl.parse("jdbc:postgresql://127.0.0.1:5432/artdag");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/artdag");
        assertThat(u.user()).isNull();
        assertThat(u.password()).isNull();
    }

    @Test
    void urlCredentialsWinInTheOptionsAndAreNotLogged() {
        ProvenanceStoreOptions o =
                ProvenanceStoreOptions.builder()
                        .jdbcUrl("postgresql://artdag:s3cret@127.0.0.1:5432/artdag")
                        .user("other")
                        .build();
        assertThat(o.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/artdag");
        assertThat(o.user()).isEqualTo("artdag");
        assertThat(o.password()).isEqualTo("s3cret");
        assertThat(o.toString()).doesNotContain("s3cret");
    }

    @Test
    void wrongSchemeIsRefusedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://u:topsecret@h/db"))
                .hasMessageContaining("postgresql://")
                .hasMessageNotContaining("topsecret");
    }
}
