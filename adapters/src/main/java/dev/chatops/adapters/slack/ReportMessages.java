package dev.chatops.adapters.slack;

import static dev.chatops.adapters.slack.BlockKit.codeContent;
import static dev.chatops.adapters.slack.BlockKit.quote;
import static java.util.Objects.requireNonNull;

import dev.chatops.adapters.render.HostText;
import dev.chatops.core.redact.Redactor;
import dev.chatops.core.report.Freshness;
import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.EvidenceLine;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.sweep.SweepResult;
import dev.chatops.core.sweep.SweepSummary;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the channel and the thread read: the parent line (running, queued, then the verdict), the
 * report in Block Kit, cause first, then evidence, fixes, lesser causes and notes, and a context
 * line, and a sweep's summary. Everything quoted from a report is redacted and escaped.
 */
final class ReportMessages {

    private static final int SUMMARY_IN_PARENT = 280;
    private static final int DETAIL_OF_LESSER_CAUSE = 500;

    private final Clock clock;

    ReportMessages(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The parent message while the check runs. */
    SlackMessage running(Conversation c) {
        return SlackMessage.text("⏳ *" + quote(c.host()) + "* · checking " + quote(c.check())
                + " for <@" + c.user() + ">…");
    }

    /** The parent message while the run waits for a turn; position 1 is next. */
    SlackMessage queued(Conversation c, int position) {
        return SlackMessage.text("⏳ *" + quote(c.host()) + "* · " + quote(c.check()) + " for <@" + c.user()
                + "> is queued, " + (position <= 1 ? "next" : ordinal(position)) + " in line…");
    }

    private static String ordinal(int n) {
        int tens = n % 100;
        String suffix = tens >= 11 && tens <= 13 ? "th"
                : switch (n % 10) {
                    case 1 -> "st";
                    case 2 -> "nd";
                    case 3 -> "rd";
                    default -> "th";
                };
        return n + suffix;
    }

    /**
     * The parent message once the report is in: one line that reads at a glance, and for a cached
     * report how old it is and how to get a fresh one.
     */
    SlackMessage verdict(Conversation c, Report r) {
        return SlackMessage.text(emoji(r.verdict()) + " *" + quote(r.host()) + "* · "
                + quote(firstLine(r.summary()), SUMMARY_IN_PARENT)
                + "\nasked by <@" + c.user() + "> · " + seconds(r.durationMs()) + " · "
                + Freshness.describe(r, clock.instant())
                + (r.cached() ? " · " + rerun(c.command(), r) : ""));
    }

    /** The parent message when the bot itself failed before it had a report. */
    SlackMessage failed(Conversation c, String why) {
        return SlackMessage.text("⚠️ *" + quote(c.host()) + "* · " + quote(c.check()) + " failed: "
                + quote(why, SUMMARY_IN_PARENT) + "\nasked by <@" + c.user() + ">");
    }

    /** The parent message when the report could not be posted in the thread. */
    SlackMessage undelivered(Conversation c, Report r, String why) {
        return SlackMessage.text(emoji(r.verdict()) + " *" + quote(r.host()) + "* · "
                + quote(firstLine(r.summary()), SUMMARY_IN_PARENT)
                + "\n⚠️ the full report could not be posted here (" + quote(why) + "); <@" + c.user()
                + "> got it directly");
    }

    /**
     * How much of a report is shown. A report that does not fit in the thread is shown again with
     * less evidence and shorter notes, so the cause, the fixes and the context line always come
     * through; what is cut is marked.
     */
    private record Detail(int linesPerSource, int charsPerLine, int notes, int charsPerNote, int lesserCauses,
                          boolean lesserFixes, int charsOfDetail) {
        static final Detail FULL = new Detail(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE, Integer.MAX_VALUE, true, Integer.MAX_VALUE);
        static final Detail SHORT = new Detail(20, 1000, 20, 500, 10, true, 2000);
        static final Detail BRIEF = new Detail(5, 300, 5, 200, 5, false, 1000);
    }

    /**
     * The report as thread messages, within Block Kit's limits, at most {@code maxMessages} of them.
     *
     * @param command the slash command that runs the report's check, for the "to re-run" hint
     */
    List<SlackMessage> thread(String command, Report r, int maxMessages) {
        ThreadLayout layout = null;
        for (Detail detail : List.of(Detail.FULL, Detail.SHORT, Detail.BRIEF)) {
            layout = layout(command, r, maxMessages, detail);
            if (layout.omitted() == 0) {
                break;
            }
        }
        return layout.messages();
    }

    private ThreadLayout layout(String command, Report r, int maxMessages, Detail detail) {
        ThreadLayout layout = new ThreadLayout(emoji(r.verdict()) + " " + quote(r.host()) + " · "
                + quote(firstLine(r.summary())), maxMessages);
        switch (r.verdict()) {
            case CAUSE_FOUND -> causes(layout, r, detail);
            case HEALTHY -> layout.header(emoji(r.verdict()) + " " + r.host() + " is healthy")
                    .text(quote(clip(r.summary(), detail.charsOfDetail())));
            case INCONCLUSIVE -> layout.header(emoji(r.verdict()) + " No cause identified on " + r.host())
                    .text(quote(clip(r.summary(), detail.charsOfDetail())));
            case UNREACHABLE -> layout.header(emoji(r.verdict()) + " " + r.host() + " could not be checked")
                    .text(quote(clip(r.summary(), detail.charsOfDetail())));
        }
        if (!r.notes().isEmpty()) {
            StringBuilder notes = new StringBuilder("*Also noted*");
            r.notes().stream().limit(detail.notes())
                    .forEach(n -> notes.append("\n• ").append(quote(clip(n, detail.charsPerNote()))));
            if (r.notes().size() > detail.notes()) {
                notes.append("\n_… and ").append(r.notes().size() - detail.notes()).append(" more_");
            }
            layout.text(notes.toString());
        }
        layout.context(context(command, r));
        return layout;
    }

    private void causes(ThreadLayout layout, Report r, Detail detail) {
        Cause main = r.causes().get(0);
        layout.header(emoji(r.verdict()) + " " + HostText.withoutBidi(Redactor.redact(main.title())) + " (confidence "
                + confidence(main.confidence()) + ")");
        String more = main.detail().isBlank() ? "" : "\n" + quote(clip(main.detail(), detail.charsOfDetail()));
        layout.text("*" + quote(r.host()) + "* · " + quote(clip(r.summary(), detail.charsOfDetail())) + more);
        if (!main.evidence().isEmpty()) {
            layout.text("*Evidence* (last " + window(r.window()) + ")");
            for (Map.Entry<String, List<EvidenceLine>> source : bySource(main.evidence()).entrySet()) {
                List<EvidenceLine> all = source.getValue();
                List<EvidenceLine> shown = all.subList(0, Math.min(all.size(), detail.linesPerSource()));
                StringBuilder lines = new StringBuilder();
                for (EvidenceLine e : shown) {
                    if (lines.length() > 0) {
                        lines.append('\n');
                    }
                    lines.append(e.count() > 1 ? e.count() + "× " : "").append(clip(e.text(), detail.charsPerLine()));
                }
                int total = all.stream().mapToInt(EvidenceLine::count).sum();
                String caption = "`" + quote(source.getKey()).replace("`", "'") + "` · " + total + " line"
                        + (total == 1 ? "" : "s")
                        + (shown.size() < all.size() ? " (" + (all.size() - shown.size()) + " more not shown)" : "");
                layout.code(caption, codeContent(lines.toString()));
            }
        }
        if (!main.fixes().isEmpty()) {
            layout.text("*Fix*");
            main.fixes().forEach(f -> fix(layout, f));
        }
        if (r.causes().size() > 1) {
            layout.text("*Also possible*");
            List<Cause> lesser = r.causes().subList(1, r.causes().size());
            for (Cause cause : lesser.subList(0, Math.min(lesser.size(), detail.lesserCauses()))) {
                String text = "• *" + quote(cause.title()) + "* (" + quote(cause.id()) + ", confidence "
                        + confidence(cause.confidence()) + ")"
                        + (cause.detail().isBlank() ? ""
                        : ": " + quote(clip(cause.detail(), Math.min(DETAIL_OF_LESSER_CAUSE, detail.charsOfDetail()))));
                if (cause.fixes().isEmpty() || !detail.lesserFixes()) {
                    layout.text(text);
                } else {
                    Fix f = cause.fixes().get(0);
                    layout.code(text + f.at().map(at -> "\nin `" + quote(at.toString()).replace("`", "'") + "`").orElse(""),
                            codeContent(f.text()));
                }
            }
            if (lesser.size() > detail.lesserCauses()) {
                layout.text("_… and " + (lesser.size() - detail.lesserCauses()) + " less likely causes_");
            }
        }
    }

    /** Redacted before it is shortened, so a cut can never leave part of a secret that no longer looks like one. */
    private static String clip(String text, int max) {
        String redacted = Redactor.redact(text);
        return max == Integer.MAX_VALUE ? redacted : BlockKit.clip(redacted, max);
    }

    private static void fix(ThreadLayout layout, Fix f) {
        String caption = f.at().map(at -> "in `" + quote(at.toString()).replace("`", "'") + "`").orElse("");
        layout.code(caption, codeContent(f.text()));
    }

    private String context(String command, Report r) {
        List<String> parts = new ArrayList<>();
        parts.add(quote(r.host()));
        parts.add(quote(r.check()));
        if (!r.probes().isEmpty()) {
            parts.add(r.probes().size() + " probe" + (r.probes().size() == 1 ? "" : "s"));
            long cut = r.probes().stream().filter(Report.ProbeSummary::truncated).count();
            if (cut > 0) {
                parts.add(cut + " output" + (cut == 1 ? "" : "s") + " truncated");
            }
        }
        parts.add(seconds(r.durationMs()));
        parts.add("window " + window(r.window()));
        // how old the report is sits next to how to get a new one
        parts.add(Freshness.describe(r, clock.instant()));
        parts.add(rerun(command, r));
        return String.join(" · ", parts);
    }

    private static String rerun(String command, Report r) {
        return "`" + quote(command) + " " + quote(r.host()) + " fresh` to re-run";
    }

    /**
     * A sweep's summary, the morning post of conversation.md: a header, a line per host worst
     * first with its verdict's emoji, and where the details are. The first message goes to the
     * channel; a fleet too large for one message continues in its thread.
     */
    List<SlackMessage> sweep(SweepResult result, int maxMessages) {
        String header = SweepSummary.header(result);
        ThreadLayout layout = new ThreadLayout(quote(header), maxMessages).header(header);
        StringBuilder lines = new StringBuilder();
        for (String line : SweepSummary.body(result)) {
            if (lines.length() > 0) {
                lines.append('\n');
            }
            lines.append(quote(line));
        }
        return layout.text(lines.toString()).text(quote(SweepSummary.footer(result, "in the thread"))).messages();
    }

    private static Map<String, List<EvidenceLine>> bySource(List<EvidenceLine> lines) {
        Map<String, List<EvidenceLine>> out = new LinkedHashMap<>();
        lines.forEach(l -> out.computeIfAbsent(l.source(), k -> new ArrayList<>()).add(l));
        return out;
    }

    static String emoji(Verdict v) {
        return switch (v) {
            case CAUSE_FOUND -> "🔴";
            case HEALTHY -> "🟢";
            case INCONCLUSIVE -> "🟡";
            case UNREACHABLE -> "⚫";
        };
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String confidence(double c) {
        return c >= 0.8 ? "high" : c >= 0.5 ? "medium" : "low";
    }

    static String seconds(long ms) {
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return ages(Duration.ofMillis(ms));
    }

    private static String ages(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    private static String window(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
