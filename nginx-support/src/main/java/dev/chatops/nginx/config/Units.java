package dev.chatops.nginx.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** nginx's time ({@code 60s}, {@code 1m30s}, {@code 500ms}) and size ({@code 4k}, {@code 1m}) values. */
public final class Units {

    private static final Pattern TIME_PART = Pattern.compile("(\\d+)(ms|y|M|w|d|h|m|s)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgG]?)");

    private Units() {
    }

    public static Optional<Duration> time(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = TIME_PART.matcher(value);
        long ms = 0;
        int at = 0;
        while (at < value.length()) {
            if (!m.find(at) || m.start() != at) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            ms += switch (unit) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                case "h" -> n * 3_600_000;
                case "d" -> n * 86_400_000;
                case "w" -> n * 7 * 86_400_000;
                case "M" -> n * 30 * 86_400_000L;
                default -> n * 365 * 86_400_000L;
            };
            at = m.end();
        }
        return Optional.of(Duration.ofMillis(ms));
    }

    public static Optional<Long> size(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> n * 1024;
            case "m" -> n * 1024 * 1024;
            case "g" -> n * 1024 * 1024 * 1024;
            default -> n;
        });
    }

    /** A duration as nginx would write it: {@code 2s}, {@code 90s}, {@code 500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        return (ms / 1000) + "s";
    }
}
