package io.artdag.l1.store;

import io.artdag.l1.car.CarV1Writer;
import io.artdag.l1.ipld.Cid;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.annotation.Internal;

/**
 * Exports one stored content as a CARv1 file that Kubo ({@code ipfs dag import}), go-car and {@code
 * ipfs-car} read: the content's root CID as the single root, then every block of its DAG exactly
 * once, depth first from the root, each node before its children (the order {@code ipfs dag export}
 * writes). Each block is verified against its CID before it is written and the whole content
 * against its SHA3-256 before the file appears: the CAR goes to a temporary file first, and a
 * content that does not verify leaves nothing behind.
 */
@Internal
public final class CarExport {
    private final StoreReader reader;

    public CarExport(StoreReader reader) {
        this.reader = reader;
    }

    /**
     * Writes the CAR to {@code dest}: a temporary file beside it, fsynced, then renamed into place
     * (replacing what was there) only when everything verified. Returns the blocks written.
     */
    public long toFile(ContentRecord content, Path dest) throws IOException {
        try (StagedFile file = StagedFile.beside(dest, ".l1-export-")) {
            long blocks;
            try (OutputStream out = new BufferedOutputStream(file.open(), 1 << 16)) {
                blocks = write(content, out);
            }
            file.commit();
            return blocks;
        }
    }

    /**
     * Writes the CAR to {@code dest} (standard output, say), but only after it verified in a
     * temporary file. Returns the blocks written.
     */
    public long toStream(ContentRecord content, OutputStream dest) throws IOException {
        try (StagedFile file = StagedFile.temporary("l1-export-")) {
            long blocks;
            try (OutputStream out = new BufferedOutputStream(file.open(), 1 << 16)) {
                blocks = write(content, out);
            }
            file.transferTo(dest);
            return blocks;
        }
    }

    private long write(ContentRecord content, OutputStream out) throws IOException {
        Set<Cid> written = new HashSet<>();
        try (CarV1Writer car = new CarV1Writer(out, List.of(Cid.parse(content.rootCid())))) {
            reader.readVerified(
                    content,
                    OutputStream.nullOutputStream(),
                    (cid, data) -> {
                        if (written.add(cid)) {
                            car.put(cid, data);
                        }
                    });
            return car.blockCount();
        } catch (IOException e) {
            throw naming(content, e);
        }
    }

    /** The failure as one message that names the content (the original kept as suppressed). */
    private static StoreException naming(ContentRecord content, IOException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = msg.indexOf('\n');
        if (nl >= 0) {
            msg = msg.substring(0, nl);
        }
        if (!msg.contains(content.contentHash())) {
            msg = content.contentHash() + ": cannot export: " + msg;
        }
        StoreException named =
                e instanceof StoreReader.CorruptContentException
                        ? new StoreReader.CorruptContentException(msg)
                        : new StoreException(msg);
        named.addSuppressed(e);
        return named;
    }
}
