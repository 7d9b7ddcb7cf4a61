package io.artdag.l1.job;

import io.artdag.l1.operators.FilePaths;
import io.artdag.l1.operators.InputFiles;
import io.artdag.l1.redis.Claim;
import io.artdag.l1.redis.ClaimStatus;
import io.artdag.l1.redis.RedisIndex;
import io.artdag.l1.redis.RedisUnavailableException;
import io.artdag.l1.sink.l1.L1Settings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * l1 mode, after a bounded run: resolves the contents its Dedup deferred because another live job
 * still held their claims at the end of the input. Each is waited for until that job publishes it
 * ({@code ipfs_index} names it: its sighting already is recorded) or its claim ends (expired,
 * released or failed): then its output is returned, to be stored by a follow-up run of this store.
 */
final class DeferredContents {
    private static final long POLL_MILLIS = 500;

    private DeferredContents() {}

    /**
     * The output at {@code path} (a local path or an object's URI) as an input, or null if gone.
     */
    private static IngestInput stillThere(String path) {
        if (InputFiles.isUri(path)) {
            try {
                return IngestInput.objects(path, false);
            } catch (IllegalArgumentException gone) {
                return null;
            }
        }
        Path p = FilePaths.decode(path);
        return Files.exists(p) ? IngestInput.of(p, false) : null;
    }

    /**
     * @return the outputs this run has to store itself, each as an input of its own
     */
    static List<IngestInput> resolve(L1Settings l1, String runId, PrintStream progress)
            throws InterruptedException {
        Duration limit = l1.redis().claimTtl().plus(l1.outageLimit());
        long deadline = System.nanoTime() + limit.toNanos();
        List<IngestInput> toStore = new ArrayList<>();
        try (RedisIndex redis = new RedisIndex(l1.redis())) {
            boolean told = false;
            while (true) {
                Map<String, String> open;
                try {
                    open = redis.deferred(runId);
                    for (Map.Entry<String, String> e : open.entrySet()) {
                        String hash = e.getKey();
                        if (redis.ipfsCid(hash).isPresent()) {
                            redis.resolveDeferred(runId, hash);
                            continue;
                        }
                        Optional<Claim> claim = redis.claimOf(hash);
                        boolean held =
                                claim.isPresent()
                                        && !runId.equals(claim.get().owner())
                                        && (claim.get().status() == ClaimStatus.CLAIMED
                                                || claim.get().status() == ClaimStatus.RUNNING);
                        if (!held) {
                            IngestInput output = stillThere(e.getValue());
                            if (output != null) {
                                toStore.add(output);
                            }
                            redis.resolveDeferred(runId, hash);
                        }
                    }
                    open = redis.deferred(runId);
                } catch (RedisUnavailableException down) {
                    open = Map.of("?", "?");
                }
                if (open.isEmpty()) {
                    return toStore;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            open.size()
                                    + " contents are still claimed by another job after "
                                    + limit
                                    + " (the claim TTL plus the outage limit); run the ingest"
                                    + " again to store them");
                }
                if (!told && progress != null) {
                    progress.printf(
                            "Waiting for another job to publish %d contents it claimed%n",
                            open.size());
                    told = true;
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }
}
