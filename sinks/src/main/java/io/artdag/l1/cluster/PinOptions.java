package io.artdag.l1.cluster;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Configuration of replicated pinning: an IPFS Cluster REST API ({@code l1.pin.cluster.*}) and an
 * IPFS Pinning Service API ({@code l1.pin.service.*}). Secrets come from files or environment
 * variables, never from arguments, and are never logged.
 *
 * <p>Replication follows IPFS Cluster's own rules: {@code -1}/{@code -1} pins on every peer (also
 * on peers that were down when the pin was made, once they are back, and on peers that join later);
 * {@code N}/{@code M} with {@code 1 <= N <= M} allocates the pin to at most M of the peers that are
 * up, and the pin fails (HTTP 500, retryable) when fewer than N are. A peer that was already
 * counted as down (its metrics expire after ~30 s) is not allocated, and the cluster does not add
 * it later. Mixing {@code -1} with a positive number is refused by IPFS Cluster.
 */
@PublicEvolving
public final class PinOptions {
    private PinOptions() {}

    /** Environment variable holding the cluster REST API password (basic auth). */
    public static final String CLUSTER_PASSWORD_ENV = "L1_CLUSTER_PASSWORD";

    /** Environment variable holding the Pinning Service API bearer token. */
    public static final String SERVICE_TOKEN_ENV = "L1_PINSVC_TOKEN";

    public static final ConfigOption<String> CLUSTER_API =
            ConfigOptions.key("l1.pin.cluster.api")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "IPFS Cluster REST API (http://HOST:9094) that pins committed"
                                    + " content with replication; unset: no cluster. Locally"
                                    + " deploy/local/ipfs-cluster.sh exports it as"
                                    + " L1_CLUSTER_API.");

    public static final ConfigOption<Integer> CLUSTER_REPLICATION_MIN =
            ConfigOptions.key("l1.pin.cluster.replication-min")
                    .intType()
                    .defaultValue(-1)
                    .withDescription(
                            "Fewest cluster peers a pin must be allocated to (the pin fails,"
                                    + " retryably, when fewer are up); -1 together with"
                                    + " replication-max -1: every peer.");

    public static final ConfigOption<Integer> CLUSTER_REPLICATION_MAX =
            ConfigOptions.key("l1.pin.cluster.replication-max")
                    .intType()
                    .defaultValue(-1)
                    .withDescription(
                            "Most cluster peers a pin is allocated to; -1 (with"
                                    + " replication-min -1): every peer, including peers that"
                                    + " were down when it was pinned, once they are back.");

    public static final ConfigOption<String> CLUSTER_USER =
            ConfigOptions.key("l1.pin.cluster.user")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Basic-auth user of the cluster REST API; unset: no"
                                    + " authentication. Its password comes from"
                                    + " l1.pin.cluster.password-file or $"
                                    + CLUSTER_PASSWORD_ENV
                                    + ".");

    public static final ConfigOption<String> CLUSTER_PASSWORD_FILE =
            ConfigOptions.key("l1.pin.cluster.password-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the cluster REST API password (one trailing newline"
                                    + " is stripped); else $"
                                    + CLUSTER_PASSWORD_ENV
                                    + ".");

    public static final ConfigOption<String> SERVICE_ENDPOINT =
            ConfigOptions.key("l1.pin.service.endpoint")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "IPFS Pinning Service API endpoint (the URL its /pins hangs off,"
                                    + " e.g. http://127.0.0.1:9097 for IPFS Cluster's); unset:"
                                    + " no pinning service. Locally L1_PINSVC_API.");

    public static final ConfigOption<String> SERVICE_TOKEN_FILE =
            ConfigOptions.key("l1.pin.service.token-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the Pinning Service API bearer token (one trailing"
                                    + " newline is stripped); else $"
                                    + SERVICE_TOKEN_ENV
                                    + ". deploy/local/ipfs-cluster.sh keeps its token in"
                                    + " $L1_SERVICES_DIR/ipfs-cluster/pinsvc.token.");
}
