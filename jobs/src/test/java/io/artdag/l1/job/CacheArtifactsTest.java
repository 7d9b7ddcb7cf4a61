package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.Sighting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An artdag cache's {@code plans/} and {@code analysis/} are stored as content of their kind, and
 * confined to the cache like its node outputs.
 */
class CacheArtifactsTest {
    // SHA3-256 test vectors of FIPS 202 (NIST's examples): "abc" and the empty message.
    private static final String ABC_SHA3 =
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532";
    private static final String EMPTY_SHA3 =
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a";

    @TempDir Path tmp;

    @Test
    void plansAndAnalysisAreStoredAsTheirKindAndConfinedToTheCache() throws Exception {
        Path cache = tmp.resolve("cache");
        FaultHarness.copySampleCache(cache);
        Files.createDirectories(cache.resolve("plans"));
        Files.writeString(cache.resolve("plans/p-1.json"), "abc");
        Files.writeString(cache.resolve("plans/.hidden.json"), "not stored");
        Files.createDirectories(cache.resolve("analysis/deep"));
        Files.writeString(cache.resolve("analysis/deep/x.json"), "");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.json"), "secret");
        Files.createSymbolicLink(
                cache.resolve("analysis/leak.json"), outside.resolve("secret.json"));

        Path store = tmp.resolve("store");
        FaultHarness.Cli r =
                FaultHarness.cli(
                        "ingest", "--quiet", "--store", store.toString(), cache.toString());
        assertThat(r.exit()).as(r.err()).isZero();

        String real = cache.toRealPath().toString();
        List<String> artifacts = new ArrayList<>();
        try (LocalStore s = LocalStore.openExisting(store)) {
            for (Sighting x : s.index().sightings()) {
                if ("plan".equals(x.nodeType()) || "analysis".equals(x.nodeType())) {
                    artifacts.add(x.nodeType() + " " + x.contentHash() + " " + x.path());
                }
            }
        }
        assertThat(artifacts)
                .containsExactlyInAnyOrder(
                        "plan " + ABC_SHA3 + " " + real + "/plans/p-1.json",
                        "analysis " + EMPTY_SHA3 + " " + real + "/analysis/deep/x.json");
        StoreSnapshot snap = StoreSnapshot.of(store);
        String secret = outside.toRealPath().resolve("secret.json").toString();
        assertThat(snap.rejections())
                .anyMatch(
                        x ->
                                x.startsWith(real + "/analysis/leak.json :: outside the input root")
                                        && x.contains(secret));
        assertThat(snap.contents()).noneMatch(c -> c.contains("not stored"));
        assertThat(snap.sightings()).noneMatch(x -> x.contains("secret") || x.contains(".hidden"));
        StoreSnapshot.assertSound(store);
    }

    @Test
    void aPlansDirectoryLinkedOutOfTheCacheIsNotRead() throws Exception {
        Path cache = tmp.resolve("cache");
        FaultHarness.copySampleCache(cache);
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.write(outside.resolve("p.json"), "abc".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(cache.resolve("plans"), outside);

        Path store = tmp.resolve("store");
        FaultHarness.Cli r =
                FaultHarness.cli(
                        "ingest", "--quiet", "--store", store.toString(), cache.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        StoreSnapshot snap = StoreSnapshot.of(store);
        assertThat(snap.contents()).noneMatch(c -> c.startsWith(ABC_SHA3));
        assertThat(snap.rejections())
                .anyMatch(x -> x.contains("/p.json :: outside the input root"));
    }
}
