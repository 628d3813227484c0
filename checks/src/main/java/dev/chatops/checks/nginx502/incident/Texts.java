package dev.chatops.checks.nginx502.incident;

import dev.chatops.nginx.log.ErrorLogLine;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Small phrasing helpers shared by the rules, so reports read the same everywhere. */
public final class Texts {

    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private Texts() {
    }

    public static String time(LocalDateTime t) {
        return HMS.format(t);
    }

    public static String day(LocalDateTime t) {
        return DAY.format(t);
    }

    /** {@code 2026-11-21 10:07:12}, as journalctl --since takes it. */
    public static String stamp(LocalDateTime t) {
        return DAY.format(t) + ":" + String.format("%02d", t.getSecond());
    }

    public static String span(ErrorLogLine first, ErrorLogLine last) {
        return first.time().equals(last.time()) ? "at " + time(first.time())
                : "from " + time(first.time()) + " to " + time(last.time());
    }

    public static String minutes(Duration d) {
        long m = d.toMinutes();
        return m >= 1 && d.toSeconds() % 60 == 0 ? m + " min" : d.toSeconds() + " s";
    }

    /** {@code once}, {@code 2 times}. */
    public static String times(long n) {
        return n == 1 ? "once" : n + " times";
    }

    public static String attempts(long n) {
        return n == 1 ? "1 attempt" : n + " attempts";
    }

    public static String ago(Duration d) {
        long s = d.toSeconds();
        if (s < 120) {
            return s + " s ago";
        }
        if (s < 7200) {
            return s / 60 + " min ago";
        }
        if (s < 172800) {
            return s / 3600 + " h ago";
        }
        return s / 86400 + " days ago";
    }

    public static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
