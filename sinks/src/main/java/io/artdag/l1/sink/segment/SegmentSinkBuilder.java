package io.artdag.l1.sink.segment;

import io.artdag.l1.ipld.UnixFsProfile;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/** Builds a {@link SegmentSink}; {@link #build()} checks every setting and says what is wrong. */
@PublicEvolving
public class SegmentSinkBuilder {
    /** Smallest seal size accepted: a segment must hold at least one full chunk. */
    public static final long MIN_SEAL_BYTES = 2L << 20;

    private Path storePath;
    private String profile = SegmentSinkOptions.PROFILE.defaultValue();
    private long sealBytes = SegmentSinkOptions.SEAL_BYTES.defaultValue().getBytes();
    private Duration sealAge = SegmentSinkOptions.SEAL_AGE.defaultValue();
    private long headerReserve = SegmentSinkOptions.HEADER_RESERVE.defaultValue().getBytes();
    private int commitMaxRetries = SegmentSinkOptions.COMMIT_MAX_RETRIES.defaultValue();
    private boolean retainLocal = SegmentSinkOptions.RETAIN_LOCAL.defaultValue();
    private FaultInjector faultInjector = FaultInjector.NONE;
    private SegmentPublisher.Factory publisher;
    private SegmentHandoff.Factory handoff;
    private boolean perTaskManagerStaging;
    private String stagingDir;

    SegmentSinkBuilder() {}

    /** Takes every {@link SegmentSinkOptions} set in {@code config}. */
    public SegmentSinkBuilder setConfig(ReadableConfig config) {
        config.getOptional(SegmentSinkOptions.STORE_PATH).ifPresent(p -> storePath = Path.of(p));
        profile = config.get(SegmentSinkOptions.PROFILE);
        sealBytes = config.get(SegmentSinkOptions.SEAL_BYTES).getBytes();
        sealAge = config.get(SegmentSinkOptions.SEAL_AGE);
        headerReserve = config.get(SegmentSinkOptions.HEADER_RESERVE).getBytes();
        commitMaxRetries = config.get(SegmentSinkOptions.COMMIT_MAX_RETRIES);
        retainLocal = config.get(SegmentSinkOptions.RETAIN_LOCAL);
        config.getOptional(SegmentSinkOptions.STAGING_DIR).ifPresent(d -> stagingDir = d);
        return this;
    }

    public SegmentSinkBuilder setStorePath(Path storePath) {
        this.storePath = storePath;
        return this;
    }

    public SegmentSinkBuilder setProfile(String profile) {
        this.profile = profile;
        return this;
    }

    public SegmentSinkBuilder setSealBytes(long sealBytes) {
        this.sealBytes = sealBytes;
        return this;
    }

    public SegmentSinkBuilder setSealAge(Duration sealAge) {
        this.sealAge = sealAge;
        return this;
    }

    public SegmentSinkBuilder setHeaderReserveBytes(long headerReserve) {
        this.headerReserve = headerReserve;
        return this;
    }

    public SegmentSinkBuilder setCommitMaxRetries(int commitMaxRetries) {
        this.commitMaxRetries = commitMaxRetries;
        return this;
    }

    /** {@link SegmentSinkOptions#RETAIN_LOCAL}: keep published segments' files (l1 mode). */
    public SegmentSinkBuilder setRetainLocal(boolean retainLocal) {
        this.retainLocal = retainLocal;
        return this;
    }

    /** For failover tests: throws at chosen points to simulate crashes. */
    public SegmentSinkBuilder setFaultInjector(FaultInjector faultInjector) {
        this.faultInjector = faultInjector;
        return this;
    }

    /**
     * Also publish what is committed locally through this publisher (l1 mode: {@code L1Publisher});
     * null, the default, publishes nothing (local mode).
     */
    public SegmentSinkBuilder setPublisher(SegmentPublisher.Factory publisher) {
        this.publisher = publisher;
        return this;
    }

    /**
     * Hands each sealed segment off through {@code handoff} before its checkpoint (l1 mode: {@code
     * KuboSealImport}); null, the default, keeps sealed segments on this machine only.
     */
    public SegmentSinkBuilder setHandoff(SegmentHandoff.Factory handoff) {
        this.handoff = handoff;
        return this;
    }

    /**
     * Stages segments on each TaskManager's own disk instead of one store path: under {@link
     * SegmentSinkOptions#STAGING_DIR} (or the TaskManager's temporary directory), one directory per
     * job. Needs a publisher and a handoff, so that nothing lives only on one machine's disk past
     * its checkpoint.
     */
    public SegmentSinkBuilder setPerTaskManagerStaging(boolean perTaskManagerStaging) {
        this.perTaskManagerStaging = perTaskManagerStaging;
        return this;
    }

    /** {@link SegmentSinkOptions#STAGING_DIR}; null: the TaskManager's temporary directory. */
    public SegmentSinkBuilder setStagingDir(String stagingDir) {
        this.stagingDir = stagingDir;
        return this;
    }

    public SegmentSink build() {
        if (perTaskManagerStaging) {
            if (storePath != null) {
                throw new IllegalArgumentException(
                        "segment sink: per-TaskManager staging takes no store path (got "
                                + storePath
                                + "); set "
                                + SegmentSinkOptions.STAGING_DIR.key()
                                + " for the directory on each TaskManager");
            }
            if (publisher == null || handoff == null) {
                throw new IllegalArgumentException(
                        "segment sink: per-TaskManager staging needs a publisher and a handoff"
                                + " (l1 mode), or sealed segments would live on one machine's"
                                + " disk only");
            }
            if (stagingDir != null && !Path.of(stagingDir).isAbsolute()) {
                throw new IllegalArgumentException(
                        "segment sink: "
                                + SegmentSinkOptions.STAGING_DIR.key()
                                + " = "
                                + stagingDir
                                + " must be an absolute path (it is resolved on each"
                                + " TaskManager)");
            }
        } else if (storePath == null) {
            throw new IllegalArgumentException(
                    "segment sink: no store path (set "
                            + SegmentSinkOptions.STORE_PATH.key()
                            + ")");
        }
        UnixFsProfile p = UnixFsProfile.fromId(profile);
        if (sealBytes < MIN_SEAL_BYTES) {
            throw new IllegalArgumentException(
                    "segment sink: "
                            + SegmentSinkOptions.SEAL_BYTES.key()
                            + " = "
                            + sealBytes
                            + " bytes is below the minimum of "
                            + MIN_SEAL_BYTES
                            + " bytes");
        }
        if (sealAge == null || sealAge.isNegative()) {
            throw new IllegalArgumentException(
                    "segment sink: "
                            + SegmentSinkOptions.SEAL_AGE.key()
                            + " must be 0 or positive");
        }
        if (headerReserve < 1024 || headerReserve > (64L << 20)) {
            throw new IllegalArgumentException(
                    "segment sink: "
                            + SegmentSinkOptions.HEADER_RESERVE.key()
                            + " = "
                            + headerReserve
                            + " bytes; expected between 1 KiB and 64 MiB");
        }
        if (commitMaxRetries < 0) {
            throw new IllegalArgumentException(
                    "segment sink: "
                            + SegmentSinkOptions.COMMIT_MAX_RETRIES.key()
                            + " must be >= 0");
        }
        if (faultInjector == null) {
            throw new IllegalArgumentException("segment sink: fault injector must not be null");
        }
        return new SegmentSink(
                perTaskManagerStaging ? null : storePath.toAbsolutePath().normalize().toString(),
                perTaskManagerStaging
                        ? (stagingDir == null ? "" : Path.of(stagingDir).normalize().toString())
                        : null,
                p.id(),
                sealBytes,
                sealAge.toMillis(),
                (int) headerReserve,
                commitMaxRetries,
                retainLocal,
                faultInjector,
                publisher,
                handoff);
    }

    /** A builder preset from {@code config}. */
    public static SegmentSinkBuilder fromConfig(Configuration config) {
        return new SegmentSinkBuilder().setConfig(config);
    }
}
