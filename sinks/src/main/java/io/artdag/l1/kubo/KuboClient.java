package io.artdag.l1.kubo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.annotation.Internal;

/**
 * A small client for the Kubo RPC API ({@code POST /api/v0/...}) on the JDK's HTTP client, covering
 * what the L1 store needs: {@code dag/import}, {@code pin/ls}, {@code pin/add}, {@code block/get}
 * and {@code id}.
 *
 * <p>CIDs are strings in any encoding Kubo accepts. Errors surface as {@link KuboException}
 * carrying the endpoint, HTTP status and Kubo's {@code Message}; a daemon that cannot be reached,
 * times out or answers 502/503/504 gives a {@link KuboUnavailableException} (retry with backoff).
 * Instances are thread-safe.
 */
@Internal
public final class KuboClient {
    /**
     * The largest block {@link #blockGet} accepts: Kubo refuses blocks over 1 MiB without {@code
     * allow-big-block}, and bitswap will not move blocks over 2 MiB, so 4 MiB is generous.
     */
    public static final int MAX_BLOCK_SIZE = 4 << 20;

    private final KuboHttp http;

    public KuboClient(KuboClientOptions options) {
        this.http = new KuboHttp(Objects.requireNonNull(options, "options"));
    }

    /**
     * The JDK client Kubo's RPC API is called with: HTTP/1.1, {@code options}' connect timeout, no
     * redirects.
     */
    public static HttpClient httpClient(KuboClientOptions options) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The request/response mechanics, for calls this client does not make itself. */
    KuboHttp http() {
        return http;
    }

    private KuboClientOptions options() {
        return http.options();
    }

    /** {@code id}: this node's identity. */
    public KuboIdentity id() throws KuboException {
        JsonNode n = http.callJson("id", options().requestTimeout());
        List<String> addrs = new ArrayList<>();
        JsonNode a = n.path("Addresses");
        if (a.isArray()) {
            a.forEach(x -> addrs.add(x.asText()));
        }
        return new KuboIdentity(KuboHttp.text(n, "ID"), KuboHttp.text(n, "AgentVersion"), addrs);
    }

    /**
     * {@code block/get <cid>}: the raw bytes of one block, as Kubo holds them. The caller verifies
     * them against the CID (this client does not decode CIDs). A block larger than {@link
     * #MAX_BLOCK_SIZE} is refused rather than read into memory.
     */
    public byte[] blockGet(String cid) throws KuboException {
        String endpoint = "block/get";
        HttpResponse<InputStream> rsp = http.streamPost(endpoint, cid, options().requestTimeout());
        return KuboHttp.readStream(
                endpoint,
                rsp,
                in -> {
                    byte[] b = in.readNBytes(MAX_BLOCK_SIZE + 1);
                    if (b.length > MAX_BLOCK_SIZE) {
                        throw new KuboException(
                                endpoint,
                                rsp.statusCode(),
                                null,
                                "block " + cid + " is larger than " + MAX_BLOCK_SIZE + " bytes");
                    }
                    return b;
                });
    }

    // ---------------------------------------------------------------- pins

    /**
     * {@code pin/ls --type=recursive <cid>}: true when {@code cid} is pinned recursively. Kubo's
     * "not pinned" answer (an HTTP 500 saying {@code path '<cid>' is not pinned}) is {@code false};
     * other errors (e.g. an invalid CID) throw.
     */
    public boolean isPinned(String cid) throws KuboException {
        JsonNode n = pinLsRecursive(List.of(cid));
        if (n == null) {
            return false;
        }
        // Non-streaming answer: {"Keys":{"<cid>":{"Type":"recursive","Name":""}}};
        // streaming answer: {"Cid":"<cid>","Type":"recursive"}.
        JsonNode keys = n.path("Keys");
        if (keys.isObject()) {
            for (JsonNode v : keys) {
                if ("recursive".equals(v.path("Type").asText())) {
                    return true;
                }
            }
            return false;
        }
        return "recursive".equals(n.path("Type").asText());
    }

    /** How many CIDs one {@link #allPinned} request names at most (they go in its URL). */
    static final int PIN_LS_BATCH = 200;

    /**
     * {@code pin/ls --type=recursive <cid>...}, {@value #PIN_LS_BATCH} CIDs a request: true when
     * every one of {@code cids} is pinned recursively (Kubo fails a request at its first CID that
     * is not).
     */
    public boolean allPinned(List<String> cids) throws KuboException {
        for (int from = 0; from < cids.size(); from += PIN_LS_BATCH) {
            List<String> batch = cids.subList(from, Math.min(cids.size(), from + PIN_LS_BATCH));
            JsonNode answer = pinLsRecursive(batch);
            if (answer == null) {
                return false;
            }
            JsonNode keys = answer.path("Keys");
            for (String cid : batch) {
                if (!"recursive".equals(keys.path(cid).path("Type").asText())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The CIDs of {@code cids} that are not pinned recursively, in their order: none after one
     * {@link #allPinned} request when all are, else one {@code pin/ls} each.
     */
    public List<String> notPinned(List<String> cids) throws KuboException {
        List<String> out = new ArrayList<>();
        if (!allPinned(cids)) {
            for (String cid : cids) {
                if (!isPinned(cid)) {
                    out.add(cid);
                }
            }
        }
        return out;
    }

    /**
     * {@code pin/ls --type=recursive} of {@code cids}: Kubo's answer, or null when it says one of
     * them is not pinned.
     */
    private JsonNode pinLsRecursive(List<String> cids) throws KuboException {
        String endpoint = "pin/ls";
        String[] params = new String[2 * cids.size() + 2];
        for (int i = 0; i < cids.size(); i++) {
            params[2 * i] = "arg";
            params[2 * i + 1] = KuboHttp.requireCid(cids.get(i));
        }
        params[params.length - 2] = "type";
        params[params.length - 1] = "recursive";
        HttpResponse<InputStream> rsp =
                http.postNoBody(endpoint, options().requestTimeout(), params);
        if (rsp.statusCode() != 200) {
            KuboException e = http.errorFrom(endpoint, rsp);
            if (isNotPinnedMessage(e.kuboMessage())) {
                return null;
            }
            throw e;
        }
        return http.readSingle(endpoint, rsp);
    }

    static boolean isNotPinnedMessage(String message) {
        return message != null && message.contains("is not pinned");
    }

    /** {@code pin/add --recursive <cid>}: returns the CIDs Kubo reports as pinned. */
    public List<String> pinAdd(String cid) throws KuboException {
        return pinAdd(cid, false);
    }

    /**
     * {@code pin/add --recursive <cid>}, with {@code localOnly} also {@code --offline}: Kubo then
     * pins from the blocks it has and fails at once ("block was not found locally") instead of
     * searching the network for a missing one. Returns the CIDs Kubo reports as pinned.
     */
    public List<String> pinAdd(String cid, boolean localOnly) throws KuboException {
        JsonNode n =
                http.callJson(
                        "pin/add",
                        options().transferTimeout(),
                        "arg",
                        KuboHttp.requireCid(cid),
                        "recursive",
                        "true",
                        "progress",
                        "false",
                        "offline",
                        Boolean.toString(localOnly));
        List<String> pins = new ArrayList<>();
        n.path("Pins").forEach(p -> pins.add(p.asText()));
        return pins;
    }

    // ---------------------------------------------------------------- import

    /**
     * {@code dag/import --pin-roots=<pinRoots> --stats=true}: streams {@code car} from disk (never
     * held in memory) and returns Kubo's report without judging it (check {@link
     * DagImportResult#failedRoots()}).
     */
    public DagImportResult dagImport(Path car, boolean pinRoots) throws KuboException {
        Objects.requireNonNull(car, "car");
        String endpoint = "dag/import";
        String boundary = "artdag-" + UUID.randomUUID();
        HttpRequest.BodyPublisher body;
        try {
            body = KuboHttp.multipartFile(boundary, car);
        } catch (IOException e) {
            throw new KuboException(endpoint, -1, null, "cannot read " + car + ": " + e, e);
        }
        HttpRequest req =
                http.post(
                                endpoint,
                                options().transferTimeout(),
                                "pin-roots",
                                Boolean.toString(pinRoots),
                                "stats",
                                "true",
                                "allow-big-block",
                                "false")
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(body)
                        .build();
        HttpResponse<InputStream> rsp = http.send(endpoint, req);
        http.ensureOk(endpoint, rsp);
        List<DagImportResult.Root> roots = new ArrayList<>();
        Optional<DagImportResult.Stats> stats = Optional.empty();
        for (JsonNode n : http.readNdjson(endpoint, rsp)) {
            JsonNode root = n.get("Root");
            if (root != null && !root.isNull()) {
                roots.add(
                        new DagImportResult.Root(
                                KuboHttp.cidOf(root.path("Cid")),
                                KuboHttp.text(root, "PinErrorMsg")));
            }
            JsonNode st = n.get("Stats");
            if (st != null && !st.isNull()) {
                stats =
                        Optional.of(
                                new DagImportResult.Stats(
                                        st.path("BlockCount").asLong(),
                                        st.path("BlockBytesCount").asLong()));
            }
        }
        return new DagImportResult(roots, stats);
    }
}
