package io.artdag.l1.sink.l1;

import io.artdag.l1.cluster.ClusterReplication;
import io.artdag.l1.cluster.IpfsClusterClientOptions;
import io.artdag.l1.cluster.PinOptions;
import io.artdag.l1.cluster.PinningServiceClientOptions;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The pin backends of l1 mode beyond the local Kubo — an IPFS Cluster and a Pinning Service API
 * ({@link PinOptions}) — and which of them must confirm a pin before Redis names its CID ({@link
 * #REQUIRED}). Secrets are resolved where the job is built (from files or the environment) and
 * travel with the job graph like the PostgreSQL password; no {@code toString()} shows them.
 *
 * @param cluster the cluster's REST API, or null
 * @param service the pinning service, or null
 */
@PublicEvolving
public record PinBackends(
        IpfsClusterClientOptions cluster,
        ClusterReplication replication,
        PinningServiceClientOptions service,
        Set<String> required)
        implements Serializable {

    /** The backend names of {@link #REQUIRED}. */
    public static final String KUBO = "kubo";

    public static final String CLUSTER = "ipfs-cluster";
    public static final String SERVICE = "pinning-service";

    public static final ConfigOption<List<String>> REQUIRED =
            ConfigOptions.key("l1.pin.required")
                    .stringType()
                    .asList()
                    .defaultValues(KUBO, CLUSTER)
                    .withDescription(
                            "The pin backends that must confirm a pin before Redis names the CID"
                                    + " (kubo, ipfs-cluster, pinning-service; ';'-separated)."
                                    + " kubo always does (its import and pin come first); a"
                                    + " configured backend not listed is tracked: its pins are"
                                    + " requested once the CID is published and re-checked at"
                                    + " every later commit (and by `l1 pins --refresh`), without"
                                    + " holding back the checkpoint.");

    /** No backend beyond Kubo. */
    public static final PinBackends NONE =
            new PinBackends(null, ClusterReplication.EVERYWHERE, null, Set.of(KUBO));

    public PinBackends {
        required = Set.copyOf(required);
    }

    /**
     * Reads {@link PinOptions} and {@link #REQUIRED} from {@code config}; secrets from files or
     * {@code env}.
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public static PinBackends fromConfig(ReadableConfig config, Map<String, String> env) {
        Set<String> required = new TreeSet<>(config.get(REQUIRED));
        for (String r : required) {
            if (!Set.of(KUBO, CLUSTER, SERVICE).contains(r)) {
                throw new IllegalArgumentException(
                        REQUIRED.key()
                                + ": unknown backend '"
                                + r
                                + "' (kubo, ipfs-cluster, pinning-service)");
            }
        }
        boolean hasService = config.getOptional(PinOptions.SERVICE_ENDPOINT).isPresent();
        if (required.contains(SERVICE) && !hasService) {
            throw new IllegalArgumentException(
                    REQUIRED.key()
                            + " names pinning-service but "
                            + PinOptions.SERVICE_ENDPOINT.key()
                            + " is not set");
        }
        IpfsClusterClientOptions cluster =
                config.getOptional(PinOptions.CLUSTER_API).isPresent()
                        ? IpfsClusterClientOptions.fromConfig(config, env)
                        : null;
        PinningServiceClientOptions service =
                hasService ? PinningServiceClientOptions.fromConfig(config, env) : null;
        return new PinBackends(
                cluster,
                cluster == null
                        ? ClusterReplication.EVERYWHERE
                        : ClusterReplication.fromConfig(config),
                service,
                required);
    }

    /** Whether {@code backend} is configured and must confirm before Redis names the CID. */
    public boolean requires(String backend) {
        return required.contains(backend);
    }
}
