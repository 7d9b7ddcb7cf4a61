package io.artdag.l1.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.artdag.l1.sink.segment.FaultInjector;
import io.artdag.l1.sink.segment.SegmentCommittable;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 3: after task failures at the points that matter — mid-file, after a seal before its
 * commit, during a commit — each several times in one run, the store equals that of a run without
 * failures: same index, no content stored twice, no orphan files, verify clean.
 */
class ExactlyOnceFailoverTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = JobTestSupport.miniCluster();

    // Shared by the injector's copies in the task threads (same JVM as the MiniCluster).
    static final AtomicInteger BLOCKS = new AtomicInteger();
    static final AtomicInteger SEALS = new AtomicInteger();
    static final AtomicInteger COMMITS = new AtomicInteger();
    static final AtomicInteger INJECTED = new AtomicInteger();

    /** Fails at the 30th and 90th block, the 3rd and 9th seal, the 2nd and 6th commit. */
    static final class Crashes implements FaultInjector {
        private static final long serialVersionUID = 1L;

        @Override
        public void afterBlock(String writerId, long blocksWritten) {
            int n = BLOCKS.incrementAndGet();
            if (n == 30 || n == 90) {
                crash("mid-file, block " + n);
            }
        }

        @Override
        public void afterSeal(String segment) {
            int n = SEALS.incrementAndGet();
            if (n == 3 || n == 9) {
                crash("after seal " + n + " (" + segment + "), before its commit");
            }
        }

        @Override
        public void duringCommit(SegmentCommittable committable) {
            int n = COMMITS.incrementAndGet();
            if (n == 2 || n == 6) {
                crash("during commit " + n + " of " + committable.segments());
            }
        }

        private static void crash(String where) {
            INJECTED.incrementAndGet();
            throw new RuntimeException("injected failure " + where);
        }
    }

    @TempDir Path tmp;

    @Test
    void failuresChangeNothing() throws Exception {
        Path tree = TestCorpus.tree(tmp.resolve("tree"), 3);
        Path cache = TestCorpus.cache(tmp.resolve("cache"), tree.resolve("renders/r0/out-6.bin"));

        Path clean = tmp.resolve("clean");
        JobTestSupport.ingest(clean, FaultInjector.NONE, tree, cache);

        Path crashed = tmp.resolve("crashed");
        JobTestSupport.ingest(crashed, new Crashes(), tree, cache);

        assertThat(INJECTED.get()).as("failures injected").isGreaterThanOrEqualTo(4);
        assertThat(StoreSnapshot.of(crashed)).isEqualTo(StoreSnapshot.of(clean));
        StoreSnapshot.assertSound(clean);
        StoreSnapshot.assertSound(crashed);
    }
}
