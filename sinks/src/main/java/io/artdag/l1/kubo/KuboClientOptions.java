package io.artdag.l1.kubo;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of a {@link KuboClient}. Build with {@link #builder()}; {@link Builder#build()}
 * validates and names the offending setting.
 *
 * <ul>
 *   <li>{@code apiUrl}: Kubo's RPC address, e.g. {@code http://127.0.0.1:5001} (required; any path
 *       is kept as a prefix before {@code /api/v0/}).
 *   <li>{@code connectTimeout}: TCP connect (default 5 s).
 *   <li>{@code requestTimeout}: until the response headers of small calls ({@code id}, {@code
 *       version}, {@code block/stat}, {@code pin/ls}) arrive (default 30 s).
 *   <li>{@code transferTimeout}: the same for calls that move or walk a whole DAG ({@code
 *       dag/import}, {@code pin/add}, {@code cat}, {@code dag/export}); Kubo answers {@code
 *       dag/import} only after the whole CAR is imported and its roots pinned (default 30 min).
 *   <li>{@code bearerToken}: sent as {@code Authorization: Bearer <token>} when set.
 * </ul>
 */
@Internal
public final class KuboClientOptions implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** The option l1 mode reads the API address from (also listed in {@code L1Options}). */
    public static final ConfigOption<String> API =
            ConfigOptions.key("l1.kubo.api")
                    .stringType()
                    .defaultValue("http://127.0.0.1:5001")
                    .withDescription(
                            "Kubo RPC API that segments are imported into (roots pinned): an"
                                    + " http(s) URL or a multiaddr as artdag's IPFS_API writes it"
                                    + " (/ip4/127.0.0.1/tcp/5001, /dns/HOST/tcp/PORT).");

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TRANSFER_TIMEOUT = Duration.ofMinutes(30);

    private final URI apiUrl;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration transferTimeout;
    private final String bearerToken;

    private KuboClientOptions(Builder b, URI apiUrl) {
        this.apiUrl = apiUrl;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.transferTimeout = b.transferTimeout;
        this.bearerToken = b.bearerToken;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * From {@link #API}, the other settings at their defaults.
     *
     * @throws IllegalArgumentException naming the option, when it is blank or not an address
     */
    public static KuboClientOptions fromConfig(ReadableConfig config) {
        String api = config.get(API);
        if (api == null || api.isBlank()) {
            throw new IllegalArgumentException("l1 mode needs " + API.key());
        }
        return builder().apiUrl(api).build();
    }

    /** The API base without a trailing slash, e.g. {@code http://127.0.0.1:5001}. */
    public URI apiUrl() {
        return apiUrl;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration transferTimeout() {
        return transferTimeout;
    }

    public Optional<String> bearerToken() {
        return Optional.ofNullable(bearerToken);
    }

    @Override
    public String toString() {
        return "KuboClientOptions{apiUrl="
                + apiUrl
                + ", connectTimeout="
                + connectTimeout
                + ", requestTimeout="
                + requestTimeout
                + ", transferTimeout="
                + transferTimeout
                + ", bearerToken="
                + (bearerToken == null ? "none" : "***")
                + '}';
    }

    /** Builder; all setters return {@code this}. */
    public static final class Builder {
        private String apiUrl;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration transferTimeout = DEFAULT_TRANSFER_TIMEOUT;
        private String bearerToken;

        private Builder() {}

        public Builder apiUrl(String apiUrl) {
            this.apiUrl = apiUrl;
            return this;
        }

        public Builder apiUrl(URI apiUrl) {
            this.apiUrl = apiUrl == null ? null : apiUrl.toString();
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

        public Builder transferTimeout(Duration transferTimeout) {
            this.transferTimeout = transferTimeout;
            return this;
        }

        /** {@code null} or blank means no Authorization header. */
        public Builder bearerToken(String bearerToken) {
            this.bearerToken =
                    bearerToken == null || bearerToken.isBlank() ? null : bearerToken.strip();
            return this;
        }

        public KuboClientOptions build() {
            if (apiUrl == null || apiUrl.isBlank()) {
                throw new IllegalArgumentException(
                        "Kubo apiUrl is required (e.g. http://127.0.0.1:5001; locally"
                                + " deploy/local/services.sh exports it as L1_KUBO_API)");
            }
            // artdag's IPFS_API is a multiaddr (/ip4/127.0.0.1/tcp/5001); a URL passes unchanged
            String url = KuboAddress.toUrl(apiUrl);
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Kubo apiUrl is not a valid URI: '" + apiUrl + "': " + e.getMessage(), e);
            }
            String scheme = uri.getScheme();
            if (scheme == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                throw new IllegalArgumentException(
                        "Kubo apiUrl must be an http:// or https:// URL or a /ip4|ip6|dns|dns4|dns6/HOST/tcp/PORT multiaddr, got '"
                                + apiUrl
                                + "'");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new IllegalArgumentException("Kubo apiUrl has no host: '" + apiUrl + "'");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException(
                        "Kubo apiUrl must not have a query or fragment: '" + apiUrl + "'");
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (path.endsWith("/api/v0")) {
                path = path.substring(0, path.length() - "/api/v0".length());
            }
            URI normalized =
                    URI.create(scheme.toLowerCase() + "://" + uri.getRawAuthority() + path);
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("requestTimeout", requestTimeout);
            requirePositive("transferTimeout", transferTimeout);
            if (bearerToken != null && bearerToken.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException(
                        "Kubo bearerToken must be printable ASCII without spaces");
            }
            return new KuboClientOptions(this, normalized);
        }

        private static void requirePositive(String name, Duration d) {
            Objects.requireNonNull(d, () -> "Kubo " + name + " must not be null");
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("Kubo " + name + " must be positive, got " + d);
            }
        }
    }
}
