package dev.chatops.core.sweep;

import dev.chatops.core.redact.Redactor;
import dev.chatops.core.spi.Verdict;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

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
 * Plain text with emoji, so it reads the same in Slack (mrkdwn) and in a terminal.
 */
public final class SweepSummary {

    private static final int MAX_SUMMARY = 160;
    private static final int MAX_NAMED = 10;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private SweepSummary() {
    }

    /**
     * @param detailsWhere where the reports of hosts that are not healthy are, e.g. {@code in the
     *                     thread} or {@code below}
     */
    public static String text(SweepResult result, String detailsWhere) {
        StringBuilder sb = new StringBuilder(header(result)).append('\n');
        result.lines().forEach(l -> sb.append(line(l)).append('\n'));
        sb.append(footer(result, detailsWhere)).append('\n');
        return sb.toString();
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
