package io.artdag.l1.operators;

import io.artdag.l1.hash.ContentHashes;
import io.artdag.l1.hash.FileBytes;
import io.artdag.l1.hash.Sha3Hasher;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Streams each referenced file through SHA3-256 and emits its content hash and size. Inputs that
 * cannot be used (vanished, unreadable, not a regular file, bad metadata) go to {@link #REJECTED}
 * with the path and the reason; the job goes on.
 *
 * <p>A reference that names its input root is read only if its real path (symbolic links followed)
 * lies under the root's real path, checked right before the file is opened, and the real path is
 * then opened without following links; anything else is rejected as {@value
 * FilePaths#OUTSIDE_ROOT}. A reference named by URI ({@code s3://…}, {@link InputFiles}) is read
 * through Flink's FileSystem, and only if its key lies under the input prefix it names as its root.
 */
@Internal
public class HashFiles extends ProcessFunction<FileRef, HashedFile> {
    private static final long serialVersionUID = 1L;

    /** Side output of rejected inputs. */
    public static final OutputTag<IngestEvent> REJECTED =
            new OutputTag<>("rejected-inputs") {
                private static final long serialVersionUID = 1L;
            };

    /** Accumulator names, read by the local runner's progress display. */
    public static final String FILES_ACCUMULATOR = "filesIn";

    public static final String BYTES_ACCUMULATOR = "bytesIn";

    private static final int BUFFER_SIZE = 1 << 20;

    private transient Sha3Hasher hasher;
    private transient ByteBuffer buffer;
    private transient Counter filesIn;
    private transient Counter bytesIn;
    private transient Counter rejectedInputs;
    private transient LongCounter filesAcc;
    private transient LongCounter bytesAcc;
    private transient Map<String, Path> realRoots;

    @Override
    public void open(OpenContext openContext) {
        hasher = ContentHashes.newSha3_256();
        // as the SHA3 implementation prefers (direct: native code hashes it in place)
        buffer = FileBytes.bufferForHashing(BUFFER_SIZE);
        var metrics = getRuntimeContext().getMetricGroup();
        filesIn = metrics.counter("filesIn");
        bytesIn = metrics.counter("bytesIn");
        rejectedInputs = metrics.counter("rejectedInputs");
        filesAcc = new LongCounter();
        bytesAcc = new LongCounter();
        getRuntimeContext().addAccumulator(FILES_ACCUMULATOR, filesAcc);
        getRuntimeContext().addAccumulator(BYTES_ACCUMULATOR, bytesAcc);
    }

    @Override
    public void processElement(FileRef ref, Context ctx, Collector<HashedFile> out)
            throws IOException {
        if (ref.error != null) {
            reject(ctx, ref, ref.error);
            return;
        }
        if (InputFiles.isUri(ref.path)) {
            processObject(ref, ctx, out);
            return;
        }
        Path file;
        try {
            file = FilePaths.decode(ref.path);
        } catch (IllegalArgumentException e) {
            reject(ctx, ref, "bad metadata: not a file path");
            return;
        }
        HashedFile hashed;
        try {
            boolean confined = ref.root != null;
            if (confined) {
                file = FilePaths.confine(file, realRoot(ref.root));
            }
            hashed = hash(ref, file, confined);
        } catch (FilePaths.OutsideRootException e) {
            reject(ctx, ref, e.getMessage());
            return;
        } catch (NoSuchFileException e) {
            reject(ctx, ref, "vanished: the file no longer exists");
            return;
        } catch (AccessDeniedException e) {
            reject(ctx, ref, "unreadable: permission denied");
            return;
        } catch (AsynchronousCloseException | InterruptedIOException e) {
            // Interrupted (ClosedByInterruptException) or closed under us: the task is being
            // cancelled, not the input bad. Failing the record lets the restore read it again.
            throw e;
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            reject(ctx, ref, "unreadable: " + e.getMessage());
            return;
        }
        emit(ref, hashed, ctx, out);
    }

    /**
     * An object named by URI ({@link InputFiles}): read through Flink's FileSystem, only if its key
     * lies under the input prefix it was listed under.
     */
    private void processObject(FileRef ref, Context ctx, Collector<HashedFile> out)
            throws IOException {
        String unsafe =
                ref.root == null
                        ? FilePaths.OUTSIDE_ROOT + ": no input prefix is known for " + ref.path
                        : InputFiles.unsafeReason(ref.root, ref.path);
        if (unsafe != null) {
            reject(ctx, ref, unsafe);
            return;
        }
        HashedFile hashed;
        try {
            InputFiles.Stat stat = InputFiles.stat(ref.path);
            hashed = stat.regularFile() ? hashObject(ref, stat) : null;
        } catch (NoSuchFileException e) {
            reject(ctx, ref, "vanished: the object no longer exists");
            return;
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            reject(ctx, ref, "unreadable: " + e.getMessage());
            return;
        }
        emit(ref, hashed, ctx, out);
    }

    private void emit(FileRef ref, HashedFile hashed, Context ctx, Collector<HashedFile> out) {
        if (hashed == null) {
            reject(ctx, ref, "not a regular file");
            return;
        }
        if (ref.declaredHash != null && !ref.declaredHash.equalsIgnoreCase(hashed.contentHash)) {
            reject(
                    ctx,
                    ref,
                    "bad metadata: declared content_hash "
                            + ref.declaredHash
                            + " does not match the file's SHA3-256 "
                            + hashed.contentHash);
            return;
        }
        filesIn.inc();
        bytesIn.inc(hashed.size);
        filesAcc.add(1);
        bytesAcc.add(hashed.size);
        out.collect(hashed);
    }

    private Path realRoot(String root) throws IOException {
        if (realRoots == null) {
            realRoots = new HashMap<>();
        }
        Path real = realRoots.get(root);
        if (real == null) {
            real = FilePaths.decode(root).toRealPath();
            realRoots.put(root, real);
        }
        return real;
    }

    /**
     * @param confined {@code file} is a real path under its root: it is opened without following a
     *     link that replaced it since
     */
    private HashedFile hash(FileRef ref, Path file, boolean confined) throws IOException {
        LinkOption[] links =
                confined ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, links);
        if (!attrs.isRegularFile()) {
            return null;
        }
        OpenOption[] open =
                confined
                        ? new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS}
                        : new OpenOption[] {StandardOpenOption.READ};
        long size;
        try (FileChannel ch = FileChannel.open(file, open)) {
            size = FileBytes.stream(ch, buffer, hasher::update);
        } catch (IOException e) {
            hasher.digest(); // resets the hasher for the next file
            throw e;
        }
        return hashed(
                ref, ContentHashes.hex(hasher.digest()), size, attrs.lastModifiedTime().toMillis());
    }

    private HashedFile hashObject(FileRef ref, InputFiles.Stat stat) throws IOException {
        long size;
        try (InputStream in = InputFiles.open(ref.path)) {
            size = FileBytes.stream(in, buffer, hasher::update);
        } catch (IOException e) {
            hasher.digest(); // resets the hasher for the next file
            throw e;
        }
        return hashed(ref, ContentHashes.hex(hasher.digest()), size, stat.modifiedMillis());
    }

    private static HashedFile hashed(FileRef ref, String contentHash, long size, long mtime) {
        HashedFile hashed = new HashedFile();
        hashed.path = ref.path;
        hashed.contentHash = contentHash;
        hashed.size = size;
        hashed.modifiedMillis = mtime;
        hashed.nodeId = ref.nodeId;
        hashed.nodeType = ref.nodeType;
        hashed.metadataJson = ref.metadataJson;
        hashed.run = ref.run;
        return hashed;
    }

    private void reject(Context ctx, FileRef ref, String reason) {
        if (ref.position != null) {
            reason = reason + " (" + ref.origin + " " + ref.position + ")";
        }
        rejectedInputs.inc();
        ctx.output(REJECTED, IngestEvent.rejected(ref.path, ref.nodeId, reason));
    }
}
