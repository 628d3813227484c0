package dev.chatops.adapters.slack;

import dev.chatops.adapters.render.ExplanationText;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.EvidenceLine;
import dev.chatops.core.spi.Explanation;
import dev.chatops.core.spi.Verdict;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What pasted lines say, as Block Kit: the leading cause with the lines it rests on, the fix in general form
 * and what to run on the host to confirm it; lesser causes shorter; then the notes. Everything quoted from
 * the paste is redacted and escaped ({@link BlockKit#quote}), and the layout keeps within Slack's limits.
 */
final class ExplainMessages {

    /** Causes shown; more would bury the first. */
    static final int CAUSES = 4;
    static final int NOTES = 6;

    private ExplainMessages() {
    }

    /** The answer in at most {@code maxMessages} messages. */
    static List<SlackMessage> answer(String check, Explanation x, int maxMessages) {
        Verdict v = x.diagnosis().verdict();
        String mark = v == Verdict.CAUSE_FOUND ? "🔴" : "🟡";
        ThreadLayout layout = new ThreadLayout(mark + " " + BlockKit.quote(x.diagnosis().summary(), 200), maxMessages);
        List<Cause> causes = x.diagnosis().causes();
        if (causes.isEmpty()) {
            layout.header(mark + " No cause in the pasted lines");
            layout.text(BlockKit.quote(x.diagnosis().summary()));
        } else {
            layout.header(mark + " " + BlockKit.clip(causes.get(0).title(), 120) + " (pasted lines)");
        }
        for (int i = 0; i < Math.min(CAUSES, causes.size()); i++) {
            Cause c = causes.get(i);
            String head = (i == 0 ? "" : "*Also possible:* ") + "*" + BlockKit.quote(c.title()) + "* (`"
                    + BlockKit.quote(c.id()) + "`, confidence " + confidence(c.confidence()) + ")";
            layout.text(head + (c.detail().isBlank() ? "" : "\n" + BlockKit.quote(c.detail())));
            if (i == 0 && !c.evidence().isEmpty()) {
                layout.code("*Evidence*", c.evidence().stream().map(ExplainMessages::evidence)
                        .collect(Collectors.joining("\n")));
            }
            if (!c.fixes().isEmpty()) {
                layout.code(i == 0 ? "*Fix* (general form: no config was read)" : "_fix_",
                        BlockKit.codeContent(c.fixes().stream().limit(i == 0 ? 10 : 2).map(Fix::text)
                                .collect(Collectors.joining("\n"))));
            }
            List<String> confirm = x.confirming(c.id());
            if (!confirm.isEmpty()) {
                layout.code(i == 0 ? "*Confirm on the host*" : "_confirm_", BlockKit.codeContent(String.join("\n",
                        confirm.subList(0, Math.min(i == 0 ? 6 : 2, confirm.size())))));
            }
        }
        if (causes.size() > CAUSES) {
            layout.context((causes.size() - CAUSES) + " less likely causes not shown: `explain " + BlockKit.quote(check)
                    + "` on the command line lists them all");
        }
        x.diagnosis().notes().stream().limit(NOTES).forEach(n -> layout.context("• " + BlockKit.quote(n, 600)));
        layout.context(BlockKit.quote(check) + " · " + BlockKit.quote(ExplanationText.read(x)) + " · no host was contacted");
        return layout.messages();
    }

    private static String evidence(EvidenceLine e) {
        return (e.count() > 1 ? e.count() + "× " : "") + BlockKit.quote(e.text(), 600)
                + "    [" + BlockKit.quote(e.source()) + "]";
    }

    private static String confidence(double c) {
        return c >= 0.8 ? "high" : c >= 0.5 ? "medium" : "low";
    }
}
