package io.artdag.l1.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.artdag.l1.ipld.Cid;
import io.artdag.l1.read.DagCar;
import io.artdag.l1.read.VerifiedBody;
import io.artdag.l1.read.VerifiedReads;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET|HEAD /ipfs/{cid}}: the IPFS Trustless Gateway (specs.ipfs.tech/http-gateways/
 * trustless-gateway): a raw block ({@code application/vnd.ipld.raw}) verified against its CID, or a
 * CARv1 of the DAG under it ({@code application/vnd.ipld.car; version=1; order=dfs; dups=n}) built
 * from verified blocks, with {@code dag-scope} (block, entity, all). No deserialized responses: a
 * request asking for neither format is refused (406; 400 without any Accept header). Not supported:
 * paths under the CID (this store holds files), {@code entity-bytes}, IPNS.
 */
final class GatewayEndpoint {
    private final VerifiedReads reads;

    GatewayEndpoint(VerifiedReads reads) {
        this.reads = reads;
    }

    /** Answers for {@code rest}, the raw path after {@code /ipfs/}. */
    void handle(HttpExchange ex, String rest) throws IOException {
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        GatewayFormat format;
        try {
            format = GatewayFormat.negotiate(ex.getRequestHeaders().get("Accept"), query);
        } catch (GatewayFormat.Refused r) {
            HttpReply.text(ex, r.status, r.getMessage());
            return;
        }
        int slash = rest.indexOf('/');
        String cidText = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (!path.isEmpty()) {
            HttpReply.text(
                    ex,
                    400,
                    "/ipfs/"
                            + HttpReply.echo(rest)
                            + ": paths under a CID are not supported (ask for /ipfs/{cid})");
            return;
        }
        Cid cid;
        try {
            cid = Cid.parse(cidText);
        } catch (RuntimeException e) {
            HttpReply.text(
                    ex,
                    400,
                    "'" + HttpReply.echo(cidText) + "': not a CID (" + e.getMessage() + ")");
            return;
        }
        String cacheControl = ex.getRequestHeaders().getFirst("Cache-Control");
        if (cacheControl != null
                && cacheControl.toLowerCase(Locale.ROOT).contains("only-if-cached")
                && !reads.hasLocalBlock(cid)) {
            HttpReply.text(ex, 412, cid + ": not in the local store (only-if-cached)");
            return;
        }
        Headers h = ex.getResponseHeaders();
        if (!format.car()) {
            byte[] block = reads.block(cid);
            common(h, cid, format, "raw", "bin");
            h.set("ETag", "\"" + cid + ".raw\"");
            HttpReply.bytes(ex, 200, block);
            return;
        }
        if (query.containsKey("entity-bytes")) {
            HttpReply.text(ex, 400, "entity-bytes is not supported by this gateway");
            return;
        }
        DagCar.Scope scope;
        try {
            scope = DagCar.Scope.parse(query.getOrDefault("dag-scope", "all"));
        } catch (IllegalArgumentException e) {
            HttpReply.text(ex, 400, HttpReply.echo(e.getMessage()));
            return;
        }
        try (VerifiedBody car = reads.car(cid, scope, format.dups())) {
            String s = scope.name().toLowerCase(Locale.ROOT);
            common(h, cid, format, "car", "car");
            h.set("ETag", "\"" + cid + ".car." + s + ".dfs." + (format.dups() ? "y" : "n") + "\"");
            HttpReply.body(ex, 200, car, 0, car.size());
        }
    }

    private static void common(
            Headers h, Cid cid, GatewayFormat format, String formatName, String extension) {
        h.set("Content-Type", format.contentType());
        h.set("Content-Disposition", "attachment; filename=\"" + cid + "." + extension + "\"");
        h.set("Cache-Control", "public, max-age=29030400, immutable");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Ipfs-Path", "/ipfs/" + cid);
        h.set("X-Ipfs-Roots", cid.toString());
        h.set("Vary", "Accept");
        if (!format.fromQuery()) {
            h.set("Content-Location", "/ipfs/" + cid + "?format=" + formatName);
        }
    }

    /** Decoded query parameters (the first of a repeated name wins). */
    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                q.putIfAbsent(
                        URLDecoder.decode(k, StandardCharsets.UTF_8),
                        URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                q.putIfAbsent(k, v);
            }
        }
        return q;
    }
}
