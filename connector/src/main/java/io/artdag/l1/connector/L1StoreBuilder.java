package io.artdag.l1.connector;

import io.artdag.l1.ipld.UnixFsProfile;
import io.artdag.l1.sink.l1.L1Options;
import io.artdag.l1.sink.l1.L1Publisher;
import io.artdag.l1.sink.l1.L1Settings;
import io.artdag.l1.sink.l1.PinBackends;
import io.artdag.l1.sink.segment.SegmentSink;
import io.artdag.l1.sink.segment.SegmentSinkOptions;
import io.artdag.l1.store.LocalStore;
import io.artdag.l1.store.StoreException;
import io.artdag.l1.store.StoreLock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Builds an {@link L1Store}; {@link #build()} checks every setting, naming the option key of the
 * one that is wrong, and prepares the store (README "Using the store from your own Flink job").
 *
 * <p>Settings: the store path ({@link #setStorePath} or {@code l1.store.path}), the mode ({@link
 * #setMode} or {@code l1.mode}: {@code local} by default, or {@code l1}), and any option of {@link
 * SegmentSinkOptions} and, for l1 mode, {@link L1Options} through {@link #setConfig} or {@link
 * #set}.
 */
@PublicEvolving
public final class L1StoreBuilder {
    private final Configuration config = new Configuration();
    private Path storePath;
    private String mode;

    L1StoreBuilder() {}

    /** The local store's directory; it must be reachable from every TaskManager. */
    public L1StoreBuilder setStorePath(Path storePath) {
        this.storePath = storePath;
        return this;
    }

    /** {@code local} or {@code l1} ({@link L1StoreOptions#MODE}); wins over {@code l1.mode}. */
    public L1StoreBuilder setMode(String mode) {
        this.mode = mode;
        return this;
    }

    /** Adds every option set in {@code options} (later calls win). */
    public L1StoreBuilder setConfig(Configuration options) {
        config.addAll(options);
        return this;
    }

    /** Sets one option. */
    public <T> L1StoreBuilder set(ConfigOption<T> option, T value) {
        config.set(option, value);
        return this;
    }

    /**
     * Checks the settings and prepares the store, as the {@code l1} command and the cluster job do
     * before their job runs: under the store's lock it opens the store and repairs what an unclean
     * stop left (keeping sealed segments a restored job may still commit); in l1 mode it first
     * checks that Kubo, Redis, PostgreSQL and the configured pin backends ({@code l1.pin.*})
     * answer, applies PostgreSQL's migrations, and then publishes what an earlier run committed but
     * did not publish. The run id ({@code l1.run-id}, the owner of this job's claims) is generated
     * here unless set.
     *
     * @throws IllegalArgumentException naming the option when a setting is missing or invalid
     * @throws IllegalStateException when the store is in use by another writer, cannot be prepared,
     *     or (l1 mode) a service does not answer
     */
    public L1Store build() {
        Configuration options = new Configuration(config);
        Path store = storePath(options);
        options.set(SegmentSinkOptions.STORE_PATH, store.toString());
        String m = mode != null ? mode : options.get(L1StoreOptions.MODE);
        if (!L1StoreOptions.LOCAL.equals(m) && !L1StoreOptions.L1.equals(m)) {
            throw new IllegalArgumentException(
                    "l1 store: "
                            + L1StoreOptions.MODE.key()
                            + " '"
                            + m
                            + "': expected "
                            + L1StoreOptions.LOCAL
                            + " or "
                            + L1StoreOptions.L1);
        }
        options.set(L1StoreOptions.MODE, m);
        String profile = options.get(SegmentSinkOptions.PROFILE);
        try {
            UnixFsProfile.fromId(profile);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "l1 store: " + SegmentSinkOptions.PROFILE.key() + ": " + e.getMessage(), e);
        }
        String runId =
                options.getOptional(L1Options.RUN_ID)
                        .filter(r -> !r.isBlank())
                        .orElseGet(() -> UUID.randomUUID().toString());
        options.set(L1Options.RUN_ID, runId);

        L1Settings l1 = null;
        PinBackends pins = PinBackends.NONE;
        if (L1StoreOptions.L1.equals(m)) {
            try {
                l1 = L1Settings.fromConfig(options).validate();
                pins = PinBackends.fromConfig(options, System.getenv());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("l1 store: " + e.getMessage(), e);
            }
        }
        SegmentSink sink =
                SegmentSink.builder()
                        .setConfig(options)
                        .setStorePath(store)
                        .setPublisher(l1 == null ? null : new L1Publisher(l1, pins))
                        .build();
        if (l1 != null) {
            L1ServiceChecks.checkAndMigrate(l1, pins);
        }
        prepare(store, l1, pins);
        return new L1Store(store, m, runId, l1, sink);
    }

    private Path storePath(Configuration options) {
        Path p = storePath;
        if (p == null) {
            String s = options.getOptional(SegmentSinkOptions.STORE_PATH).orElse(null);
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(
                        "l1 store: no store path (set "
                                + SegmentSinkOptions.STORE_PATH.key()
                                + " or call setStorePath)");
            }
            p = Path.of(s);
        }
        return p.toAbsolutePath().normalize();
    }

    /** Under the store's lock: open, repair keeping sealed segments, l1: publish pending. */
    private static void prepare(Path store, L1Settings l1, PinBackends pins) {
        try (StoreLock lock = StoreLock.acquire(store, "flink job start");
                LocalStore s = LocalStore.open(store)) {
            // Sealed segments may belong to checkpoints the job restores from: keep them.
            s.repair(true);
            if (l1 != null) {
                L1Publisher.publishPending(l1, pins, s);
            }
        } catch (StoreException e) {
            throw new IllegalStateException("l1 store: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "l1 store: publishing what an earlier run committed in "
                            + store
                            + " failed: "
                            + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("l1 store: interrupted while preparing " + store, e);
        }
    }
}
