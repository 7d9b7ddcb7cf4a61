package io.artdag.l1.kubo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.flink.annotation.Internal;

/**
 * A small client for the Kubo RPC API ({@code POST /api/v0/...}) on the JDK's {@link HttpClient},
 * covering what the L1 store needs: {@code dag/import}, {@code pin/ls}, {@code pin/add}, {@code
 * block/stat}, {@code block/get}, {@code cat}, {@code dag/export}, {@code id}, {@code version} and
 * {@code add --only-hash} (to compare CIDs with Kubo's).
 *
 * <p>CIDs are strings in any encoding Kubo accepts. Errors surface as {@link KuboException}
 * carrying the endpoint, HTTP status and Kubo's {@code Message}; a daemon that cannot be reached,
 * times out or answers 502/503/504 gives a {@link KuboUnavailableException} (retry with backoff).
 * Instances are thread-safe.
 */
@Internal
public final class KuboClient {
    private static final int MAX_ERROR_BODY = 64 * 1024;

    /**
     * The largest block {@link #blockGet} accepts: Kubo refuses blocks over 1 MiB without {@code
     * allow-big-block}, and bitswap will not move blocks over 2 MiB, so 4 MiB is generous.
     */
    public static final int MAX_BLOCK_SIZE = 4 << 20;

    private final KuboClientOptions options;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();

    public KuboClient(KuboClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(options.connectTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    /** A client with default timeouts and no token. */
    public static KuboClient create(String apiUrl) {
        return new KuboClient(KuboClientOptions.builder().apiUrl(apiUrl).build());
    }

    public KuboClientOptions options() {
        return options;
    }

    // ---------------------------------------------------------------- small calls

    /** {@code version}. */
    public KuboVersion version() throws KuboException {
        JsonNode n = callJson("version", options.requestTimeout());
        return new KuboVersion(
                text(n, "Version"),
                text(n, "Commit"),
                text(n, "Repo"),
                text(n, "System"),
                text(n, "Golang"));
    }

    /** {@code id}: this node's identity. */
    public KuboIdentity id() throws KuboException {
        JsonNode n = callJson("id", options.requestTimeout());
        List<String> addrs = new ArrayList<>();
        JsonNode a = n.path("Addresses");
        if (a.isArray()) {
            a.forEach(x -> addrs.add(x.asText()));
        }
        return new KuboIdentity(text(n, "ID"), text(n, "AgentVersion"), addrs);
    }

    /** {@code block/stat}: fails (Kubo's message) when the CID is invalid or not held. */
    public BlockStat blockStat(String cid) throws KuboException {
        JsonNode n = callJson("block/stat", options.requestTimeout(), "arg", requireCid(cid));
        return new BlockStat(text(n, "Key"), n.path("Size").asLong(-1));
    }

    /**
     * {@code block/get <cid>}: the raw bytes of one block, as Kubo holds them. The caller verifies
     * them against the CID (this client does not decode CIDs). A block larger than {@link
     * #MAX_BLOCK_SIZE} is refused rather than read into memory.
     */
    public byte[] blockGet(String cid) throws KuboException {
        String endpoint = "block/get";
        HttpResponse<InputStream> rsp = streamPost(endpoint, cid, options.requestTimeout());
        try (InputStream in = rsp.body()) {
            byte[] b = in.readNBytes(MAX_BLOCK_SIZE + 1);
            if (b.length > MAX_BLOCK_SIZE) {
                throw new KuboException(
                        endpoint,
                        rsp.statusCode(),
                        null,
                        "block " + cid + " is larger than " + MAX_BLOCK_SIZE + " bytes");
            }
            return b;
        } catch (InterruptedIOException e) {
            throw new KuboUnavailableException(
                    endpoint, rsp.statusCode(), "timed out while streaming: " + describe(e), e);
        } catch (KuboException e) {
            throw e;
        } catch (IOException e) {
            throw new KuboException(
                    endpoint, rsp.statusCode(), null, "streaming failed: " + describe(e), e);
        }
    }

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
            params[2 * i + 1] = requireCid(cids.get(i));
        }
        params[params.length - 2] = "type";
        params[params.length - 1] = "recursive";
        HttpResponse<InputStream> rsp =
                send(
                        endpoint,
                        post(endpoint, options.requestTimeout(), params)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build());
        if (rsp.statusCode() != 200) {
            KuboException e = errorFrom(endpoint, rsp);
            if (isNotPinnedMessage(e.kuboMessage())) {
                return null;
            }
            throw e;
        }
        return readSingle(endpoint, rsp);
    }

    static boolean isNotPinnedMessage(String message) {
        return message != null && message.contains("is not pinned");
    }

    /** {@code pin/add --recursive <cid>}: returns the CIDs Kubo reports as pinned. */
    public List<String> pinAdd(String cid) throws KuboException {
        JsonNode n =
                callJson(
                        "pin/add",
                        options.transferTimeout(),
                        "arg",
                        requireCid(cid),
                        "recursive",
                        "true",
                        "progress",
                        "false");
        List<String> pins = new ArrayList<>();
        n.path("Pins").forEach(p -> pins.add(p.asText()));
        return pins;
    }

    // ---------------------------------------------------------------- streams

    /**
     * {@code cat <cid-or-path>}: streams the file's bytes into {@code out} (not closed) and returns
     * how many were written. When Kubo announces a length ({@code X-Content-Length}) a short body
     * is an error.
     */
    public long cat(String cidOrPath, OutputStream out) throws KuboException {
        Objects.requireNonNull(out, "out");
        String endpoint = "cat";
        HttpResponse<InputStream> rsp = streamPost(endpoint, cidOrPath, options.transferTimeout());
        long n = copy(endpoint, rsp, out);
        OptionalLong expected = headerLong(rsp, "X-Content-Length");
        if (expected.isPresent() && expected.getAsLong() != n) {
            throw new KuboException(
                    endpoint,
                    rsp.statusCode(),
                    null,
                    "response ended after " + n + " of " + expected.getAsLong() + " bytes");
        }
        return n;
    }

    /**
     * {@code dag/export <cid>}: streams a CARv1 of the DAG into {@code out} (not closed) and
     * returns its size. Kubo reports an error after the headers only in an HTTP trailer this client
     * cannot read, so callers should verify the CAR they receive.
     */
    public long dagExport(String cid, OutputStream out) throws KuboException {
        Objects.requireNonNull(out, "out");
        String endpoint = "dag/export";
        return copy(endpoint, streamPost(endpoint, cid, options.transferTimeout()), out);
    }

    /** POSTs {@code endpoint?arg=cid} for a streamed answer and checks the status. */
    private HttpResponse<InputStream> streamPost(
            String endpoint, String cid, java.time.Duration timeout) throws KuboException {
        HttpResponse<InputStream> rsp =
                send(
                        endpoint,
                        post(endpoint, timeout, "arg", requireCid(cid))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build());
        ensureOk(endpoint, rsp);
        return rsp;
    }

    /**
     * {@code dag/import --pin-roots=true --stats=true}: streams {@code car} from disk (never held
     * in memory) and pins the roots listed in its header.
     *
     * @throws KuboException when a root could not be pinned (its {@code PinErrorMsg} is non-empty),
     *     besides the usual failures
     */
    public DagImportResult dagImport(Path car) throws KuboException {
        DagImportResult r = dagImport(car, true);
        List<DagImportResult.Root> failed = r.failedRoots();
        if (!failed.isEmpty()) {
            StringBuilder sb = new StringBuilder("pinning failed for ");
            for (int i = 0; i < failed.size(); i++) {
                DagImportResult.Root f = failed.get(i);
                sb.append(i == 0 ? "" : "; ").append(f.cid()).append(": ").append(f.pinErrorMsg());
            }
            sb.append(" (imported ").append(car).append(')');
            throw new KuboException("dag/import", 200, null, sb.toString());
        }
        return r;
    }

    /**
     * {@code dag/import} with explicit {@code pin-roots}; returns Kubo's report without judging it
     * (check {@link DagImportResult#failedRoots()}).
     */
    public DagImportResult dagImport(Path car, boolean pinRoots) throws KuboException {
        Objects.requireNonNull(car, "car");
        String endpoint = "dag/import";
        String boundary = "artdag-" + UUID.randomUUID();
        HttpRequest.BodyPublisher body;
        try {
            body = multipartFile(boundary, car);
        } catch (IOException e) {
            throw new KuboException(endpoint, -1, null, "cannot read " + car + ": " + e, e);
        }
        HttpRequest req =
                post(
                                endpoint,
                                options.transferTimeout(),
                                "pin-roots",
                                Boolean.toString(pinRoots),
                                "stats",
                                "true",
                                "allow-big-block",
                                "false")
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(body)
                        .build();
        HttpResponse<InputStream> rsp = send(endpoint, req);
        ensureOk(endpoint, rsp);
        List<DagImportResult.Root> roots = new ArrayList<>();
        Optional<DagImportResult.Stats> stats = Optional.empty();
        for (JsonNode n : readNdjson(endpoint, rsp)) {
            JsonNode root = n.get("Root");
            if (root != null && !root.isNull()) {
                roots.add(
                        new DagImportResult.Root(
                                cidOf(root.path("Cid")), text(root, "PinErrorMsg")));
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

    /**
     * {@code add --only-hash}: streams {@code file} to Kubo, which chunks and hashes it with {@code
     * opts} without storing or pinning anything, and returns the root CID Kubo computed. Used to
     * check that the store builds the same DAGs as Kubo.
     */
    public String addOnlyHash(Path file, AddOptions opts) throws KuboException {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new KuboException("add", -1, null, file + " is not a regular file");
        }
        return addOnlyHash(
                () -> {
                    try {
                        return Files.newInputStream(file);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                },
                String.valueOf(file.getFileName()),
                opts);
    }

    /**
     * {@code add --only-hash} of the bytes {@code content} supplies (opened once per attempt, read
     * to its end, closed by the client), sent as one multipart file named {@code fileName}.
     */
    public String addOnlyHash(
            java.util.function.Supplier<? extends InputStream> content,
            String fileName,
            AddOptions opts)
            throws KuboException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(opts, "opts");
        String endpoint = "add";
        String boundary = "artdag-" + UUID.randomUUID();
        List<String> params =
                new ArrayList<>(
                        List.of(
                                "only-hash", "true",
                                "pin", "false",
                                "progress", "false",
                                "wrap-with-directory", "false",
                                "trickle", "false",
                                "inline", "false",
                                "hash", "sha2-256",
                                "cid-version", Integer.toString(opts.cidVersion()),
                                "raw-leaves", Boolean.toString(opts.rawLeaves()),
                                "chunker", "size-" + opts.chunkSize()));
        if (opts.maxFileLinks() != null) {
            params.add("max-file-links");
            params.add(Integer.toString(opts.maxFileLinks()));
        }
        HttpRequest req =
                post(endpoint, options.transferTimeout(), params.toArray(String[]::new))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(multipartStream(boundary, fileName, content))
                        .build();
        HttpResponse<InputStream> rsp = send(endpoint, req);
        ensureOk(endpoint, rsp);
        String hash = "";
        for (JsonNode n : readNdjson(endpoint, rsp)) {
            if (n.hasNonNull("Hash")) {
                hash = n.get("Hash").asText();
            }
        }
        if (hash.isEmpty()) {
            throw new KuboException(endpoint, rsp.statusCode(), null, "no Hash in the answer");
        }
        return hash;
    }

    /** A multipart body whose single file part is streamed from {@code content}. */
    static HttpRequest.BodyPublisher multipartStream(
            String boundary,
            String fileName,
            java.util.function.Supplier<? extends InputStream> content) {
        return multipart(
                boundary,
                fileName == null || fileName.isBlank() ? "file" : fileName,
                HttpRequest.BodyPublishers.ofInputStream(content));
    }

    /** The multipart body: a generated prefix, the file streamed from disk, a suffix. */
    static HttpRequest.BodyPublisher multipartFile(String boundary, Path file)
            throws FileNotFoundException {
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException(file + " is not a regular file");
        }
        return multipart(
                boundary,
                String.valueOf(file.getFileName()),
                HttpRequest.BodyPublishers.ofFile(file));
    }

    /** One form-data part named {@code file}, its body streamed between prefix and suffix. */
    private static HttpRequest.BodyPublisher multipart(
            String boundary, String fileName, HttpRequest.BodyPublisher body) {
        String prefix =
                "--"
                        + boundary
                        + "\r\n"
                        + "Content-Disposition: form-data; name=\"file\"; filename=\""
                        + URLEncoder.encode(fileName, StandardCharsets.UTF_8)
                        + "\"\r\n"
                        + "Content-Type: application/octet-stream\r\n"
                        + "\r\n";
        String suffix = "\r\n--" + boundary + "--\r\n";
        return HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofString(prefix, StandardCharsets.US_ASCII),
                body,
                HttpRequest.BodyPublishers.ofString(suffix, StandardCharsets.US_ASCII));
    }

    // ---------------------------------------------------------------- plumbing

    /** {@code POST /api/v0/<endpoint>?k=v&...}, with the token when configured. */
    HttpRequest.Builder post(String endpoint, Duration timeout, String... params) {
        StringBuilder url =
                new StringBuilder(options.apiUrl().toString()).append("/api/v0/").append(endpoint);
        for (int i = 0; i + 1 < params.length; i += 2) {
            url.append(i == 0 ? '?' : '&')
                    .append(URLEncoder.encode(params[i], StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.toString())).timeout(timeout);
        options.bearerToken().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private JsonNode callJson(String endpoint, Duration timeout, String... params)
            throws KuboException {
        HttpResponse<InputStream> rsp =
                send(
                        endpoint,
                        post(endpoint, timeout, params)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build());
        ensureOk(endpoint, rsp);
        return readSingle(endpoint, rsp);
    }

    private HttpResponse<InputStream> send(String endpoint, HttpRequest req) throws KuboException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new KuboUnavailableException(
                    endpoint,
                    -1,
                    "connect to "
                            + options.apiUrl()
                            + " timed out after "
                            + options.connectTimeout(),
                    e);
        } catch (HttpTimeoutException e) {
            throw new KuboUnavailableException(
                    endpoint,
                    -1,
                    "no response from "
                            + options.apiUrl()
                            + " within "
                            + req.timeout().orElse(null),
                    e);
        } catch (ConnectException e) {
            throw new KuboUnavailableException(
                    endpoint, -1, "cannot connect to " + options.apiUrl() + ": " + describe(e), e);
        } catch (IOException e) {
            throw new KuboUnavailableException(
                    endpoint,
                    -1,
                    "I/O error talking to " + options.apiUrl() + ": " + describe(e),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            KuboException k =
                    new KuboException(endpoint, -1, null, "interrupted while waiting for Kubo", e);
            throw k;
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null && e.getCause() != null) {
            return describe(e.getCause());
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private void ensureOk(String endpoint, HttpResponse<InputStream> rsp) throws KuboException {
        if (rsp.statusCode() != 200) {
            throw errorFrom(endpoint, rsp);
        }
    }

    /** Reads a non-200 answer: Kubo's error JSON, or the text a proxy or mux sent. */
    KuboException errorFrom(String endpoint, HttpResponse<InputStream> rsp) {
        int status = rsp.statusCode();
        String body;
        try (InputStream in = rsp.body()) {
            body = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            body = "(error body unreadable: " + describe(e) + ")";
        }
        Integer code = null;
        String message = body;
        if (body.startsWith("{")) {
            try {
                JsonNode n = mapper.readTree(body);
                if (n.hasNonNull("Message")) {
                    message = n.get("Message").asText();
                    code = n.hasNonNull("Code") ? n.get("Code").asInt() : null;
                }
            } catch (IOException ignored) {
                // not JSON after all: keep the raw text
            }
        }
        if (message.isEmpty()) {
            message = "empty response body";
        }
        if (status == 502 || status == 503 || status == 504) {
            return new KuboUnavailableException(endpoint, status, message, null);
        }
        return new KuboException(endpoint, status, code, message);
    }

    private JsonNode readSingle(String endpoint, HttpResponse<InputStream> rsp)
            throws KuboException {
        List<JsonNode> all = readNdjson(endpoint, rsp);
        if (all.isEmpty()) {
            throw new KuboException(endpoint, rsp.statusCode(), null, "empty response");
        }
        return all.get(all.size() - 1);
    }

    /**
     * Parses a body of concatenated/newline-delimited JSON objects. An object with {@code
     * "Type":"error"} (how Kubo reports an error after it has started streaming) throws.
     */
    List<JsonNode> readNdjson(String endpoint, HttpResponse<InputStream> rsp) throws KuboException {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = rsp.body();
                MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(in)) {
            while (it.hasNextValue()) {
                JsonNode n = it.nextValue();
                if ("error".equals(n.path("Type").asText()) && n.has("Message")) {
                    throw new KuboException(
                            endpoint,
                            rsp.statusCode(),
                            n.hasNonNull("Code") ? n.get("Code").asInt() : null,
                            n.get("Message").asText());
                }
                out.add(n);
            }
        } catch (KuboException e) {
            throw e;
        } catch (IOException e) {
            throw new KuboException(
                    endpoint, rsp.statusCode(), null, "unreadable response: " + describe(e), e);
        }
        return out;
    }

    private long copy(String endpoint, HttpResponse<InputStream> rsp, OutputStream out)
            throws KuboException {
        try (InputStream in = rsp.body()) {
            return in.transferTo(out);
        } catch (InterruptedIOException e) {
            throw new KuboUnavailableException(
                    endpoint, rsp.statusCode(), "timed out while streaming: " + describe(e), e);
        } catch (IOException e) {
            throw new KuboException(
                    endpoint, rsp.statusCode(), null, "streaming failed: " + describe(e), e);
        }
    }

    private static OptionalLong headerLong(HttpResponse<?> rsp, String name) {
        Optional<String> v = rsp.headers().firstValue(name);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v.get().trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Kubo encodes a cid.Cid in JSON as {@code {"/":"bafy..."}}; accept a bare string too. */
    static String cidOf(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "";
        }
        if (n.isTextual()) {
            return n.asText();
        }
        return n.path("/").asText("");
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static String requireCid(String cid) {
        if (cid == null || cid.isBlank()) {
            throw new IllegalArgumentException("CID must not be null or blank");
        }
        return cid.strip();
    }
}
