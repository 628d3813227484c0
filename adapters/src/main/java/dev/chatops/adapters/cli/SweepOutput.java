package dev.chatops.adapters.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.adapters.render.HostText;
import dev.chatops.adapters.render.JsonRenderer;
import dev.chatops.adapters.render.TextRenderer;
import dev.chatops.core.sweep.SweepLine;
import dev.chatops.core.sweep.SweepResult;
import dev.chatops.core.sweep.SweepSummary;
import java.time.Clock;

/** What {@code sweep <schedule>} prints: the summary, then the reports of hosts that are not healthy. */
final class SweepOutput {

    private static final String RULE = "─".repeat(72);

    private SweepOutput() {
    }

    static String text(SweepResult result, Clock clock) {
        // each summary line is one line already (SweepSummary folds whitespace); escape what else a host sent
        StringBuilder sb = new StringBuilder(HostText.forTerminalKeepingLines(SweepSummary.text(result, "below")));
        TextRenderer renderer = new TextRenderer(clock);
        for (SweepLine line : result.notHealthy()) {
            sb.append('\n').append(RULE).append('\n').append(renderer.render(line.report()));
        }
        return sb.toString();
    }

    /**
     * {@code {"schedule", "check", "zone", "startedAt", "durationMs", "summary", "hosts": [{"host",
     * "verdict", "line", "report"}]}}, hosts worst first; each report is the JSON report of contracts.md.
     */
    static String json(SweepResult result) {
        JsonObject root = new JsonObject();
        root.addProperty("schedule", result.schedule().name());
        root.addProperty("check", result.schedule().check());
        root.addProperty("zone", result.schedule().zone().getId());
        root.addProperty("startedAt", result.startedAt().toString());
        root.addProperty("durationMs", result.durationMs());
        root.addProperty("summary", SweepSummary.text(result, "below"));
        JsonRenderer reports = new JsonRenderer();
        JsonArray hosts = new JsonArray();
        for (SweepLine line : result.lines()) {
            JsonObject h = new JsonObject();
            h.addProperty("host", line.host());
            h.addProperty("verdict", line.verdict().id());
            h.addProperty("line", SweepSummary.line(line));
            h.add("report", JsonParser.parseString(reports.render(line.report())));
            hosts.add(h);
        }
        root.add("hosts", hosts);
        return HostText.escapeJson(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root))
                + "\n";
    }
}
