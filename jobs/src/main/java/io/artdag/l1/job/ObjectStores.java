package io.artdag.l1.job;

import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;

/**
 * Inputs in S3-compatible storage ({@code s3://BUCKET/PREFIX}) for runs in this process: Flink's
 * FileSystem configured from the environment, never from command-line arguments.
 *
 * <ul>
 *   <li>{@value #ENDPOINT_ENV}: the server's URL (for example {@code http://127.0.0.1:9400} from
 *       {@code deploy/local/s3.sh}); when set, requests are path-style ({@code
 *       ENDPOINT/BUCKET/KEY}), as S3-compatible servers expect. Unset: AWS S3 itself.
 *   <li>{@code AWS_REGION}: the region to sign for.
 *   <li>{@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} (and {@code AWS_SESSION_TOKEN}):
 *       read by the S3 FileSystem's own credential chain from the environment; never copied into
 *       Flink's configuration, so they cannot show in its logs.
 * </ul>
 *
 * <p>On a Flink cluster the same settings belong in the cluster's configuration ({@code
 * s3.endpoint}, {@code s3.path.style.access}, {@code s3.endpoint.region}) with the credentials in
 * the TaskManagers' and the JobManager's environment, and the {@code flink-s3-fs-hadoop} plugin
 * installed.
 */
@Internal
public final class ObjectStores {
    /** The S3-compatible server's URL. */
    public static final String ENDPOINT_ENV = "L1_S3_ENDPOINT";

    /** The region requests are signed for. */
    public static final String REGION_ENV = "AWS_REGION";

    private static final String SDK_V1_ANNOUNCEMENT = "aws.java.v1.disableDeprecationAnnouncement";

    private ObjectStores() {}

    /** Flink's S3 FileSystem settings ({@code s3.*}) for the environment {@code env}. */
    public static Configuration configuration(Map<String, String> env) {
        Configuration conf = new Configuration();
        String endpoint = env.get(ENDPOINT_ENV);
        if (endpoint != null && !endpoint.isBlank()) {
            conf.setString("s3.endpoint", endpoint.trim());
            conf.setString("s3.path.style.access", "true");
        }
        String region = env.get(REGION_ENV);
        if (region != null && !region.isBlank()) {
            conf.setString("s3.endpoint.region", region.trim());
        }
        return conf;
    }

    /**
     * Configures this process's Flink FileSystems from the process environment; called before
     * inputs named by URI are resolved, in the process whose MiniCluster reads them.
     */
    public static void initialize() {
        // flink-s3-fs-hadoop's AWS SDK 1.x prints a stack trace to stderr when first loaded.
        if (System.getProperty(SDK_V1_ANNOUNCEMENT) == null) {
            System.setProperty(SDK_V1_ANNOUNCEMENT, "true");
        }
        FileSystem.initialize(configuration(System.getenv()), null);
    }
}
