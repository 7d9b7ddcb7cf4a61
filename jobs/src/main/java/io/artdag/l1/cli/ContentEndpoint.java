package io.artdag.l1.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.artdag.l1.read.VerifiedBody;
import io.artdag.l1.read.VerifiedReads;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * {@code GET|HEAD /content/{sha3}}: a content's bytes, served only once they verified against the
 * SHA3-256 (and every block against its CID), with {@code ETag: "<sha3>"} and single byte ranges.
 */
final class ContentEndpoint {
    static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final VerifiedReads reads;

    ContentEndpoint(VerifiedReads reads) {
        this.reads = reads;
    }

    /** Answers for {@code hash}, the path after {@code /content/}. */
    void handle(HttpExchange ex, String hash) throws IOException {
        if (!HASH.matcher(hash).matches()) {
            HttpReply.text(
                    ex,
                    400,
                    "'"
                            + HttpReply.echo(hash)
                            + "': not a SHA3-256 content hash (64 lowercase hex digits)");
            return;
        }
        try (VerifiedBody body = reads.content(hash)) {
            long size = body.size();
            String etag = "\"" + hash + "\"";
            Headers h = ex.getResponseHeaders();
            h.set("Content-Type", "application/octet-stream");
            h.set("ETag", etag);
            h.set("Accept-Ranges", "bytes");
            h.set("Cache-Control", "public, max-age=29030400, immutable");
            h.set("X-Content-Type-Options", "nosniff");
            ByteRange range = ByteRange.parse(rangeHeader(ex, etag), size);
            if (range == null) {
                HttpReply.body(ex, 200, body, 0, size);
            } else if (!range.satisfiable()) {
                h.set("Content-Range", "bytes */" + size);
                HttpReply.text(
                        ex,
                        416,
                        hash
                                + ": range '"
                                + HttpReply.echo(ex.getRequestHeaders().getFirst("Range"))
                                + "' is outside its "
                                + size
                                + " bytes");
            } else {
                h.set("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
                HttpReply.body(ex, 206, body, range.first(), range.length());
            }
        }
    }

    /** The Range header, unless an If-Range names another version (then the whole body). */
    private static String rangeHeader(HttpExchange ex, String etag) {
        String range = ex.getRequestHeaders().getFirst("Range");
        String ifRange = ex.getRequestHeaders().getFirst("If-Range");
        if (range != null && ifRange != null && !ifRange.strip().equals(etag)) {
            return null;
        }
        return range;
    }
}
