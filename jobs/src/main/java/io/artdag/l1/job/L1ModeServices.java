package io.artdag.l1.job;

import io.artdag.l1.sink.l1.L1Publisher;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.sink.l1.PinBackends;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;

/** The services of l1 mode as the l1 command and the cluster job read them from the options. */
@Internal
final class L1ModeServices {
    private L1ModeServices() {}

    /** The services of l1 mode, or null in local mode. */
    static L1Settings settings(Configuration options) {
        String mode = options.get(IngestOptions.MODE);
        switch (mode) {
            case "local":
                return null;
            case "l1":
                return L1Settings.fromConfig(options);
            default:
                throw new IllegalArgumentException(
                        IngestOptions.MODE.key() + " '" + mode + "': expected local or l1");
        }
    }

    /**
     * l1 mode's pin backends beyond Kubo, their credentials checked (a wrong token fails the run
     * here, naming the backend).
     */
    static PinBackends pins(Configuration options) {
        PinBackends pins = PinBackends.fromConfig(options, System.getenv());
        L1Publisher.preflight(pins);
        return pins;
    }
}
