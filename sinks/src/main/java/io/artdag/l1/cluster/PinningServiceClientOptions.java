package io.artdag.l1.cluster;

import io.artdag.l1.secrets.SecretFiles;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of a {@link PinningServiceClient}. Build with {@link #builder()} or {@link
 * #fromConfig(ReadableConfig, Map)}; {@link Builder#build()} validates and names the offending
 * setting. The token never appears in {@link #toString()}.
 *
 * <ul>
 *   <li>{@code endpoint}: the service's base URL, {@code /pins} is appended (required).
 *   <li>{@code token}: sent as {@code Authorization: Bearer <token>} (required).
 *   <li>{@code connectTimeout} (default 5 s), {@code requestTimeout} (default 30 s).
 * </ul>
 */
@Internal
public final class PinningServiceClientOptions implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final String token;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    private PinningServiceClientOptions(Builder b, URI endpoint) {
        this.endpoint = endpoint;
        this.token = b.token;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * From {@link PinOptions}: {@code l1.pin.service.endpoint} and the token from {@code
     * l1.pin.service.token-file}, else {@code $L1_PINSVC_TOKEN}.
     *
     * @throws IllegalArgumentException naming the option that is missing or wrong
     */
    public static PinningServiceClientOptions fromConfig(
            ReadableConfig config, Map<String, String> env) {
        Optional<String> file = config.getOptional(PinOptions.SERVICE_TOKEN_FILE);
        String token =
                file.isPresent() && !file.get().isBlank()
                        ? SecretFiles.read(Path.of(file.get()), PinOptions.SERVICE_TOKEN_FILE.key())
                        : env.get(PinOptions.SERVICE_TOKEN_ENV);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(
                    "the pinning service needs a token: give "
                            + PinOptions.SERVICE_TOKEN_FILE.key()
                            + " or set "
                            + PinOptions.SERVICE_TOKEN_ENV);
        }
        return builder()
                .endpoint(config.getOptional(PinOptions.SERVICE_ENDPOINT).orElse(null))
                .token(token)
                .build();
    }

    /** The endpoint without a trailing slash, e.g. {@code http://127.0.0.1:9097}. */
    public URI endpoint() {
        return endpoint;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** The {@code Authorization} header value. */
    String authorization() {
        return "Bearer " + token;
    }

    @Override
    public String toString() {
        return "PinningServiceClientOptions{endpoint="
                + endpoint
                + ", token=***, connectTimeout="
                + connectTimeout
                + ", requestTimeout="
                + requestTimeout
                + '}';
    }

    /** Builder; all setters return {@code this}. */
    public static final class Builder {
        private String endpoint;
        private String token;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        private Builder() {}

        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The bearer token; surrounding whitespace is dropped. */
        public Builder token(String token) {
            this.token = token == null ? null : token.strip();
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

        public PinningServiceClientOptions build() {
            URI uri =
                    BackendHttp.baseUrl(
                            endpoint,
                            "pinning service endpoint ("
                                    + PinOptions.SERVICE_ENDPOINT.key()
                                    + ", e.g. http://127.0.0.1:9097; locally"
                                    + " deploy/local/ipfs-cluster.sh exports it as"
                                    + " L1_PINSVC_API)");
            if (token == null || token.isEmpty()) {
                throw new IllegalArgumentException(
                        "pinning service token is required ("
                                + PinOptions.SERVICE_TOKEN_FILE.key()
                                + " or "
                                + PinOptions.SERVICE_TOKEN_ENV
                                + ")");
            }
            if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException(
                        "pinning service token must be printable ASCII without spaces");
            }
            BackendHttp.requirePositive("pinning service connectTimeout", connectTimeout);
            BackendHttp.requirePositive("pinning service requestTimeout", requestTimeout);
            return new PinningServiceClientOptions(this, uri);
        }
    }
}
