package io.artdag.l1.cli;

/**
 * One HTTP byte range ({@code Range: bytes=a-b}, {@code a-}, {@code -n}; RFC 9110 section 14)
 * resolved against a body's size.
 *
 * @param first the first byte served
 * @param last the last byte served (inclusive)
 */
record ByteRange(long first, long last) {
    /**
     * A range that cannot be satisfied: answer 416 with {@code Content-Range: bytes *}{@code
     * /size}.
     */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    long length() {
        return last - first + 1;
    }

    boolean satisfiable() {
        return first >= 0;
    }

    /**
     * Resolves a {@code Range} header against {@code size}. Returns null when the whole body is to
     * be served: no header, a unit other than {@code bytes}, a syntactically invalid range, or
     * several ranges (which RFC 9110 lets a server ignore); {@link #UNSATISFIABLE} when the single
     * range starts at or beyond the end ({@code -0}, and any range of an empty body, included).
     */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String spec = h.substring(6).strip();
        if (spec.isEmpty() || spec.indexOf(',') >= 0) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        try {
            if (a.isEmpty()) {
                long n = digits(b);
                if (n == 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new ByteRange(Math.max(0, size - n), size - 1);
            }
            long first = digits(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
            if (last < first) {
                return null;
            }
            if (first >= size) {
                return UNSATISFIABLE;
            }
            return new ByteRange(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long digits(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        return s.length() > 18 ? Long.MAX_VALUE : Long.parseLong(s);
    }
}
