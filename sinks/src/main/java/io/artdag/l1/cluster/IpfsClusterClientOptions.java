package io.artdag.l1.cluster;

import io.artdag.l1.secrets.SecretFiles;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of an {@link IpfsClusterClient}. Build with {@link #builder()} or {@link
 * #fromConfig(ReadableConfig, Map)}; {@link Builder#build()} validates and names the offending
 * setting.
 *
 * <ul>
 *   <li>{@code apiUrl}: the cluster REST API, e.g. {@code http://127.0.0.1:9094} (required).
 *   <li>{@code connectTimeout}: TCP connect (default 5 s).
 *   <li>{@code requestTimeout}: until the answer's headers arrive (default 30 s); the cluster
 *       answers a pin once it is in its shared state, not when the peers have pinned it.
 *   <li>{@code basicAuth}: user and password, sent as {@code Authorization: Basic} when set.
 * </ul>
 */
@Internal
public final class IpfsClusterClientOptions implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI apiUrl;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final String user;
    private final String password;

    private IpfsClusterClientOptions(Builder b, URI apiUrl) {
        this.apiUrl = apiUrl;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.user = b.user;
        this.password = b.password;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * From {@link PinOptions}: {@code l1.pin.cluster.api}, {@code l1.pin.cluster.user} and the
     * password from {@code l1.pin.cluster.password-file}, else {@code $L1_CLUSTER_PASSWORD}.
     *
     * @throws IllegalArgumentException naming the option that is missing or wrong
     */
    public static IpfsClusterClientOptions fromConfig(
            ReadableConfig config, Map<String, String> env) {
        Builder b = builder().apiUrl(config.getOptional(PinOptions.CLUSTER_API).orElse(null));
        Optional<String> user = config.getOptional(PinOptions.CLUSTER_USER);
        Optional<String> file = config.getOptional(PinOptions.CLUSTER_PASSWORD_FILE);
        if (user.isPresent() && !user.get().isBlank()) {
            String pw =
                    file.isPresent() && !file.get().isBlank()
                            ? SecretFiles.read(
                                    Path.of(file.get()), PinOptions.CLUSTER_PASSWORD_FILE.key())
                            : env.get(PinOptions.CLUSTER_PASSWORD_ENV);
            if (pw == null || pw.isEmpty()) {
                throw new IllegalArgumentException(
                        PinOptions.CLUSTER_USER.key()
                                + " is set but there is no password: give "
                                + PinOptions.CLUSTER_PASSWORD_FILE.key()
                                + " or set "
                                + PinOptions.CLUSTER_PASSWORD_ENV);
            }
            b.basicAuth(user.get().strip(), pw);
        } else if (file.isPresent() && !file.get().isBlank()) {
            throw new IllegalArgumentException(
                    PinOptions.CLUSTER_PASSWORD_FILE.key()
                            + " is set without "
                            + PinOptions.CLUSTER_USER.key());
        }
        return b.build();
    }

    /** The API base without a trailing slash, e.g. {@code http://127.0.0.1:9094}. */
    public URI apiUrl() {
        return apiUrl;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The {@code Authorization} header value, when basic auth is configured. */
    Optional<String> authorization() {
        if (user == null) {
            return Optional.empty();
        }
        String raw = user + ":" + password;
        return Optional.of(
                "Basic "
                        + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "IpfsClusterClientOptions{apiUrl="
                + apiUrl
                + ", connectTimeout="
                + connectTimeout
                + ", requestTimeout="
                + requestTimeout
                + ", basicAuth="
                + (user == null ? "none" : user + ":***")
                + '}';
    }

    /** Builder; all setters return {@code this}. */
    public static final class Builder {
        private String apiUrl;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private String user;
        private String password;

        private Builder() {}

        public Builder apiUrl(String apiUrl) {
            this.apiUrl = apiUrl;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Basic auth; {@code null} user means none. */
        public Builder basicAuth(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        public IpfsClusterClientOptions build() {
            URI uri =
                    BackendHttp.baseUrl(
                            apiUrl,
                            "IPFS Cluster apiUrl ("
                                    + PinOptions.CLUSTER_API.key()
                                    + ", e.g. http://127.0.0.1:9094; locally"
                                    + " deploy/local/ipfs-cluster.sh exports it as"
                                    + " L1_CLUSTER_API)");
            BackendHttp.requirePositive("IPFS Cluster connectTimeout", connectTimeout);
            BackendHttp.requirePositive("IPFS Cluster requestTimeout", requestTimeout);
            if (user != null) {
                if (user.isEmpty() || user.contains(":")) {
                    throw new IllegalArgumentException(
                            "IPFS Cluster basic-auth user must be non-empty without ':'");
                }
                if (password == null || password.isEmpty()) {
                    throw new IllegalArgumentException(
                            "IPFS Cluster basic-auth password must not be empty");
                }
            }
            return new IpfsClusterClientOptions(this, uri);
        }
    }
}
