package io.artdag.l1.source;

import org.apache.flink.annotation.Internal;

/**
 * The checks every source applies to names that come from its input (node ids from metadata, a
 * spool or Kafka, a render output's node id), and how such a name is shown in an error message, so
 * that a hostile name is refused the same way everywhere (README "Inputs").
 */
@Internal
public final class InputNames {
    private InputNames() {}

    /** One path segment that stays where it is put: not empty, no separator, no NUL, not . or .. */
    public static boolean safeSegment(String s) {
        return !s.isEmpty()
                && !s.equals(".")
                && !s.equals("..")
                && s.indexOf('/') < 0
                && s.indexOf('\\') < 0
                && s.indexOf('\0') < 0;
    }

    /**
     * {@code s} for a message: backslashes doubled, control characters as {@code \n}, {@code \t},
     * {@code \r} or {@code \}{@code uXXXX}.
     */
    public static String display(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
