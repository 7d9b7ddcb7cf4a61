package io.artdag.l1.job;

import io.artdag.l1.cli.L1Command;
import io.artdag.l1.sink.segment.FaultInjector;

/**
 * The {@code l1} command with every sealed segment followed by a pause, for tests that act on an
 * ingest while it runs (SIGKILL it, take its lock): a bounded run ends right after its last commit,
 * so without a pace a small corpus may be done before the test looks. Pausing after a seal delays
 * nothing but the writer, so what the run stores is the same.
 */
final class PacedL1Command {
    /**
     * A file whose existence holds every commit once the store has recorded it (the name is taken
     * from this environment variable in the child JVM): a test keeps an ingest running, with
     * committed segments, for as long as it needs, however fast the machine.
     */
    static final String GATE_ENV = "L1_TEST_GATE";

    /** Milliseconds each writer pauses after each sealed segment. */
    static final long PAUSE_MS = Long.getLong("l1.test.pace-ms", 100);

    private PacedL1Command() {}

    /** A writer pause after each seal. */
    static final class Pace implements FaultInjector {
        private static final long serialVersionUID = 1L;

        private final long millis;

        Pace(long millis) {
            this.millis = millis;
        }

        @Override
        public void afterSeal(String segment) throws Exception {
            Thread.sleep(millis);
        }

        /** Holds the commit, once recorded in the store, while the gate file exists. */
        @Override
        public void duringCommit(io.artdag.l1.sink.segment.SegmentCommittable c) throws Exception {
            String gate = System.getenv(GATE_ENV);
            while (gate != null && java.nio.file.Files.exists(java.nio.file.Path.of(gate))) {
                Thread.sleep(20);
            }
        }
    }

    public static void main(String[] args) {
        LocalIngest.defaultFaults = new Pace(PAUSE_MS);
        System.exit(L1Command.execute(args));
    }
}
