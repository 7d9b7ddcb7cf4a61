package io.artdag.l1.cli;

import com.sun.net.httpserver.HttpExchange;
import io.artdag.l1.read.VerifiedBody;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How {@code l1 serve} answers: errors as one line of plain text, bodies with their {@code
 * Content-Length}, and {@code HEAD} with the same headers as {@code GET} and no body.
 */
final class HttpReply {
    static final String TEXT = "text/plain; charset=utf-8";
    private static final int MAX_ECHO = 100;

    private HttpReply() {}

    static boolean isHead(HttpExchange ex) {
        return ex.getRequestMethod().equals("HEAD");
    }

    /** Answers {@code status} with {@code line} (one line, a newline added) as the body. */
    static void text(HttpExchange ex, int status, String line) throws IOException {
        int nl = line.indexOf('\n');
        String one = (nl < 0 ? line : line.substring(0, nl)) + "\n";
        byte[] b = one.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", TEXT);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        send(ex, status, b.length);
        if (!isHead(ex)) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    /** Answers {@code status} with {@code length} bytes of {@code body} from {@code offset}. */
    static void body(HttpExchange ex, int status, VerifiedBody body, long offset, long length)
            throws IOException {
        send(ex, status, length);
        if (!isHead(ex) && length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                body.writeTo(out, offset, length);
            }
        }
    }

    /** Answers {@code status} with {@code bytes} as the body. */
    static void bytes(HttpExchange ex, int status, byte[] bytes) throws IOException {
        body(ex, status, VerifiedBody.of(bytes), 0, bytes.length);
    }

    /**
     * Sends the status line and headers with {@code Content-Length: length}; HEAD gets the header
     * and no body (the JDK server wants -1 for both HEAD and an empty body).
     */
    private static void send(HttpExchange ex, int status, long length) throws IOException {
        if (isHead(ex)) {
            ex.getResponseHeaders().set("Content-Length", Long.toString(length));
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, length == 0 ? -1 : length);
        }
    }

    /** {@code s} shortened for an error message that repeats a client's input. */
    static String echo(String s) {
        return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "…";
    }
}
