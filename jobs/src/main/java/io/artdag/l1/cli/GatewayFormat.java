package io.artdag.l1.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The response format a trustless gateway request asks for: {@code ?format=raw|car} (which wins) or
 * the {@code Accept} header (RFC 9110 content negotiation, by {@code q}), with the CAR parameters
 * {@code version} (1), {@code order} ({@code dfs}; {@code unk} accepts it) and {@code dups} ({@code
 * n} by default, or {@code y}), also as {@code car-version}, {@code car-order}, {@code car-dups}
 * query parameters.
 *
 * @param car true for a CAR, false for a raw block
 * @param dups for a CAR: duplicate blocks are sent each time the walk meets them
 * @param fromQuery the format came from {@code ?format=}
 */
record GatewayFormat(boolean car, boolean dups, boolean fromQuery) {
    static final String RAW = "application/vnd.ipld.raw";
    static final String CAR = "application/vnd.ipld.car";

    /** A request that names no format this gateway serves: the status and the one-line reason. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static final String SERVED =
            "this trustless gateway serves "
                    + RAW
                    + " (?format=raw) and "
                    + CAR
                    + "; version=1; order=dfs; dups=n|y (?format=car)";

    /** The Content-Type of the answer. */
    String contentType() {
        return car ? CAR + "; version=1; order=dfs; dups=" + (dups ? "y" : "n") : RAW;
    }

    /**
     * Chooses the format.
     *
     * @param accept the Accept header values (null or empty when there is none)
     * @param query the decoded query parameters
     * @throws Refused 400 with no Accept header and no format, 406 when nothing acceptable is
     *     served
     */
    static GatewayFormat negotiate(List<String> accept, Map<String, String> query) throws Refused {
        String format = query.get("format");
        if (format != null) {
            switch (format) {
                case "raw":
                    return new GatewayFormat(false, false, true);
                case "car":
                    {
                        String problem = carProblem(null, null, null, query);
                        if (problem != null) {
                            throw new Refused(406, problem + "; " + SERVED);
                        }
                        return new GatewayFormat(true, dups(null, query), true);
                    }
                default:
                    throw new Refused(
                            406, "format=" + HttpReply.echo(format) + " is not served: " + SERVED);
            }
        }
        if (accept == null || accept.isEmpty()) {
            throw new Refused(
                    400,
                    "no Accept header and no format parameter (this gateway returns no"
                            + " deserialized responses): "
                            + SERVED);
        }
        List<MediaRange> ranges = new ArrayList<>();
        for (String value : accept) {
            for (String part : value.split(",")) {
                MediaRange m = MediaRange.parse(part);
                if (m != null && m.q > 0) {
                    ranges.add(m);
                }
            }
        }
        ranges.sort(Comparator.comparingDouble((MediaRange m) -> -m.q));
        String lastProblem = null;
        for (MediaRange m : ranges) {
            if (m.type.equals(RAW)) {
                return new GatewayFormat(false, false, false);
            }
            if (m.type.equals(CAR)) {
                String problem =
                        carProblem(
                                m.params.get("version"),
                                m.params.get("order"),
                                m.params.get("dups"),
                                query);
                if (problem == null) {
                    return new GatewayFormat(true, dups(m.params.get("dups"), query), false);
                }
                lastProblem = problem;
            }
        }
        throw new Refused(
                406,
                "Accept '"
                        + HttpReply.echo(String.join(", ", accept))
                        + "' is not served"
                        + (lastProblem == null ? "" : " (" + lastProblem + ")")
                        + ": "
                        + SERVED);
    }

    /** Why the CAR parameters cannot be honoured, or null; query parameters win. */
    private static String carProblem(
            String version, String order, String dups, Map<String, String> query) {
        version = query.getOrDefault("car-version", version);
        order = query.getOrDefault("car-order", order);
        dups = query.getOrDefault("car-dups", dups);
        if (version != null && !version.equals("1")) {
            return "CAR version " + HttpReply.echo(version) + " is not served";
        }
        if (order != null && !order.equals("dfs") && !order.equals("unk")) {
            return "CAR order " + HttpReply.echo(order) + " is not served";
        }
        if (dups != null && !dups.equals("y") && !dups.equals("n")) {
            return "CAR dups " + HttpReply.echo(dups) + " is not y or n";
        }
        return null;
    }

    private static boolean dups(String fromAccept, Map<String, String> query) {
        return "y".equals(query.getOrDefault("car-dups", fromAccept));
    }

    /** One media range of an Accept header: its type, parameters and weight. */
    private record MediaRange(String type, Map<String, String> params, double q) {
        static MediaRange parse(String text) {
            String[] parts = text.split(";");
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            if (type.isEmpty()) {
                return null;
            }
            Map<String, String> params = new java.util.HashMap<>();
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = parts[i].substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String v = parts[i].substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                if (k.equals("q")) {
                    try {
                        q = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                } else {
                    params.put(k, v.toLowerCase(Locale.ROOT));
                }
            }
            return new MediaRange(type, params, q);
        }
    }
}
