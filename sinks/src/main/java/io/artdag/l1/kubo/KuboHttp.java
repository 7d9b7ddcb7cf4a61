package io.artdag.l1.kubo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
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

/**
 * The request/response mechanics of {@link KuboClient}: builds {@code POST /api/v0/<endpoint>}
 * requests (with the bearer token when configured), sends them, and reads Kubo's answers (JSON,
 * NDJSON, streams) and errors, turning failures into {@link KuboException}s: a daemon that cannot
 * be reached, times out or answers 502/503/504 gives a {@link KuboUnavailableException}.
 * Thread-safe.
 */
final class KuboHttp {
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final KuboClientOptions options;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();

    KuboHttp(KuboClientOptions options) {
        this.options = options;
        this.http = KuboClient.httpClient(options);
    }

    KuboClientOptions options() {
        return options;
    }

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

    /** POSTs {@code endpoint?params} without a body; the caller checks the status. */
    HttpResponse<InputStream> postNoBody(String endpoint, Duration timeout, String... params)
            throws KuboException {
        return send(
                endpoint,
                post(endpoint, timeout, params).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** POSTs {@code endpoint?params} without a body and reads its (last) JSON answer. */
    JsonNode callJson(String endpoint, Duration timeout, String... params) throws KuboException {
        HttpResponse<InputStream> rsp = postNoBody(endpoint, timeout, params);
        ensureOk(endpoint, rsp);
        return readSingle(endpoint, rsp);
    }

    /** POSTs {@code endpoint?arg=cid} for a streamed answer and checks the status. */
    HttpResponse<InputStream> streamPost(String endpoint, String cid, Duration timeout)
            throws KuboException {
        HttpResponse<InputStream> rsp = postNoBody(endpoint, timeout, "arg", requireCid(cid));
        ensureOk(endpoint, rsp);
        return rsp;
    }

    HttpResponse<InputStream> send(String endpoint, HttpRequest req) throws KuboException {
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

    /** Reads a streamed answer. */
    @FunctionalInterface
    interface StreamReader<T> {
        T read(InputStream body) throws IOException;
    }

    /**
     * Reads the body of {@code rsp} with {@code reader} and closes it: a timeout while streaming is
     * a {@link KuboUnavailableException}, another I/O error a {@link KuboException}.
     */
    static <T> T readStream(String endpoint, HttpResponse<InputStream> rsp, StreamReader<T> reader)
            throws KuboException {
        try (InputStream in = rsp.body()) {
            return reader.read(in);
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

    static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null && e.getCause() != null) {
            return describe(e.getCause());
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    void ensureOk(String endpoint, HttpResponse<InputStream> rsp) throws KuboException {
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

    JsonNode readSingle(String endpoint, HttpResponse<InputStream> rsp) throws KuboException {
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
    static HttpRequest.BodyPublisher multipart(
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

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    static String requireCid(String cid) {
        if (cid == null || cid.isBlank()) {
            throw new IllegalArgumentException("CID must not be null or blank");
        }
        return cid.strip();
    }
}
