package io.artdag.l1.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flag, then environment, then configuration file, then the flag's default. */
class ConfigDefaultsTest {
    @TempDir Path tmp;

    private static IngestCommand parse(
            Configuration file, Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new L1Command());
        cli.setDefaultValueProvider(new ConfigDefaults(file, env));
        CommandLine.ParseResult r = cli.parseArgs(args);
        return (IngestCommand) r.subcommand().commandSpec().userObject();
    }

    @Test
    void theFileFillsWhatNoFlagAndNoVariableSets() {
        Configuration file = new Configuration();
        file.setString("l1.unixfs.profile", "unixfs-v0-2015");
        file.setString("l1.segment.seal-bytes", "64 mb");
        file.setString("l1.redis.key-prefix", "l1test:");
        file.setString("l1.redis.url", "redis://file:6379/5");
        file.setString("l1.pin.cluster.replication-min", "2");
        file.setString("l1.pin.required", "kubo;pinning-service");
        file.setString("l1.cache.update-indexes", "true");
        file.setString("l1.store.path", "/srv/l1");

        IngestCommand c = parse(file, Map.of(), "ingest", "in");
        assertThat(c.profile).isEqualTo("unixfs-v0-2015");
        assertThat(c.sealBytes).isEqualTo("64 mb");
        assertThat(c.services.redisKeyPrefix).isEqualTo("l1test:");
        assertThat(c.services.redisUrl).isEqualTo("redis://file:6379/5");
        assertThat(c.pins.replication).isEqualTo("2:-1");
        assertThat(c.pins.required).containsExactly("kubo", "pinning-service");
        assertThat(c.updateCacheIndexes).isTrue();
        assertThat(c.store.path()).isEqualTo(Path.of("/srv/l1"));

        IngestCommand flags =
                parse(
                        file,
                        Map.of(),
                        "ingest",
                        "--profile",
                        "unixfs-v1-2025",
                        "--seal-bytes",
                        "2mb",
                        "in");
        assertThat(flags.profile).isEqualTo("unixfs-v1-2025");
        assertThat(flags.sealBytes).isEqualTo("2mb");
    }

    @Test
    void aSetVariableWinsOverTheFileAndTheOptionsDefaultComesLast() {
        Configuration file = new Configuration();
        file.setString("l1.redis.url", "redis://file:6379/5");
        file.setString("l1.kubo.api", "http://file:5001");
        IngestCommand env =
                parse(
                        file,
                        Map.of(
                                "L1_REDIS_URL",
                                "redis://env:1/5",
                                "IPFS_API",
                                "/ip4/1.2.3.4/tcp/5001"),
                        "ingest",
                        "in");
        assertThat(env.services.redisUrl).isEqualTo("redis://env:1/5");
        assertThat(env.services.kuboApi).isEqualTo("/ip4/1.2.3.4/tcp/5001");
        IngestCommand both =
                parse(
                        file,
                        Map.of("L1_KUBO_API", "http://a:1", "IPFS_API", "http://b:2"),
                        "ingest",
                        "in");
        assertThat(both.services.kuboApi).isEqualTo("http://a:1");
        IngestCommand fromFile = parse(file, Map.of(), "ingest", "in");
        assertThat(fromFile.services.redisUrl).isEqualTo("redis://file:6379/5");
        // Neither: the defaults README.md documents (artdag's Redis database 5).
        IngestCommand none = parse(new Configuration(), Map.of(), "ingest", "in");
        assertThat(none.services.redisUrl).isEqualTo("redis://127.0.0.1:6379/5");
        assertThat(none.services.kuboApi).isEqualTo("http://127.0.0.1:5001");
        assertThat(none.services.pgUrl).isEqualTo("jdbc:postgresql://127.0.0.1:5432/artdag");
        assertThat(none.services.pgUser).isEqualTo("artdag");
        assertThat(none.services.pgSchema).isEqualTo("public");
        assertThat(none.services.redisKeyPrefix).isEqualTo("artdag:");
        assertThat(none.kafka.group).isEqualTo("artdag-l1");
        assertThat(none.kafka.bootstrap).isEqualTo("127.0.0.1:9092");
        IngestCommand flag =
                parse(
                        file,
                        Map.of("L1_REDIS_URL", "redis://env:1/5"),
                        "ingest",
                        "--redis-url",
                        "redis://flag:2/5",
                        "in");
        assertThat(flag.services.redisUrl).isEqualTo("redis://flag:2/5");
    }

    @Test
    void theConfigArgumentIsFoundAnywhereAndTheLastWins() {
        assertThat(
                        L1Command.configArgument(
                                new String[] {"ingest", "--config", "a.yaml", "x"}, null))
                .isEqualTo("a.yaml");
        assertThat(
                        L1Command.configArgument(
                                new String[] {"--config=a", "get", "--config", "b"}, "env"))
                .isEqualTo("b");
        assertThat(L1Command.configArgument(new String[] {"get", "x"}, "env.yaml"))
                .isEqualTo("env.yaml");
        assertThat(L1Command.configArgument(new String[] {"cid", "--", "--config", "f"}, null))
                .isNull();
    }

    /** End to end in this JVM: the file's profile decides the CID, a flag overrides it. */
    @Test
    void ingestAndCidTakeTheFilesProfile() throws Exception {
        Path conf = tmp.resolve("l1.yaml");
        Files.writeString(conf, "l1:\n  unixfs:\n    profile: unixfs-v0-2015\n");
        Path empty = Files.createFile(tmp.resolve("empty"));
        // Kubo's CIDs of the empty file: CIDv0 under unixfs-v0-2015, raw-leaf CIDv1 under v1-2025.
        Cli.Result v0 = Cli.run("cid", "--config", conf.toString(), empty.toString());
        assertThat(v0.code()).as(v0.err()).isZero();
        assertThat(v0.outText()).startsWith("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH\t");
        Cli.Result v1 =
                Cli.run(
                        "cid",
                        "--config",
                        conf.toString(),
                        "--profile",
                        "unixfs-v1-2025",
                        empty.toString());
        assertThat(v1.outText())
                .startsWith("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku\t");
        Files.writeString(conf, "l1.unixfs.profil: unixfs-v0-2015\n");
        Cli.Result typo = Cli.run("cid", "--config", conf.toString(), empty.toString());
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err()).contains(conf + ": unknown option 'l1.unixfs.profil'");
    }
}
