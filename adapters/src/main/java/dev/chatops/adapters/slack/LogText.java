package dev.chatops.adapters.slack;

/**
 * Text from a request, made safe for one log line: control and line-separator characters are
 * escaped (so a request cannot forge log lines) and the length is capped (so it cannot flood the
 * log).
 */
final class LogText {

    private LogText() {
    }

    static String escape(String text, int max) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max) + 16);
        int i = 0;
        for (; i < text.length() && sb.length() < max; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                            || Character.getType(c) == Character.FORMAT) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (i < text.length()) {
            sb.append("…(").append(text.length() - i).append(" more chars)");
        }
        return sb.toString();
    }
}
