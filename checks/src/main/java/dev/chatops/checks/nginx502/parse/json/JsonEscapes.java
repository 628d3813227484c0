package dev.chatops.checks.nginx502.parse.json;

import java.util.Optional;

/** JSON's string escapes (RFC 8259, section 7) and nothing else: no sign, no short or loose hex. */
public final class JsonEscapes {

    /** What an escape stands for, and the index of the text after it. */
    public record Decoded(char value, int next) {
    }

    private JsonEscapes() {
    }

    /**
     * The escape whose letter is at {@code at} in {@code s} (just after the backslash); empty when the text
     * there is not one of JSON's escapes.
     */
    public static Optional<Decoded> decode(String s, int at) {
        if (at >= s.length()) {
            return Optional.empty();
        }
        char e = s.charAt(at);
        return switch (e) {
            case '"', '\\', '/' -> Optional.of(new Decoded(e, at + 1));
            case 'b' -> Optional.of(new Decoded('\b', at + 1));
            case 'f' -> Optional.of(new Decoded('\f', at + 1));
            case 'n' -> Optional.of(new Decoded('\n', at + 1));
            case 'r' -> Optional.of(new Decoded('\r', at + 1));
            case 't' -> Optional.of(new Decoded('\t', at + 1));
            case 'u' -> unicode(s, at + 1);
            default -> Optional.empty();
        };
    }

    private static Optional<Decoded> unicode(String s, int from) {
        if (from + 4 > s.length()) {
            return Optional.empty();
        }
        int value = 0;
        for (int k = from; k < from + 4; k++) {
            // Character.digit would also take non-ASCII digits
            char h = s.charAt(k);
            int digit = h >= '0' && h <= '9' ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (digit < 0) {
                return Optional.empty();
            }
            value = value * 16 + digit;
        }
        return Optional.of(new Decoded((char) value, from + 4));
    }
}
