package io.artdag.l1.kubo;

import java.util.Locale;
import org.apache.flink.annotation.Internal;

/**
 * Turns a Kubo API address as artdag configures it into an HTTP URL: either a URL ({@code
 * http://host:port}) or a multiaddr ({@code /ip4/127.0.0.1/tcp/5001}, {@code /ip6/::1/tcp/5001},
 * {@code /dns/host/tcp/5001}, {@code /dns4/…}, {@code /dns6/…}, optionally followed by {@code
 * /http} or {@code /https}), which is how artdag writes {@code IPFS_API} (docs/design.md).
 */
@Internal
public final class KuboAddress {
    private KuboAddress() {}

    /**
     * Returns {@code address} as an http(s) URL; a URL is returned unchanged (stripped).
     *
     * @throws IllegalArgumentException naming the address and what is wrong with it
     */
    public static String toUrl(String address) {
        if (address == null) {
            return null;
        }
        String a = address.strip();
        if (!a.startsWith("/")) {
            return a;
        }
        String[] parts = a.substring(1).split("/", -1);
        if (parts.length < 4) {
            throw bad(address, "expected /ip4|ip6|dns|dns4|dns6/HOST/tcp/PORT");
        }
        String proto = parts[0].toLowerCase(Locale.ROOT);
        String host = parts[1];
        if (host.isEmpty()) {
            throw bad(address, "no host");
        }
        switch (proto) {
            case "ip4":
            case "dns":
            case "dns4":
            case "dns6":
                break;
            case "ip6":
                host = "[" + host + "]";
                break;
            default:
                throw bad(address, "unsupported protocol /" + parts[0]);
        }
        if (!parts[2].equalsIgnoreCase("tcp")) {
            throw bad(address, "expected /tcp/PORT after the host");
        }
        int port;
        try {
            port = Integer.parseInt(parts[3]);
        } catch (NumberFormatException e) {
            throw bad(address, "port '" + parts[3] + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw bad(address, "port " + port + " is out of range 1..65535");
        }
        String scheme = "http";
        if (parts.length == 5 && parts[4].equalsIgnoreCase("https")) {
            scheme = "https";
        } else if (parts.length == 5 && parts[4].equalsIgnoreCase("http")) {
            scheme = "http";
        } else if (parts.length != 4) {
            throw bad(address, "unexpected components after /tcp/" + port);
        }
        return scheme + "://" + host + ":" + port;
    }

    private static IllegalArgumentException bad(String address, String reason) {
        return new IllegalArgumentException(
                "Kubo apiUrl multiaddr '" + address + "' is not usable: " + reason);
    }
}
