package io.artdag.l1.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the PostgreSQL password comes from: file, argument, environment, default. */
class PostgresPasswordTest {
    @TempDir Path tmp;

    private static final Map<String, String> ENV = Map.of("L1_PG_PASSWORD", "from-env");

    @Test
    void aFileWinsOverTheEnvironmentAndLosesOneTrailingNewline() throws Exception {
        Path f = Files.writeString(tmp.resolve("pw"), "s3cret \n");
        assertThat(PostgresPassword.resolve(null, f.toString(), "--f", ENV)).isEqualTo("s3cret ");
        Files.writeString(f, "s3cret\r\n");
        assertThat(PostgresPassword.resolve(null, f.toString(), "--f", ENV)).isEqualTo("s3cret");
        Files.writeString(f, "two\n\n");
        assertThat(PostgresPassword.resolve(null, f.toString(), "--f", ENV)).isEqualTo("two\n");
    }

    @Test
    void theEnvironmentIsUsedWhenNothingIsGiven() {
        assertThat(PostgresPassword.resolve(null, null, "--f", ENV)).isEqualTo("from-env");
        assertThat(PostgresPassword.resolve(null, null, "--f", Map.of())).isEqualTo("artdag");
        assertThat(PostgresPassword.resolve("given", null, "--f", ENV)).isEqualTo("given");
    }

    @Test
    void aMissingFileIsAClearErrorNamingIt() {
        Path missing = tmp.resolve("no/such/pw");
        assertThatThrownBy(
                        () ->
                                PostgresPassword.resolve(
                                        null, missing.toString(), "--pg-password-file", ENV))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--pg-password-file " + missing + ": no such file or directory")
                .hasNoCause();
        assertThatThrownBy(() -> PostgresPassword.resolve(null, tmp.toString(), "--f", ENV))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--f " + tmp + ": cannot be read");
    }

    @Test
    void aFileAndAPasswordTogetherAreAnError() throws Exception {
        Path f = Files.writeString(tmp.resolve("pw"), "x");
        assertThatThrownBy(() -> PostgresPassword.resolve("y", f.toString(), "--f", ENV))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--f");
    }

    @Test
    void theJobSettingsReadTheFileOptionOrTheEnvironmentAndNeverPrintThePassword()
            throws Exception {
        Path f = Files.writeString(tmp.resolve("pw"), "file-secret\n");
        Configuration c = new Configuration();
        assertThat(ProvenanceStoreOptions.fromConfig(c, ENV).password()).isEqualTo("from-env");
        assertThat(ProvenanceStoreOptions.fromConfig(c, Map.of()).password()).isEqualTo("artdag");

        c.set(ProvenanceStoreOptions.PASSWORD_FILE, f.toString());
        ProvenanceStoreOptions s = ProvenanceStoreOptions.fromConfig(c, ENV);
        assertThat(s.password()).isEqualTo("file-secret");
        assertThat(s.toString()).doesNotContain("file-secret");
        assertThat(c.toString()).doesNotContain("file-secret");

        c.set(ProvenanceStoreOptions.PASSWORD_FILE, tmp.resolve("gone").toString());
        assertThatThrownBy(() -> ProvenanceStoreOptions.fromConfig(c, ENV))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "l1.postgres.password-file "
                                + tmp.resolve("gone")
                                + ": no such file or directory");

        Configuration explicit = new Configuration();
        explicit.set(ProvenanceStoreOptions.PASSWORD, "arg-secret");
        assertThat(ProvenanceStoreOptions.fromConfig(explicit, ENV).password())
                .isEqualTo("arg-secret");
        assertThat(explicit.toString()).doesNotContain("arg-secret");
    }
}
