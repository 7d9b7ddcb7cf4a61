package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An artdag cache's content_index.json and ipfs_index.json (the sample cache of examples/, with
 * indexes written here): entries that disagree with the bytes are rejections naming both values;
 * with --update-cache-indexes the files are rewritten with what the store holds.
 */
class CacheIndexesTest {
    private static final String EMPTY_SHA3 =
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a";
    // The CIDv1 (raw leaf) of the empty file, as Kubo and ipfs-car give it.
    private static final String EMPTY_CID =
            "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
    private static final String ANALYSIS_SHA3 =
            "7c750c77f692061acf70dfc6367b104f8a53034ad23cec5782d222d4d5c6043d";
    private static final String SEGMENT_SHA3 =
            "dc00fa13101334c6aa099ddf9967180ecbe17c045065de4a2bd8d30160d3d410";
    private static final String SEQUENCE_SHA3 =
            "58151518f391fa73e781298093fef2f544d92c235cf041f6734a40ca4dc07432";
    private static final String UNKNOWN = "f".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>
            STRINGS = new com.fasterxml.jackson.core.type.TypeReference<>() {};

    @TempDir Path tmp;

    @Test
    void disagreeingEntriesAreRejectedAndTheIndexesRewrittenOnRequest() throws Exception {
        Path cache = tmp.resolve("cache");
        FaultHarness.copySampleCache(cache);
        Files.writeString(
                cache.resolve("content_index.json"),
                "{\""
                        + SEQUENCE_SHA3
                        + "\": \"c3f5e2f004\", \""
                        + ANALYSIS_SHA3
                        + "\": \"a1f3c0de01\", \""
                        + UNKNOWN
                        + "\": \"zz\"}");
        Files.writeString(
                cache.resolve("ipfs_index.json"), "{\"" + EMPTY_SHA3 + "\": \"bafkqaaa\"}");
        String before = Files.readString(cache.resolve("ipfs_index.json"));

        Path store = tmp.resolve("store");
        FaultHarness.Cli r =
                FaultHarness.cli(
                        "ingest", "--quiet", "--store", store.toString(), cache.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String real = cache.toRealPath().toString();
        assertThat(StoreSnapshot.of(store).rejections())
                .contains(
                        real
                                + "/content_index.json#"
                                + ANALYSIS_SHA3
                                + " :: cache index disagrees: content_index.json maps "
                                + ANALYSIS_SHA3
                                + " to node a1f3c0de01, whose output's SHA3-256 is "
                                + SEGMENT_SHA3,
                        real
                                + "/ipfs_index.json#"
                                + EMPTY_SHA3
                                + " :: cache index disagrees: ipfs_index.json names CID bafkqaaa"
                                + " for "
                                + EMPTY_SHA3
                                + ", the store computed "
                                + EMPTY_CID
                                + " (unixfs-v1-2025)")
                .noneMatch(x -> x.contains(SEQUENCE_SHA3) || x.contains(UNKNOWN));
        // Checked, never written without the option.
        assertThat(Files.readString(cache.resolve("ipfs_index.json"))).isEqualTo(before);

        Path store2 = tmp.resolve("store2");
        r =
                FaultHarness.cli(
                        "ingest",
                        "--quiet",
                        "--update-cache-indexes",
                        "--store",
                        store2.toString(),
                        cache.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, String> ipfs =
                JSON.readValue(cache.resolve("ipfs_index.json").toFile(), STRINGS);
        Map<String, String> content =
                JSON.readValue(cache.resolve("content_index.json").toFile(), STRINGS);
        assertThat(ipfs.get(EMPTY_SHA3)).isEqualTo(EMPTY_CID);
        assertThat(ipfs.keySet())
                .containsExactlyInAnyOrder(EMPTY_SHA3, ANALYSIS_SHA3, SEGMENT_SHA3, SEQUENCE_SHA3);
        assertThat(content.get(ANALYSIS_SHA3)).isEqualTo("b2e4d1ef03");
        assertThat(content.get(SEQUENCE_SHA3)).isEqualTo("c3f5e2f004");
        assertThat(content.get(UNKNOWN)).isEqualTo("zz");
        assertThat(content.get(SEGMENT_SHA3)).isIn("a1f3c0de01", "a1f3c0de02");
        assertThat(cache.resolve("ipfs_index.json.l1-tmp")).doesNotExist();
    }

    @Test
    void aMalformedIndexIsARejectionAndTheRunGoesOn() throws Exception {
        Path cache = tmp.resolve("cache");
        FaultHarness.copySampleCache(cache);
        Files.writeString(cache.resolve("ipfs_index.json"), "[1, 2");
        Path store = tmp.resolve("store");
        String real = cache.toRealPath().toString();
        FaultHarness.Cli r =
                FaultHarness.cli(
                        "ingest", "--quiet", "--store", store.toString(), cache.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(StoreSnapshot.of(store).rejections())
                .anyMatch(
                        x ->
                                x.startsWith(real + "/ipfs_index.json :: ")
                                        && x.contains(
                                                "bad metadata: ipfs_index.json is not a JSON"
                                                        + " object of strings"));
        assertThat(StoreSnapshot.of(store).contents()).hasSize(4);
    }
}
