package io.artdag.l1.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.kubo.KuboClient;
import io.artdag.l1.kubo.KuboClientOptions;
import io.artdag.l1.read.ReadFailure.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Kubo's {@code block/get} with {@code offline=true}: only blocks the node holds, never a search of
 * the network, so that {@code l1 serve} answers a CID nobody stored at once (404) whether Kubo runs
 * offline or online, and is not a recursive gateway. The caller verifies the bytes against the CID.
 * Thread-safe.
 */
final class KuboLocalBlocks {
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final KuboClientOptions options;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    KuboLocalBlocks(KuboClientOptions options) {
        this.options = options;
        this.http = KuboClient.httpClient(options);
    }

    /**
     * The block's bytes as Kubo holds them, or empty when it does not hold the block.
     *
     * @throws ReadFailure UNAVAILABLE when Kubo cannot be reached, times out or fails otherwise;
     *     CORRUPT when it answers a block larger than any this store writes
     */
    Optional<byte[]> get(Cid cid) throws ReadFailure {
        URI uri = URI.create(options.apiUrl() + "/api/v0/block/get?arg=" + cid + "&offline=true");
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri)
                        .timeout(options.requestTimeout())
                        .POST(HttpRequest.BodyPublishers.noBody());
        options.bearerToken().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        try {
            HttpResponse<InputStream> rsp =
                    http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = rsp.body()) {
                if (rsp.statusCode() == 200) {
                    byte[] data = in.readNBytes(KuboClient.MAX_BLOCK_SIZE + 1);
                    if (data.length > KuboClient.MAX_BLOCK_SIZE) {
                        throw new ReadFailure(
                                Kind.CORRUPT,
                                cid
                                        + ": Kubo answers more than "
                                        + KuboClient.MAX_BLOCK_SIZE
                                        + " bytes for one block");
                    }
                    return Optional.of(data);
                }
                String message = message(in.readNBytes(MAX_ERROR_BODY));
                if (rsp.statusCode() == 500
                        && (message.contains("not found") || message.contains("could not find"))) {
                    return Optional.empty();
                }
                throw new ReadFailure(
                        Kind.UNAVAILABLE,
                        cid
                                + ": Kubo block/get answered HTTP "
                                + rsp.statusCode()
                                + ": "
                                + message);
            }
        } catch (ReadFailure e) {
            throw e;
        } catch (IOException e) {
            throw new ReadFailure(
                    Kind.UNAVAILABLE,
                    cid + ": Kubo " + options.apiUrl() + ": " + ReadFailure.oneLine(e),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadFailure(Kind.UNAVAILABLE, cid + ": interrupted", e);
        }
    }

    /** Kubo's {@code {"Message": ...}}, else the body's first line. */
    private String message(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode n = json.readTree(text);
            if (n != null && n.hasNonNull("Message")) {
                return n.get("Message").asText();
            }
        } catch (IOException e) {
            // not JSON
        }
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).strip();
    }
}
