package io.artdag.l1.cli;

import io.artdag.l1.cluster.PinOptions;
import io.artdag.l1.sink.l1.PinBackends;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/** l1 mode's pin backends beyond the local Kubo, as {@code ingest} options. */
final class PinCliOptions {
    @Option(
            names = "--pin-cluster",
            paramLabel = "URL",
            description =
                    "l1 mode: also pin through this IPFS Cluster REST API (e.g."
                            + " http://127.0.0.1:9094); its first peer must use the same Kubo.")
    String clusterApi;

    @Option(
            names = "--pin-replication",
            paramLabel = "MIN:MAX",
            description = "Cluster replication factors (default: -1:-1, every peer).",
            defaultValue = "-1:-1")
    String replication;

    @Option(
            names = "--pin-service",
            paramLabel = "URL",
            description =
                    "l1 mode: also pin on this Pinning Service API endpoint; its token from"
                            + " --pin-service-token-file or $L1_PINSVC_TOKEN.")
    String serviceEndpoint;

    @Option(
            names = "--pin-service-token-file",
            paramLabel = "FILE",
            description = "File holding the pinning service's bearer token.")
    String serviceTokenFile;

    @Option(
            names = "--pin-required",
            paramLabel = "BACKEND",
            split = ",",
            description =
                    "Backends that must confirm a pin before Redis names the CID (default:"
                            + " kubo,ipfs-cluster); others are tracked.")
    List<String> required;

    void applyTo(Configuration options) {
        if (clusterApi != null) {
            options.set(PinOptions.CLUSTER_API, clusterApi);
            String[] mm = replication.split(":", -1);
            if (mm.length != 2) {
                throw new IllegalArgumentException(
                        "--pin-replication '" + replication + "': expected MIN:MAX, e.g. 2:2");
            }
            try {
                options.set(PinOptions.CLUSTER_REPLICATION_MIN, Integer.parseInt(mm[0].trim()));
                options.set(PinOptions.CLUSTER_REPLICATION_MAX, Integer.parseInt(mm[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--pin-replication '" + replication + "': expected MIN:MAX, e.g. 2:2");
            }
        }
        if (serviceEndpoint != null) {
            options.set(PinOptions.SERVICE_ENDPOINT, serviceEndpoint);
        }
        if (serviceTokenFile != null) {
            options.set(PinOptions.SERVICE_TOKEN_FILE, serviceTokenFile);
        }
        if (required != null) {
            options.set(PinBackends.REQUIRED, required);
        }
    }
}
