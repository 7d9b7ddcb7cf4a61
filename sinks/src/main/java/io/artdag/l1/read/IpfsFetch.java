package io.artdag.l1.read;

import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.CorruptBlockException;
import io.artdag.l1.ipld.UnixFsReader;
import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.kubo.KuboClientOptions;
import io.artdag.l1.kubo.KuboException;
import io.artdag.l1.read.L1ContentReader.ContentNotFoundException;
import io.artdag.l1.read.L1ContentReader.Result;
import io.artdag.l1.read.L1ContentReader.Tier;
import io.artdag.l1.store.StoreReader.CorruptContentException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The last tier: a root CID's DAG fetched from Kubo block by block ({@code block/get}), each block
 * checked against its CID by {@link UnixFsReader} and the whole hashed while it is written (a
 * {@link HashedStagedFile}); moved into place only when it equals the expected content hash, and
 * kept as a {@link LocalCopies local copy}. The client connects on first use.
 */
final class IpfsFetch {
    private final KuboClientOptions options;
    private final LocalCopies copies;
    private KuboClient kubo;
    private long blocksFetched;

    IpfsFetch(KuboClientOptions options, LocalCopies copies) {
        this.options = options;
        this.copies = copies;
    }

    /**
     * Writes {@code root}'s bytes to {@code dest}, verified against {@code expected} when not null.
     *
     * @throws ContentNotFoundException when Kubo does not have the DAG
     * @throws CorruptContentException when a block or the whole does not verify (nothing written)
     */
    Result fetch(String expected, Cid root, Tier tier, Path dest, LookupTrail trail)
            throws IOException {
        String label = expected != null ? expected : root.toString();
        blocksFetched = 0;
        try (HashedStagedFile staged = new HashedStagedFile(dest)) {
            long n;
            try (OutputStream out = staged.open()) {
                n = UnixFsReader.readFile(root, this::block, out);
            } catch (CorruptBlockException e) {
                throw new CorruptContentException(
                        label
                                + ": IPFS block "
                                + e.cid()
                                + " of "
                                + root
                                + " does not verify ("
                                + e.getMessage()
                                + "); nothing written",
                        e);
            } catch (KuboException e) {
                throw unavailable(label, root, tier, e);
            }
            String actual = staged.sha3Hex();
            if (expected != null && !actual.equals(expected)) {
                throw new CorruptContentException(
                        expected
                                + ": the "
                                + n
                                + " bytes of "
                                + root
                                + " (named by "
                                + tier.description()
                                + ") hash to "
                                + actual
                                + ", not to the content hash; nothing written");
            }
            Path kept = copies.keep(staged.path(), actual, root, trail);
            staged.commit();
            return new Result(
                    actual,
                    root.toString(),
                    n,
                    tier,
                    expected != null,
                    blocksFetched,
                    kept,
                    trail.notes());
        }
    }

    private IOException unavailable(String label, Cid root, Tier tier, KuboException e) {
        String m = LookupTrail.message(e);
        if (m.contains("not found") || m.contains("could not find")) {
            return new ContentNotFoundException(
                    label
                            + ": "
                            + (tier == Tier.IPFS
                                    ? "Kubo "
                                    : tier.description() + " names " + root + ", but Kubo ")
                            + options.apiUrl()
                            + " does not have it: "
                            + m);
        }
        return new IOException(
                label + ": cannot fetch " + root + " from Kubo " + options.apiUrl() + ": " + m, e);
    }

    private byte[] block(Cid cid) throws IOException {
        if (kubo == null) {
            kubo = new KuboClient(options);
        }
        byte[] b = kubo.blockGet(cid.toString());
        blocksFetched++;
        return b;
    }
}
