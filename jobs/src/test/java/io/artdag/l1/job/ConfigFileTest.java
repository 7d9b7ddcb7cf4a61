package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.segment.SegmentSinkOptions;
import io.artdag.l1.source.KafkaInputOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file: flat and nested keys, lists, and the errors that name file and key. */
class ConfigFileTest {
    @TempDir Path tmp;

    private Path write(String yaml) throws Exception {
        Path f = tmp.resolve("l1.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void readsFlatAndNestedKeysAndLists() throws Exception {
        Configuration c =
                ConfigFile.load(
                        write(
                                "l1.segment.seal-bytes: 64 mb\n"
                                        + "l1:\n"
                                        + "  redis:\n"
                                        + "    url: redis://10.0.0.5:6379/5\n"
                                        + "  segment:\n"
                                        + "    seal-age: 30s\n"
                                        + "  kafka:\n"
                                        + "    allowed-roots: [/srv/a, /srv/b]\n"));
        assertThat(c.get(SegmentSinkOptions.SEAL_BYTES)).isEqualTo(MemorySize.parse("64mb"));
        assertThat(c.get(SegmentSinkOptions.SEAL_AGE)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.get(L1Options.REDIS_URL)).isEqualTo("redis://10.0.0.5:6379/5");
        assertThat(c.get(KafkaInputOptions.ALLOWED_ROOTS)).containsExactly("/srv/a", "/srv/b");
        assertThat(c.toMap()).hasSize(4);
    }

    @Test
    void anEmptyFileSetsNothing() throws Exception {
        assertThat(ConfigFile.load(write("# nothing\n")).toMap()).isEmpty();
    }

    @Test
    void errorsNameTheFileAndTheKey() throws Exception {
        Path typo = write("l1.redis.ulr: redis://x\n");
        assertThatThrownBy(() -> ConfigFile.load(typo))
                .hasMessageStartingWith(typo + ": unknown option 'l1.redis.ulr'");
        Path flink = write("state.backend.type: rocksdb\n");
        assertThatThrownBy(() -> ConfigFile.load(flink))
                .hasMessageContaining("unknown option 'state.backend.type'")
                .hasMessageContaining("Flink's own");
        Path bad = write("l1.segment.seal-age: soon\n");
        assertThatThrownBy(() -> ConfigFile.load(bad))
                .hasMessageStartingWith(bad + ": l1.segment.seal-age: 'soon' is not a valid value");
        Path secret = write("l1:\n  postgres:\n    password: hunter2\n");
        assertThatThrownBy(() -> ConfigFile.load(secret))
                .hasMessageContaining("l1.postgres.password is a secret")
                .hasMessageContaining("l1.postgres.password-file")
                .hasMessageNotContaining("hunter2");
        Path inUrl = write("l1.postgres.url: postgresql://artdag:hunter2@db/artdag\n");
        assertThatThrownBy(() -> ConfigFile.load(inUrl))
                .hasMessageContaining("l1.postgres.url holds a password")
                .hasMessageNotContaining("hunter2");
        assertThat(
                        ConfigFile.load(
                                        write(
                                                "l1.postgres.url: postgresql://artdag@db:5432/artdag\n"))
                                .toMap())
                .hasSize(1);
        Path twice = write("l1.redis.url: a\nl1:\n  redis:\n    url: b\n");
        assertThatThrownBy(() -> ConfigFile.load(twice)).hasMessageContaining("set twice");
        Path notYaml = write("l1.redis.url: [unclosed\n");
        assertThatThrownBy(() -> ConfigFile.load(notYaml))
                .hasMessageStartingWith(notYaml + ": not a readable YAML file");
        Path list = write("- a\n- b\n");
        assertThatThrownBy(() -> ConfigFile.load(list)).hasMessageContaining("expected a map");
        assertThatThrownBy(() -> ConfigFile.load(tmp.resolve("missing.yaml")))
                .hasMessageContaining("no such configuration file");
    }

    /** conf/l1.yaml names every option once, and loads with every line uncommented. */
    @Test
    void theSampleFileListsEveryOptionAndLoads() throws Exception {
        Path sample = FaultHarness.REPO.resolve("conf/l1.yaml");
        List<String> lines = Files.readAllLines(sample);
        Pattern option = Pattern.compile("^# (l1\\.[a-z0-9.-]+): ?(.*)$");
        Set<String> listed = new TreeSet<>();
        StringBuilder uncommented = new StringBuilder();
        for (String line : lines) {
            Matcher m = option.matcher(line);
            if (m.matches()) {
                assertThat(listed.add(m.group(1))).as("listed twice: " + m.group(1)).isTrue();
                if (!m.group(2).isBlank()) {
                    uncommented.append(line.substring(2)).append('\n');
                }
            }
        }
        Set<String> expected = new TreeSet<>(ConfigFile.options().keySet());
        expected.remove(L1Options.POSTGRES_PASSWORD.key());
        assertThat(listed).isEqualTo(expected);
        Configuration c = ConfigFile.load(write(uncommented.toString()));
        assertThat(c.get(IngestOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        // And the README's table names each of them once.
        String readme = Files.readString(FaultHarness.REPO.resolve("README.md"));
        for (String key : expected) {
            assertThat(readme).as("README names " + key).contains("| `" + key + "` |");
        }
    }
}
