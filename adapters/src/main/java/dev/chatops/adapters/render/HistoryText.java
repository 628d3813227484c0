package dev.chatops.adapters.render;

import dev.chatops.core.history.CauseTally;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.spi.Verdict;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A host's kept reports and the answers' tallies as plain lines, for the command line and Slack alike;
 * each front end escapes them its own way.
 */
public final class HistoryText {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private HistoryText() {
    }

    public static String when(Instant at) {
        return WHEN.format(at);
    }

    /** {@code 2026-11-30 08:00:03 UTC  🔴 upstream-down  asked by U123 in C42}, newest first as given. */
    public static List<String> reports(List<StoredReport> reports) {
        return reports.stream().map(r -> when(r.at()) + "  " + icon(r.verdict()) + " "
                + (r.verdict() == Verdict.CAUSE_FOUND && !r.causeId().isEmpty() ? r.causeId() : r.verdict().id())
                + "  asked by " + r.requester() + (r.channel().isEmpty() ? "" : " in " + r.channel())).toList();
    }

    /** A table of confirmed and rejected answers per cause, with the share confirmed. */
    public static List<String> tallies(List<CauseTally> tallies) {
        int width = Math.max("cause".length(), tallies.stream()
                .mapToInt(t -> t.check().length() + 1 + t.causeId().length()).max().orElse(0));
        List<String> out = new ArrayList<>();
        out.add(pad("cause", width) + "  confirmed  rejected  confirmed share");
        for (CauseTally t : tallies) {
            int all = t.confirmed() + t.rejected();
            out.add(pad(t.check() + "/" + t.causeId(), width) + "  " + String.format(Locale.ROOT, "%9d  %8d  %14s",
                    t.confirmed(), t.rejected(), all == 0 ? "-" : Math.round(100.0 * t.confirmed() / all) + "%"));
        }
        return out;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String icon(Verdict v) {
        return switch (v) {
            case CAUSE_FOUND -> "🔴";
            case UNREACHABLE -> "⚪";
            case INCONCLUSIVE -> "🟡";
            case HEALTHY -> "🟢";
        };
    }
}
