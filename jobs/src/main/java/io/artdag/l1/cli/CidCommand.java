package io.artdag.l1.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.artdag.l1.hash.ContentHashes;
import io.artdag.l1.hash.FileBytes;
import io.artdag.l1.hash.Sha3Hasher;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.ipld.UnixFsFileBuilder;
import io.artdag.l1.ipld.UnixFsProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.annotation.Internal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code l1 cid}: the CID {@code ipfs add} would give a file, and its SHA3-256; no store. */
@Command(
        name = "cid",
        mixinStandardHelpOptions = true,
        description = {
            "Print CID<TAB>SHA3-256<TAB>size<TAB>path for each FILE, reading it once.",
            "The CID equals Kubo's `ipfs add` under the same profile. Needs no store."
        })
@Internal
public final class CidCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--profile",
            paramLabel = "P",
            description =
                    "UnixFS profile: unixfs-v1-2025 or unixfs-v0-2015 (default: ${DEFAULT-VALUE}).",
            defaultValue = "unixfs-v1-2025")
    String profile;

    @Option(
            names = "--json",
            description =
                    "Print one JSON array of {cid, content_hash, size, path} (files that fail are"
                            + " reported on standard error and left out).")
    boolean json;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to address.")
    List<Path> files;

    @Override
    public Integer call() throws IOException {
        UnixFsProfile p = UnixFsProfile.fromId(profile);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonGenerator g = null;
        if (json) {
            g =
                    new JsonFactory()
                            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                            .createGenerator(out);
            g.writeStartArray();
        }
        int failures = 0;
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        for (Path f : files) {
            try {
                if (!Files.isRegularFile(f)) {
                    throw new IOException(Files.exists(f) ? "not a regular file" : "no such file");
                }
                Sha3Hasher sha3 = ContentHashes.newSha3_256();
                UnixFsFileBuilder builder = new UnixFsFileBuilder(p, (cid, d, o, l) -> {});
                long size;
                try (InputStream in = Files.newInputStream(f)) {
                    // the builder reads the chunk's array first; the hasher then consumes it
                    size =
                            FileBytes.stream(
                                    in,
                                    buf,
                                    chunk -> {
                                        FileBytes.toArray(chunk, builder::write);
                                        sha3.update(chunk);
                                    });
                }
                Cid cid = builder.finish();
                String hash = ContentHashes.hex(sha3.digest());
                if (g != null) {
                    g.writeStartObject();
                    g.writeStringField("cid", cid.toString());
                    g.writeStringField("content_hash", hash);
                    g.writeNumberField("size", size);
                    g.writeStringField("path", f.toString());
                    g.writeEndObject();
                    g.flush();
                } else {
                    out.println(cid + "\t" + hash + "\t" + size + "\t" + f);
                    out.flush();
                }
            } catch (IOException e) {
                err.println("l1 cid: " + f + ": " + Errors.oneLine(e));
                err.flush();
                failures++;
            }
        }
        if (g != null) {
            g.writeEndArray();
            g.close();
            out.println();
            out.flush();
        }
        return failures == 0 ? 0 : 1;
    }
}
