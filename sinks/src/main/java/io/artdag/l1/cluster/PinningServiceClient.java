package io.artdag.l1.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.Internal;

/**
 * A client for the IPFS Pinning Service API ({@code /pins}, bearer token), as IPFS Cluster's {@code
 * pinsvcapi} and hosted pinning services serve it: request a pin, follow the request, find the
 * requests for a CID.
 *
 * <p>A wrong or missing token (HTTP 401/403) is a {@link PinningServiceException} saying {@code
 * pinning service <url>: unauthorized (check the token)}, never retryable; connect errors, timeouts
 * and 5xx are {@link PinningServiceUnavailableException}s. The token is never part of a message.
 * Instances are thread-safe.
 */
@Internal
public final class PinningServiceClient {
    private final BackendHttp<PinningServiceException> http;

    public PinningServiceClient(PinningServiceClientOptions options) {
        Objects.requireNonNull(options, "options");
        this.http =
                new BackendHttp<>(
                        options.endpoint(),
                        options.connectTimeout(),
                        options.requestTimeout(),
                        Optional.of(options.authorization()),
                        "the token",
                        PinningServiceException::new,
                        PinningServiceUnavailableException::new);
    }

    /**
     * {@code POST /pins {cid, name, origins}}: asks the service to pin {@code cid}; the answer is
     * usually {@code queued}. Follow it with {@link #get(String)}.
     *
     * @param name the pin's name (at most 255 characters), or null
     * @param origins multiaddrs of peers that hold the content, may be empty
     */
    public PinRequestStatus add(String cid, String name, List<String> origins)
            throws PinningServiceException {
        String c = BackendHttp.requireCid(cid, "CID");
        if (name != null && name.length() > 255) {
            throw new IllegalArgumentException("pin name longer than 255 characters");
        }
        ObjectNode body = http.mapper.createObjectNode().put("cid", c);
        if (name != null && !name.isEmpty()) {
            body.put("name", name);
        }
        ArrayNode o = body.putArray("origins");
        for (String origin : origins == null ? List.<String>of() : origins) {
            o.add(Objects.requireNonNull(origin, "origin"));
        }
        HttpRequest req =
                http.request("/pins")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build();
        return status(http.json("POST /pins", req));
    }

    /** {@code GET /pins/{requestid}}: the request's status; empty when the service has none. */
    public Optional<PinRequestStatus> get(String requestId) throws PinningServiceException {
        String id = BackendHttp.requireCid(requestId, "request id");
        String request = "GET /pins/" + id;
        HttpResponse<InputStream> rsp =
                http.sendUnlessMissing(request, http.request("/pins/" + id).GET().build());
        return rsp == null ? Optional.empty() : Optional.of(status(http.readJson(request, rsp)));
    }

    /**
     * {@code GET /pins?cid=..&status=queued,pinning,pinned,failed}: the requests for {@code cid} in
     * any state (the API's default would list only {@code pinned} ones).
     */
    public List<PinRequestStatus> findByCid(String cid) throws PinningServiceException {
        String c = BackendHttp.requireCid(cid, "CID");
        JsonNode n =
                http.json(
                        "GET /pins?cid=" + c,
                        http.request("/pins?cid=" + c + "&status=queued,pinning,pinned,failed")
                                .GET()
                                .build());
        List<PinRequestStatus> out = new ArrayList<>();
        for (JsonNode r : n.path("results")) {
            out.add(status(r));
        }
        return List.copyOf(out);
    }

    /**
     * {@code DELETE /pins/{requestid}}: withdraws the request (the service unpins).
     *
     * @return false when the service has no such request
     */
    public boolean remove(String requestId) throws PinningServiceException {
        return http.delete("/pins/" + BackendHttp.requireCid(requestId, "request id"));
    }

    private static PinRequestStatus status(JsonNode n) {
        JsonNode pin = n.path("pin");
        return new PinRequestStatus(
                BackendHttp.text(n, "requestid"),
                PinRequestStatus.Status.of(BackendHttp.text(n, "status")),
                BackendHttp.text(n, "created"),
                BackendHttp.text(pin, "cid"),
                BackendHttp.text(pin, "name"),
                BackendHttp.strings(pin.get("origins")),
                BackendHttp.strings(n.get("delegates")));
    }
}
