package io.artdag.l1.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The HTTP plumbing both pinning clients share: sends JSON requests on the JDK's {@link
 * HttpClient}, reads JSON (single or newline-delimited) answers, and turns failures into the
 * client's exceptions: connect errors, timeouts and 5xx retryable, everything else not.
 */
final class BackendHttp<E extends PinBackendException> {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final Pattern CID = Pattern.compile("[A-Za-z0-9]{1,512}");

    /** Makes one kind of a client's exceptions (its constructor). */
    interface Exceptions<E extends PinBackendException> {
        E create(String backend, String request, int httpStatus, String detail, Throwable cause);
    }

    final ObjectMapper mapper = new ObjectMapper();
    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Optional<String> authorization;
    private final String credentials;
    private final Exceptions<E> permanent;
    private final Exceptions<? extends E> unavailable;

    /**
     * @param credentials what to check when the backend answers 401 or 403 (it goes in the message:
     *     {@code unauthorized (check <credentials>): ...})
     * @param permanent the client's exception for failures retrying will not change
     * @param unavailable the client's exception for failures that may pass (connect errors,
     *     timeouts, 5xx)
     */
    BackendHttp(
            URI base,
            Duration connectTimeout,
            Duration requestTimeout,
            Optional<String> authorization,
            String credentials,
            Exceptions<E> permanent,
            Exceptions<? extends E> unavailable) {
        this.base = base;
        this.requestTimeout = requestTimeout;
        this.authorization = authorization;
        this.credentials = credentials;
        this.permanent = permanent;
        this.unavailable = unavailable;
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(connectTimeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    URI base() {
        return base;
    }

    /** A request for {@code pathAndQuery} (already encoded), with the Authorization header. */
    HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                        .timeout(requestTimeout)
                        .header("Accept", "application/json");
        authorization.ifPresent(a -> b.header("Authorization", a));
        return b;
    }

    /** Sends; a connect error, timeout or I/O error becomes a retryable failure. */
    HttpResponse<InputStream> send(String request, HttpRequest req) throws E {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw failure(request, -1, "connect timed out", true, e);
        } catch (HttpTimeoutException e) {
            throw failure(
                    request,
                    -1,
                    "no response within " + req.timeout().orElse(requestTimeout),
                    true,
                    e);
        } catch (ConnectException e) {
            throw failure(request, -1, "cannot connect: " + describe(e), true, e);
        } catch (IOException e) {
            throw failure(request, -1, "I/O error: " + describe(e), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(request, -1, "interrupted", false, e);
        }
    }

    /** The client's exception; a 401 or 403 says which credentials to check. */
    private E failure(
            String request, int status, String detail, boolean retryable, Throwable cause) {
        String d =
                status == 401 || status == 403
                        ? "unauthorized (check " + credentials + "): " + detail
                        : detail;
        String backend = base.toString();
        return retryable
                ? unavailable.create(backend, request, status, d, cause)
                : permanent.create(backend, request, status, d, cause);
    }

    /** The failure for a non-2xx answer: 5xx retryable, 4xx not. */
    E errorFrom(String request, HttpResponse<InputStream> rsp) {
        return errorFrom(request, rsp, errorMessage(rsp));
    }

    E errorFrom(String request, HttpResponse<InputStream> rsp, String detail) {
        int status = rsp.statusCode();
        return failure(request, status, detail, status >= 500, null);
    }

    /**
     * The error text of an answer: IPFS Cluster's {@code {"code":..,"message":".."}}, the Pinning
     * Service API's {@code {"error":{"reason":"..","details":".."}}}, or the raw text.
     */
    String errorMessage(HttpResponse<InputStream> rsp) {
        String body;
        try (InputStream in = rsp.body()) {
            body = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(error body unreadable: " + describe(e) + ")";
        }
        if (body.startsWith("{")) {
            try {
                JsonNode n = mapper.readTree(body);
                if (n.hasNonNull("message")) {
                    return n.get("message").asText();
                }
                JsonNode err = n.path("error");
                if (err.hasNonNull("reason")) {
                    String details = err.path("details").asText("");
                    return err.get("reason").asText() + (details.isEmpty() ? "" : ": " + details);
                }
            } catch (IOException ignored) {
                // not JSON after all: keep the raw text
            }
        }
        return body.isEmpty() ? "empty response body" : body;
    }

    /** One JSON value; a non-2xx answer throws. */
    JsonNode json(String request, HttpRequest req) throws E {
        HttpResponse<InputStream> rsp = send(request, req);
        ensureOk(request, rsp);
        return readJson(request, rsp);
    }

    /**
     * Sends {@code req}: its 2xx answer, or null when the backend answers 404 (the body is
     * drained); any other answer throws.
     */
    HttpResponse<InputStream> sendUnlessMissing(String request, HttpRequest req) throws E {
        HttpResponse<InputStream> rsp = send(request, req);
        if (rsp.statusCode() == 404) {
            errorMessage(rsp); // drain
            return null;
        }
        ensureOk(request, rsp);
        return rsp;
    }

    /** {@code DELETE pathAndQuery}: false when the backend answers 404 (it has no such thing). */
    boolean delete(String pathAndQuery) throws E {
        String request = "DELETE " + pathAndQuery;
        HttpResponse<InputStream> rsp =
                sendUnlessMissing(request, request(pathAndQuery).DELETE().build());
        if (rsp == null) {
            return false;
        }
        readNdjson(request, rsp);
        return true;
    }

    void ensureOk(String request, HttpResponse<InputStream> rsp) throws E {
        int s = rsp.statusCode();
        if (s < 200 || s > 299) {
            throw errorFrom(request, rsp);
        }
    }

    JsonNode readJson(String request, HttpResponse<InputStream> rsp) throws E {
        List<JsonNode> all = readNdjson(request, rsp);
        if (all.isEmpty()) {
            throw failure(
                    request, rsp.statusCode(), "empty response", rsp.statusCode() >= 500, null);
        }
        return all.get(0);
    }

    /** A body of zero or more concatenated / newline-delimited JSON values. */
    List<JsonNode> readNdjson(String request, HttpResponse<InputStream> rsp) throws E {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = rsp.body();
                MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(in)) {
            while (it.hasNextValue()) {
                out.add(it.nextValue());
            }
        } catch (IOException e) {
            throw failure(
                    request,
                    rsp.statusCode(),
                    "unreadable response: " + describe(e),
                    e instanceof java.io.InterruptedIOException,
                    e);
        }
        return out;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null && e.getCause() != null) {
            return describe(e.getCause());
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(x -> out.add(x.asText()));
        }
        return List.copyOf(out);
    }

    /** A CID (or request id) safe to put in a path: letters and digits only. */
    static String requireCid(String cid, String what) {
        if (cid == null || cid.isBlank()) {
            throw new IllegalArgumentException(what + " must not be null or blank");
        }
        String c = cid.strip();
        if (!CID.matcher(c).matches()) {
            throw new IllegalArgumentException(what + " is not a CID: '" + cid + "'");
        }
        return c;
    }

    /** Parses and normalises an http(s) base URL (no query, no trailing slash). */
    static URI baseUrl(String url, String what) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    what + " is not a valid URI: '" + url + "': " + e.getMessage(), e);
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException(
                    what + " must be an http:// or https:// URL, got '" + url + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException(what + " has no host: '" + url + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    what + " must not carry credentials in the URL (they would be logged)");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException(
                    what + " must not have a query or fragment: '" + url + "'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme.toLowerCase() + "://" + uri.getRawAuthority() + path);
    }

    static void requirePositive(String what, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }
}
