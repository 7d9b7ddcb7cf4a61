package io.artdag.l1.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.flink.annotation.Internal;

/**
 * A PostgreSQL address as artdag writes it ({@code postgresql://user:pass@host:port/db?…}, also
 * {@code postgres://}) or as JDBC does ({@code jdbc:postgresql://host:port/db?…}), split into a
 * JDBC URL without credentials and the user and password it carried (each {@code null} when
 * absent). Keeping credentials out of the JDBC URL keeps them out of logs ({@link
 * ProvenanceStoreOptions#toString()}).
 *
 * @param jdbcUrl {@code jdbc:postgresql://host[:port]/db[?params]}, no user info
 * @param user the URL's user, percent-decoded, or {@code null}
 * @param password the URL's password, percent-decoded, or {@code null}
 */
@Internal
public record PostgresUrl(String jdbcUrl, String user, String password) {

    /**
     * Parses {@code url}.
     *
     * @throws IllegalArgumentException naming the scheme expected (never echoing a password)
     */
    public static PostgresUrl parse(String url) {
        String u = url.strip();
        String rest;
        if (u.startsWith("jdbc:postgresql://")) {
            rest = u.substring("jdbc:postgresql://".length());
        } else if (u.startsWith("postgresql://")) {
            rest = u.substring("postgresql://".length());
        } else if (u.startsWith("postgres://")) {
            rest = u.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException(
                    "PostgreSQL jdbcUrl must start with jdbc:postgresql://, postgresql:// or"
                            + " postgres://, got '"
                            + redact(u)
                            + "'");
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String tail = slash < 0 ? "/" : rest.substring(slash);
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String info = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
            if (user.isEmpty()) {
                user = null;
            }
        }
        if (authority.isEmpty()) {
            throw new IllegalArgumentException(
                    "PostgreSQL jdbcUrl has no host: '" + redact(u) + "'");
        }
        return new PostgresUrl("jdbc:postgresql://" + authority + tail, user, password);
    }

    /** {@code url} with any password in its user info replaced by {@code ***}. */
    public static String redact(String url) {
        int scheme = url.indexOf("://");
        int at = url.indexOf('@');
        if (scheme < 0 || at < scheme) {
            return url;
        }
        String info = url.substring(scheme + 3, at);
        int colon = info.indexOf(':');
        if (colon < 0) {
            return url;
        }
        return url.substring(0, scheme + 3) + info.substring(0, colon) + ":***" + url.substring(at);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PostgresUrl{jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***}";
    }
}
