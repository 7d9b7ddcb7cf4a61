package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.sink.l1.L1Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The PostgreSQL password of {@code l1 ingest} and {@code l1 get} needs no argument. */
class ServiceOptionsTest {
    @TempDir Path tmp;

    @Command(name = "t")
    static final class Holder {
        @Mixin ServiceOptions services;
    }

    private static ServiceOptions parse(String... args) {
        Holder h = new Holder();
        new CommandLine(h)
                .setDefaultValueProvider(new ConfigDefaults(new Configuration(), Map.of()))
                .parseArgs(args);
        return h.services;
    }

    @Test
    void thePasswordComesFromAFileOrTheEnvironment() throws Exception {
        Path f = Files.writeString(tmp.resolve("pw"), "from-file\n");
        Map<String, String> env = Map.of("L1_PG_PASSWORD", "from-env");
        assertThat(parse("--pg-password-file", f.toString()).password(env)).isEqualTo("from-file");
        assertThat(parse().password(env)).isEqualTo("from-env");
        assertThat(parse().password(Map.of())).isEqualTo("artdag");
        // deprecated, still honoured
        assertThat(parse("--pg-password", "arg").password(env)).isEqualTo("arg");
    }

    @Test
    void aMissingPasswordFileNamesTheFile() {
        Path missing = tmp.resolve("missing-pw");
        ServiceOptions o = parse("--pg-password-file", missing.toString());
        assertThatThrownBy(() -> o.applyTo(new Configuration()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--pg-password-file " + missing + ": no such file or directory");
        assertThatThrownBy(o::readerSettings).hasMessageContaining(missing.toString());
    }

    @Test
    void theFileReachesTheJobOptions() throws Exception {
        Path f = Files.writeString(tmp.resolve("pw"), "from-file\n");
        Configuration c = new Configuration();
        parse("--pg-password-file", f.toString()).applyTo(c);
        assertThat(c.get(L1Options.POSTGRES_PASSWORD)).isEqualTo("from-file");
        assertThat(parse("--pg-password-file", f.toString()).readerSettings().postgres().password())
                .isEqualTo("from-file");
    }
}
