package dev.chatops.adapters.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.adapters.render.HostText;
import dev.chatops.adapters.render.JsonRenderer;
import dev.chatops.adapters.render.TextRenderer;
import dev.chatops.core.sweep.SweepDiff;
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
     * "verdict", "line", "report"}], "sincePrevious"}}, hosts worst first; each report is the JSON report of
     * contracts.md. {@code sincePrevious} is there when the schedule swept before: {@code {"previousAt",
     * "newFailures": [host], "stillFailing": [{"host", "since", "sinceAtLeast", "was"?}], "recovered":
     * [{"host", "was"}], "unchangedHealthy", "gateway502": {host: {"counts": [n, …], "sparkline"}}}}.
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
        result.diff().ifPresent(d -> root.add("sincePrevious", diff(d)));
        return HostText.escapeJson(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root))
                + "\n";
    }

    private static JsonObject diff(SweepDiff d) {
        JsonObject o = new JsonObject();
        o.addProperty("previousAt", d.previousAt().toString());
        JsonArray fresh = new JsonArray();
        d.newFailures().forEach(l -> fresh.add(l.host()));
        o.add("newFailures", fresh);
        JsonArray still = new JsonArray();
        for (SweepDiff.Still s : d.stillFailing()) {
            JsonObject h = new JsonObject();
            h.addProperty("host", s.line().host());
            h.addProperty("since", s.since().toString());
            h.addProperty("sinceAtLeast", s.atLeast());
            s.was().ifPresent(w -> h.addProperty("was", w));
            still.add(h);
        }
        o.add("stillFailing", still);
        JsonArray recovered = new JsonArray();
        for (SweepDiff.Recovered r : d.recovered()) {
            JsonObject h = new JsonObject();
            h.addProperty("host", r.line().host());
            h.addProperty("was", SweepDiff.label(r.was(), r.wasCauseId()));
            recovered.add(h);
        }
        o.add("recovered", recovered);
        o.addProperty("unchangedHealthy", d.unchangedHealthy());
        JsonObject counts = new JsonObject();
        d.gatewayCounts().keySet().stream().sorted().forEach(host -> {
            JsonObject h = new JsonObject();
            JsonArray values = new JsonArray();
            d.gatewayCounts().get(host).forEach(values::add);
            h.add("counts", values);
            h.addProperty("sparkline", d.sparkline(host));
            counts.add(host, h);
        });
        o.add("gateway502", counts);
        return o;
    }
}
