package dev.chatops.adapters.render;

import dev.chatops.core.redact.Redactor;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.EvidenceLine;
import dev.chatops.core.spi.Explanation;
import java.util.List;

/**
 * What pasted lines say, for a terminal: laid out like a report (cause, evidence, fix) with what to run on
 * the host to confirm each cause. Every pasted word is redacted and made inert ({@link HostText}).
 */
public final class ExplanationText {

    public String render(String check, Explanation x) {
        StringBuilder sb = new StringBuilder();
        sb.append(TextRenderer.label(x.diagnosis().verdict())).append(" pasted lines · ")
                .append(line(x.diagnosis().summary())).append('\n');
        List<Cause> causes = x.diagnosis().causes();
        for (int i = 0; i < causes.size(); i++) {
            Cause c = causes.get(i);
            sb.append('\n');
            sb.append(i == 0 ? "" : "Also possible: ").append(line(c.title())).append(" (").append(line(c.id()))
                    .append(", confidence ").append(confidence(c.confidence())).append(")\n");
            if (!c.detail().isBlank()) {
                sb.append(i == 0 ? "" : "  ").append(lines(c.detail())).append('\n');
            }
            if (i == 0 && !c.evidence().isEmpty()) {
                sb.append("\nEvidence\n");
                for (EvidenceLine e : c.evidence()) {
                    sb.append("  ").append(e.count() > 1 ? e.count() + "× " : "").append(line(e.text()))
                            .append("    [").append(line(e.source())).append("]\n");
                }
            }
            String indent = i == 0 ? "  " : "    ";
            if (!c.fixes().isEmpty()) {
                sb.append(i == 0 ? "\nFix\n" : "  fix:\n");
                c.fixes().forEach(f -> sb.append(indent).append(TextRenderer.fix(f)).append('\n'));
            }
            List<String> confirm = x.confirming(c.id());
            if (!confirm.isEmpty()) {
                sb.append(i == 0 ? "\nConfirm on the host\n" : "  confirm:\n");
                confirm.forEach(cmd -> sb.append(indent).append(line(cmd)).append('\n'));
            }
        }
        if (!x.diagnosis().notes().isEmpty()) {
            sb.append("\nAlso noted\n");
            x.diagnosis().notes().forEach(n -> sb.append("  • ").append(line(n)).append('\n'));
        }
        sb.append('\n').append(line(check)).append(" · ").append(read(x)).append('\n');
        return sb.toString();
    }

    /** {@code 3 nginx error log, 1 php-fpm log, 2 not recognised}. */
    public static String read(Explanation x) {
        StringBuilder sb = new StringBuilder();
        x.recognised().forEach((k, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(k));
        if (!x.unmatched().isEmpty()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(x.unmatched().size()).append(" not recognised");
        }
        return sb.length() == 0 ? "no lines read" : "lines read: " + sb;
    }

    private static String confidence(double c) {
        return c >= 0.8 ? "high" : c >= 0.5 ? "medium" : "low";
    }

    private static String line(String text) {
        return HostText.forTerminal(Redactor.redact(text));
    }

    private static String lines(String text) {
        return HostText.forTerminalKeepingLines(Redactor.redact(text));
    }
}
