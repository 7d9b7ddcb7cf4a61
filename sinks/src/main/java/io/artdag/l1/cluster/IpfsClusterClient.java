package io.artdag.l1.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * A small client for the IPFS Cluster REST API (v1.1) on the JDK's HTTP client: pin a CID with
 * replication factors, read its per-peer status, unpin it, list the peers.
 *
 * <p>The cluster answers a pin as soon as it is in the cluster's shared state; the peers' IPFS
 * daemons pin it afterwards, so poll {@link #status(String)} until {@link
 * ClusterPinStatus#pinnedCount()} is high enough. Errors surface as {@link IpfsClusterException}
 * (4xx: bad CID, not pinned) or {@link IpfsClusterUnavailableException} (connect errors, timeouts,
 * 5xx, including "not enough peers to allocate"), both naming the API's URL. Instances are
 * thread-safe.
 */
@Internal
public final class IpfsClusterClient {
    private final BackendHttp<IpfsClusterException> http;

    public IpfsClusterClient(IpfsClusterClientOptions options) {
        Objects.requireNonNull(options, "options");
        this.http =
                new BackendHttp<>(
                        options.apiUrl(),
                        options.connectTimeout(),
                        options.requestTimeout(),
                        options.authorization(),
                        "l1.pin.cluster.user and its password",
                        IpfsClusterException::new,
                        IpfsClusterUnavailableException::new);
    }

    /** A client with default timeouts and no authentication. */
    public static IpfsClusterClient create(String apiUrl) {
        return new IpfsClusterClient(IpfsClusterClientOptions.builder().apiUrl(apiUrl).build());
    }

    /**
     * {@code POST /pins/{cid}?replication-min=..&replication-max=..&name=..}: adds (or updates) a
     * recursive pin. Pinning a CID again with the same settings changes nothing.
     *
     * @param name the pin's name, or null
     * @throws IllegalArgumentException when the factors are not a combination the cluster accepts
     *     (see {@link ClusterReplication})
     */
    public ClusterPin pin(String cid, int replicationMin, int replicationMax, String name)
            throws IpfsClusterException {
        return pin(cid, new ClusterReplication(replicationMin, replicationMax), name);
    }

    /** {@link #pin(String, int, int, String)} with the factors as one value. */
    public ClusterPin pin(String cid, ClusterReplication replication, String name)
            throws IpfsClusterException {
        Objects.requireNonNull(replication, "replication");
        String c = BackendHttp.requireCid(cid, "CID");
        String path =
                "/pins/"
                        + c
                        + "?replication-min="
                        + replication.min()
                        + "&replication-max="
                        + replication.max()
                        + (name == null || name.isEmpty()
                                ? ""
                                : "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        String request = "POST /pins/" + c;
        JsonNode n =
                call(request, http.request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
        return new ClusterPin(
                n.path("cid").asText(c),
                BackendHttp.text(n, "name"),
                n.path("replication_factor_min").asInt(replication.min()),
                n.path("replication_factor_max").asInt(replication.max()),
                BackendHttp.strings(n.get("allocations")));
    }

    /**
     * {@code GET /pins/{cid}}: every peer's status of the CID (all {@code unpinned} when the
     * cluster does not pin it).
     */
    public ClusterPinStatus status(String cid) throws IpfsClusterException {
        String c = BackendHttp.requireCid(cid, "CID");
        JsonNode n = call("GET /pins/" + c, http.request("/pins/" + c).GET().build());
        Map<String, ClusterPinStatus.PeerPinStatus> peers = new LinkedHashMap<>();
        n.path("peer_map")
                .fields()
                .forEachRemaining(
                        e -> {
                            JsonNode p = e.getValue();
                            String status = BackendHttp.text(p, "status");
                            peers.put(
                                    e.getKey(),
                                    new ClusterPinStatus.PeerPinStatus(
                                            e.getKey(),
                                            BackendHttp.text(p, "peername"),
                                            ClusterPinState.of(status),
                                            status,
                                            BackendHttp.text(p, "error")));
                        });
        return new ClusterPinStatus(n.path("cid").asText(c), BackendHttp.text(n, "name"), peers);
    }

    /**
     * {@code DELETE /pins/{cid}}: removes the pin from the cluster (the peers unpin it shortly
     * after).
     *
     * @return false when the cluster did not pin the CID
     */
    public boolean unpin(String cid) throws IpfsClusterException {
        return http.delete("/pins/" + BackendHttp.requireCid(cid, "CID"));
    }

    /** {@code GET /id}: the peer this client talks to. */
    public ClusterPeer id() throws IpfsClusterException {
        return peer(call("GET /id", http.request("/id").GET().build()));
    }

    /**
     * {@code GET /peers}: the peers of the cluster as the API's peer knows them; one that could not
     * be asked has a non-empty {@link ClusterPeer#error()}.
     */
    public List<ClusterPeer> peers() throws IpfsClusterException {
        String request = "GET /peers";
        HttpResponse<InputStream> rsp = http.send(request, http.request("/peers").GET().build());
        http.ensureOk(request, rsp);
        List<ClusterPeer> out = new ArrayList<>();
        for (JsonNode n : http.readNdjson(request, rsp)) {
            if (n.isArray()) {
                n.forEach(x -> out.add(peer(x)));
            } else {
                out.add(peer(n));
            }
        }
        return List.copyOf(out);
    }

    private static ClusterPeer peer(JsonNode n) {
        return new ClusterPeer(
                BackendHttp.text(n, "id"),
                BackendHttp.text(n, "peername"),
                BackendHttp.text(n.path("ipfs"), "id"),
                BackendHttp.text(n, "error"));
    }

    private JsonNode call(String request, HttpRequest req) throws IpfsClusterException {
        return http.json(request, req);
    }
}
