package io.artdag.l1.kubo;

import java.util.List;
import java.util.Optional;
import org.apache.flink.annotation.Internal;

/**
 * What Kubo reported for a {@code dag/import}: one {@link Root} per root CID in the CAR header
 * (when roots were pinned) and, when requested, the block statistics.
 *
 * <p>Kubo 0.41 streams NDJSON, one object per line: {@code {"Root":{"Cid":{"/":"bafy..."},
 * "PinErrorMsg":""}}} per root, then {@code {"Stats":{"BlockCount":1,"BlockBytesCount":12}}}.
 */
@Internal
public record DagImportResult(List<Root> roots, Optional<Stats> stats) {
    public DagImportResult {
        roots = List.copyOf(roots);
    }

    /** A root listed in a CAR header; {@code pinErrorMsg} is empty when it was pinned. */
    public record Root(String cid, String pinErrorMsg) {
        public boolean pinned() {
            return pinErrorMsg == null || pinErrorMsg.isEmpty();
        }
    }

    /** Blocks read from the CAR(s), and their total byte size (excluding CIDs). */
    public record Stats(long blockCount, long blockBytesCount) {}

    /** Roots whose pinning failed. */
    public List<Root> failedRoots() {
        return roots.stream().filter(r -> !r.pinned()).toList();
    }

    /** The root CIDs, in Kubo's order. */
    public List<String> rootCids() {
        return roots.stream().map(Root::cid).toList();
    }
}
