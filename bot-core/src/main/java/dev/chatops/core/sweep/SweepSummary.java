package dev.chatops.core.sweep;

import dev.chatops.core.redact.Redactor;
import dev.chatops.core.spi.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sweep as one message, the morning post of conversation.md:
 *
 * <pre>
 * ☀️ nginx502 morning check · 3 hosts · 08:00 Europe/Berlin
 * 🔴 web-03  upstream-down: upstream shop_app (127.0.0.1:3000) refuses connections (412× 502)
 * ⚪ web-04  unreachable: cannot connect to 10.0.3.14:22: connection timed out
 * 🟢 web-01  healthy
 * Details for web-03 and web-04 in the thread.
 * </pre>
 *
 * When the schedule swept before, the body says what changed since instead of listing every host:
 *
 * <pre>
 * ☀️ nginx502 morning check · 14 hosts · 08:00 Europe/Berlin
 * New since the last sweep (Sun 08:00):
 * 🔴 web-07  upstream-timeout: … (35× 502)  ▁▁▁▁▁▂▇
 * Still failing:
 * 🔴 web-05  upstream-down: … (412× 502) · since Tue 08:00  ▅▅▇▇▇▅▇
 * Recovered:
 * 🟢 web-02  recovered (was upstream-down)
 * 🟢 11 hosts healthy, as at the last sweep
 * Details for web-07 and web-05 in the thread.
 * </pre>
 *
 * Plain text with emoji, so it reads the same in Slack (mrkdwn) and in a terminal.
 */
public final class SweepSummary {

    private static final int MAX_SUMMARY = 160;
    private static final int MAX_NAMED = 10;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

    private SweepSummary() {
    }

    /**
     * @param detailsWhere where the reports of hosts that are not healthy are, e.g. {@code in the
     *                     thread} or {@code below}
     */
    public static String text(SweepResult result, String detailsWhere) {
        StringBuilder sb = new StringBuilder(header(result)).append('\n');
        body(result).forEach(l -> sb.append(l).append('\n'));
        sb.append(footer(result, detailsWhere)).append('\n');
        return sb.toString();
    }

    /**
     * The lines between header and footer: what changed since the previous sweep when there was one,
     * else a line per host, worst first.
     */
    public static List<String> body(SweepResult result) {
        if (result.diff().isEmpty()) {
            return result.lines().stream().map(SweepSummary::line).toList();
        }
        SweepDiff d = result.diff().get();
        ZoneId zone = result.schedule().zone();
        List<String> out = new ArrayList<>();
        if (!d.newFailures().isEmpty()) {
            out.add("New since the last sweep (" + when(d.previousAt(), result.startedAt(), zone) + "):");
            d.newFailures().forEach(l -> out.add(line(l) + spark(d, l.host())));
        }
        if (!d.stillFailing().isEmpty()) {
            out.add("Still failing:");
            for (SweepDiff.Still s : d.stillFailing()) {
                out.add(line(s.line()) + s.was().map(w -> " (was " + w + ")").orElse("") + " · since "
                        + (s.atLeast() ? "at least " : "") + when(s.since(), result.startedAt(), zone)
                        + spark(d, s.line().host()));
            }
        }
        if (!d.recovered().isEmpty()) {
            out.add("Recovered:");
            d.recovered().forEach(r -> out.add(icon(Verdict.HEALTHY) + " " + r.line().host() + "  recovered (was "
                    + SweepDiff.label(r.was(), r.wasCauseId()) + ")"));
        }
        if (d.unchangedHealthy() > 0) {
            int n = d.unchangedHealthy();
            out.add(icon(Verdict.HEALTHY) + " " + n + (n == 1 ? " host" : " hosts") + " healthy, as at the last sweep"
                    + (out.isEmpty() ? " (" + when(d.previousAt(), result.startedAt(), zone) + ")" : ""));
        }
        return out;
    }

    /** {@code Tue 08:00} within the last week, {@code 3 Nov 08:00} before. */
    static String when(Instant at, Instant now, ZoneId zone) {
        ZonedDateTime z = at.atZone(zone);
        return Duration.between(at, now).compareTo(Duration.ofDays(6)) < 0 ? DAY_TIME.format(z) : DATE_TIME.format(z);
    }

    private static String spark(SweepDiff d, String host) {
        String s = d.sparkline(host);
        return s.length() < 2 ? "" : "  " + s;
    }

    /** {@code ☀️ nginx502 morning check · 3 hosts · 08:00 Europe/Berlin}. */
    public static String header(SweepResult result) {
        ZonedDateTime at = result.startedAt().atZone(result.schedule().zone());
        int n = result.lines().size();
        return (at.getHour() >= 5 && at.getHour() < 18 ? "☀️" : "🌙") + " " + result.schedule().check() + " "
                + result.schedule().name() + " check · " + n + (n == 1 ? " host" : " hosts") + " · " + TIME.format(at)
                + " " + result.schedule().zone().getId();
    }

    /** {@code 🔴 web-03  upstream-down: …}, {@code 🟢 web-01  healthy}. */
    public static String line(SweepLine line) {
        String what = switch (line.verdict()) {
            case HEALTHY -> "healthy";
            case CAUSE_FOUND -> line.causeId().orElse("cause-found") + ": " + summary(line);
            case INCONCLUSIVE -> "inconclusive: " + summary(line);
            case UNREACHABLE -> "unreachable: " + summary(line);
        };
        return icon(line.verdict()) + " " + line.host() + "  " + what;
    }

    public static String icon(Verdict verdict) {
        return switch (verdict) {
            case CAUSE_FOUND -> "🔴";
            case UNREACHABLE -> "⚪";
            case INCONCLUSIVE -> "🟡";
            case HEALTHY -> "🟢";
        };
    }

    /** {@code Details for web-03 and web-02 in the thread.}, or {@code All 3 hosts are healthy.} */
    public static String footer(SweepResult result, String detailsWhere) {
        List<String> names = result.notHealthy().stream().map(SweepLine::host).toList();
        if (names.isEmpty()) {
            int n = result.lines().size();
            return n == 1 ? "The host is healthy." : "All " + n + " hosts are healthy.";
        }
        List<String> shown = names.size() > MAX_NAMED ? names.subList(0, MAX_NAMED) : names;
        String list;
        if (names.size() > MAX_NAMED) {
            list = String.join(", ", shown) + " and " + (names.size() - MAX_NAMED) + " more";
        } else if (names.size() == 1) {
            list = names.get(0);
        } else {
            list = String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
        }
        return "Details for " + list + " " + detailsWhere + ".";
    }

    private static String summary(SweepLine line) {
        String oneLine = Redactor.redact(line.report().summary()).replaceAll("\\s+", " ").trim();
        return oneLine.length() > MAX_SUMMARY ? oneLine.substring(0, MAX_SUMMARY - 1) + "…" : oneLine;
    }
}
