package io.artdag.l1.kubo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.artdag.l1.ipld.BlockSink;
import io.artdag.l1.ipld.UnixFsFileBuilder;
import io.artdag.l1.ipld.UnixFsProfile;
import io.artdag.l1.testing.TestServices;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubo is the reference (docs/design.md, "Identities and formats"): a corpus with sizes around
 * every chunk and link-count boundary is added to the real Kubo with {@code add --only-hash} under
 * both profiles, and {@link UnixFsFileBuilder} must give the same root CIDs. Kubo is found through
 * {@code L1_KUBO_API} (start it with {@code eval "$(deploy/local/services.sh start)"}); without it
 * the test fails, never skips.
 *
 * <p>The bytes are generated (deterministic, every chunk distinct) and streamed to Kubo and to the
 * builder without touching the disk. The comparison table goes to stdout and to {@code
 * target/kubo-reference-cids.txt}. The default corpus takes ≈ 25 s (four v1 files of ≈ 1 GiB).
 * {@code -Dl1.kubo.reference.big=true} adds a full 2-level v0 tree (174² chunks, 7.4 GiB, ≈ 45 s),
 * a 3-level v0 tree (174² chunks + 1 byte) and a 2049-chunk v1 tree (2 GiB).
 */
class KuboReferenceCidITCase {
    private static final long KiB = 1024;
    private static final long MiB = 1024 * KiB;

    private static KuboClient kubo;
    private static ExecutorService pool;

    @BeforeAll
    static void connect() {
        String api = TestServices.get("L1_KUBO_API");
        if (api == null || api.isBlank()) {
            fail(
                    "L1_KUBO_API is not set: start Kubo with"
                            + " `eval \"$(deploy/local/services.sh start)\"` (or ./bin/test) and"
                            + " run the tests again");
        }
        kubo = new KuboClient(KuboClientOptions.builder().apiUrl(api).build());
        pool = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    record Row(
            UnixFsProfile profile,
            String label,
            long size,
            String kuboParams,
            String kuboCid,
            String ourCid,
            long millis) {
        boolean matches() {
            return kuboCid.equals(ourCid);
        }
    }

    @Test
    void builderMatchesKuboOnBoundaryCorpus() throws Exception {
        boolean big = Boolean.getBoolean("l1.kubo.reference.big");
        List<Row> rows = new ArrayList<>();
        for (UnixFsProfile p : UnixFsProfile.values()) {
            long c = p.chunkSize();
            long l = p.maxLinks();
            List<Object[]> corpus = new ArrayList<>();
            corpus.add(new Object[] {"empty", 0L});
            corpus.add(new Object[] {"1 byte", 1L});
            corpus.add(new Object[] {"chunk-1", c - 1});
            corpus.add(new Object[] {"chunk", c});
            corpus.add(new Object[] {"chunk+1", c + 1});
            corpus.add(new Object[] {"2 chunks+123", 2 * c + 123});
            corpus.add(new Object[] {"maxLinks chunks-1 byte", l * c - 1});
            corpus.add(new Object[] {"maxLinks chunks", l * c});
            corpus.add(new Object[] {"maxLinks chunks+1 byte (2 levels)", l * c + 1});
            if (p == UnixFsProfile.V0_2015) {
                corpus.add(new Object[] {"maxLinks+1 chunks", (l + 1) * c});
                corpus.add(new Object[] {"3*maxLinks chunks+5 (2 levels)", 3 * l * c + 5});
                if (big) {
                    corpus.add(new Object[] {"maxLinks^2 chunks (2 levels, full)", l * l * c});
                    corpus.add(new Object[] {"maxLinks^2 chunks+1 (3 levels)", l * l * c + 1});
                }
            } else {
                corpus.add(new Object[] {"maxLinks+1 chunks", (l + 1) * c});
                if (big) {
                    corpus.add(new Object[] {"2*maxLinks chunks+7 (2 levels)", 2 * l * c + 7});
                }
            }
            long seed = 1;
            for (Object[] e : corpus) {
                rows.add(compare(p, (String) e[0], (Long) e[1], seed++, AddOptions.of(p)));
            }
        }
        // Kubo's own default width (Import.UnixFSFileMaxLinks unset) is 174: the v0 profile
        // needs no max-file-links, the v1 profile does.
        UnixFsProfile v0 = UnixFsProfile.V0_2015;
        long v0Wide = v0.maxLinks() * (long) v0.chunkSize() + 1;
        Row defaultWidth =
                compare(
                        v0,
                        "maxLinks chunks+1 byte, Kubo default links",
                        v0Wide,
                        9,
                        AddOptions.of(v0).withKuboDefaultMaxLinks());
        rows.add(defaultWidth);
        // seed 9 is the v0 "maxLinks chunks+1 byte" case above: same bytes, same CID
        assertThat(rows)
                .filteredOn(r -> r.profile() == v0 && r.size() == v0Wide && r != defaultWidth)
                .singleElement()
                .extracting(Row::kuboCid)
                .isEqualTo(defaultWidth.kuboCid());

        String table = format(rows);
        System.out.println(table);
        Path out = Path.of("target", "kubo-reference-cids.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table, StandardCharsets.UTF_8);

        assertThat(rows)
                .allSatisfy(r -> assertThat(r.ourCid()).as(r.toString()).isEqualTo(r.kuboCid()));
    }

    @Test
    void wellKnownEmptyFileCids() throws Exception {
        // Independent of both implementations: the CIDs every IPFS implementation gives "".
        assertThat(ourCid(UnixFsProfile.V0_2015, 0, 0))
                .isEqualTo("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
        assertThat(ourCid(UnixFsProfile.V1_2025, 0, 0))
                .isEqualTo("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    }

    @Test
    void addOnlyHashOfAFileStoresNothing(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("f.bin");
        byte[] data = new byte[300_000];
        new SplittableRandom(42).nextBytes(data);
        Files.write(f, data);
        String cid = KuboTestOps.addOnlyHash(kubo, f, AddOptions.of(UnixFsProfile.V1_2025));
        assertThat(cid).isEqualTo(UnixFsFileBuilder.cidOf(f, UnixFsProfile.V1_2025).toString());
        // only-hash: the blocks are not in the repo
        assertThat(kubo.isPinned(cid)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KuboTestOps.blockStat(kubo, cid))
                .isInstanceOf(KuboException.class);
    }

    private static Row compare(UnixFsProfile p, String label, long size, long seed, AddOptions o)
            throws Exception {
        long t0 = System.nanoTime();
        CompletableFuture<String> theirs =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return KuboTestOps.addOnlyHash(
                                        kubo, () -> new Generated(size, seed), "corpus-" + seed, o);
                            } catch (KuboException e) {
                                throw new RuntimeException(e);
                            }
                        },
                        pool);
        String ours = ourCid(p, size, seed);
        String kuboCid = theirs.get();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String params =
                "cid-version="
                        + o.cidVersion()
                        + "&raw-leaves="
                        + o.rawLeaves()
                        + "&chunker=size-"
                        + o.chunkSize()
                        + (o.maxFileLinks() == null ? "" : "&max-file-links=" + o.maxFileLinks());
        return new Row(p, label, size, params, kuboCid, ours, ms);
    }

    private static String ourCid(UnixFsProfile p, long size, long seed) throws IOException {
        UnixFsFileBuilder b = new UnixFsFileBuilder(p, BlockSink.DISCARD);
        byte[] buf = new byte[(int) MiB];
        try (InputStream in = new Generated(size, seed)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                b.write(buf, 0, n);
            }
        }
        return b.finish().toString();
    }

    private static String format(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        "%-15s %-42s %14s %-5s %6s  %-62s  %s%n",
                        "profile", "case", "bytes", "match", "ms", "CID", "Kubo add parameters"));
        for (Row r : rows) {
            sb.append(
                    String.format(
                            "%-15s %-42s %14d %-5s %6d  %-62s  %s%n",
                            r.profile().id(),
                            r.label(),
                            r.size(),
                            r.matches() ? "yes" : "NO",
                            r.millis(),
                            r.matches()
                                    ? r.kuboCid()
                                    : "kubo " + r.kuboCid() + " ours " + r.ourCid(),
                            r.kuboParams()));
        }
        return sb.toString();
    }

    /**
     * {@code size} deterministic bytes: 1 MiB blocks, block k is a window of a random base buffer
     * starting at {@code k mod 4093}, so every 256 KiB and 1 MiB chunk of a file differs from its
     * neighbours (up to 4093 MiB), and generation costs a memcpy.
     */
    static final class Generated extends InputStream {
        private static final int BLOCK = (int) MiB;
        private static final int SHIFTS = 4093;
        private final byte[] base;
        private final long size;
        private long pos;

        Generated(long size, long seed) {
            this.size = size;
            this.base = new byte[BLOCK + SHIFTS];
            new SplittableRandom(seed).nextBytes(base);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            long block = pos / BLOCK;
            int within = (int) (pos % BLOCK);
            int n = (int) Math.min(Math.min(len, BLOCK - within), size - pos);
            System.arraycopy(base, (int) (block % SHIFTS) + within, b, off, n);
            pos += n;
            return n;
        }
    }
}
