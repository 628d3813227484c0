package dev.chatops.adapters.render;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.redact.Redactor;
import dev.chatops.core.report.Freshness;
import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.EvidenceLine;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Verdict;
import java.time.Clock;
import java.time.Duration;

/**
 * The report for a terminal, read like a senior engineer's answer: the cause in one line, the
 * evidence, the fix; lesser causes and notes after. Everything quoted from the report is redacted
 * and made inert ({@link HostText}), so a log line cannot clear the screen or fake a report line.
 */
public final class TextRenderer {

    private final Clock clock;

    public TextRenderer() {
        this(Clock.systemUTC());
    }

    /** @param clock measures the age of cached reports ("from 42 s ago") */
    public TextRenderer(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    public String render(Report report) {
        StringBuilder sb = new StringBuilder();
        sb.append(label(report.verdict())).append(' ').append(line(report.host())).append(" · ")
                .append(line(report.summary())).append('\n');
        for (int i = 0; i < report.causes().size(); i++) {
            Cause c = report.causes().get(i);
            sb.append('\n');
            if (i == 0) {
                primary(sb, c);
            } else {
                sb.append("Also possible: ").append(line(c.title())).append(" (").append(line(c.id()))
                        .append(", confidence ")
                        .append(confidence(c.confidence())).append(")\n");
                if (!c.detail().isBlank()) {
                    sb.append("  ").append(lines(c.detail())).append('\n');
                }
                c.fixes().stream().limit(1).forEach(f -> sb.append("  fix: ").append(fix(f)).append('\n'));
            }
        }
        if (!report.notes().isEmpty()) {
            sb.append("\nAlso noted\n");
            report.notes().forEach(n -> sb.append("  • ").append(line(n)).append('\n'));
        }
        sb.append('\n').append(footer(report)).append('\n');

        return sb.toString();
    }

    private static void primary(StringBuilder sb, Cause c) {
        sb.append(line(c.title())).append(" (").append(line(c.id())).append(", confidence ")
                .append(confidence(c.confidence()))
                .append(")\n");
        if (!c.detail().isBlank()) {
            sb.append(lines(c.detail())).append('\n');
        }
        if (!c.evidence().isEmpty()) {
            sb.append("\nEvidence\n");
            for (EvidenceLine e : c.evidence()) {
                sb.append("  ").append(e.count() > 1 ? e.count() + "× " : "").append(line(e.text()))
                        .append("    [").append(line(e.source())).append("]\n");
            }
        }
        if (!c.fixes().isEmpty()) {
            sb.append("\nFix\n");
            c.fixes().forEach(f -> sb.append("  ").append(fix(f)).append('\n'));
        }
    }

    static String fix(Fix f) {
        return f.at().map(at -> line(at.toString()) + ": " + lines(f.text())).orElse(lines(f.text()));
    }

    /** Host text on one line: secrets redacted, control and bidi characters shown as escapes. */
    private static String line(String text) {
        return HostText.forTerminal(Redactor.redact(text));
    }

    /** Like {@link #line}, keeping the line breaks a check lays a detail or a fix out with. */
    private static String lines(String text) {
        return HostText.forTerminalKeepingLines(Redactor.redact(text));
    }

    String footer(Report r) {
        return line(r.host()) + " · " + line(r.check()) + " · " + r.probes().size() + " probes · " + r.durationMs()
                + " ms · " + Freshness.describe(r, clock.instant()) + (r.cached() ? " (--fresh for a new check)" : "")
                + " · window " + minutes(r.window()) + " · collected " + r.collectedAt();
    }

    static String label(Verdict v) {
        return switch (v) {
            case CAUSE_FOUND -> "[CAUSE FOUND]";
            case HEALTHY -> "[HEALTHY]";
            case INCONCLUSIVE -> "[INCONCLUSIVE]";
            case UNREACHABLE -> "[UNREACHABLE]";
        };
    }

    private static String confidence(double c) {
        return c >= 0.8 ? "high" : c >= 0.5 ? "medium" : "low";
    }

    private static String minutes(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
