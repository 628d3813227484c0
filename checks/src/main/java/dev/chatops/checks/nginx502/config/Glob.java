package dev.chatops.checks.nginx502.config;

import java.util.regex.Pattern;

/** Shell glob patterns as nginx's {@code include} uses them ({@code *}, {@code ?}, {@code [...]}). */
final class Glob {

    private Glob() {
    }

    static Pattern toRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> sb.append("[^/]*");
                case '?' -> sb.append("[^/]");
                case '[' -> {
                    int close = glob.indexOf(']', i + 1);
                    if (close < 0) {
                        sb.append("\\[");
                    } else {
                        String cls = glob.substring(i + 1, close);
                        if (cls.startsWith("!")) {
                            cls = "^" + cls.substring(1);
                        }
                        sb.append('[').append(cls.replace("\\", "\\\\")).append(']');
                        i = close;
                    }
                }
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(sb.toString());
    }
}
