package dev.chatops.adapters.render;

import dev.chatops.core.redact.Redactor;
import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.EvidenceLine;
import dev.chatops.core.spi.Fix;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** The report as the stable JSON contract of contracts.md, with secrets redacted. */
public final class JsonRenderer {

    public String render(Report report) {
        JsonObject root = new JsonObject();
        root.addProperty("check", report.check());
        root.addProperty("host", report.host());
        root.addProperty("collectedAt", report.collectedAt().toString());
        root.addProperty("window", report.window().toString());
        root.addProperty("durationMs", report.durationMs());
        root.addProperty("cached", report.cached());
        root.addProperty("verdict", report.verdict().id());
        root.addProperty("summary", Redactor.redact(report.summary()));
        JsonArray causes = new JsonArray();
        for (Cause c : report.causes()) {
            causes.add(cause(c));
        }
        root.add("causes", causes);
        JsonArray notes = new JsonArray();
        report.notes().forEach(n -> notes.add(Redactor.redact(n)));
        root.add("notes", notes);
        JsonArray probes = new JsonArray();
        for (Report.ProbeSummary p : report.probes()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", p.name());
            o.addProperty("exit", p.exit());
            o.addProperty("ms", p.ms());
            o.addProperty("truncated", p.truncated());
            probes.add(o);
        }
        root.add("probes", probes);
        // Gson escapes C0 controls itself; DEL, C1 and bidi controls are escaped here
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
        return HostText.escapeJson(json) + "\n";
    }

    static JsonObject cause(Cause c) {
        JsonObject o = new JsonObject();
        o.addProperty("id", c.id());
        o.addProperty("title", c.title());
        o.addProperty("confidence", Math.round(c.confidence() * 100) / 100.0);
        o.addProperty("detail", Redactor.redact(c.detail()));
        JsonArray evidence = new JsonArray();
        for (EvidenceLine e : c.evidence()) {
            JsonObject l = new JsonObject();
            l.addProperty("source", e.source());
            l.addProperty("text", Redactor.redact(e.text()));
            l.addProperty("count", e.count());
            evidence.add(l);
        }
        o.add("evidence", evidence);
        JsonArray fixes = new JsonArray();
        for (Fix f : c.fixes()) {
            JsonObject l = new JsonObject();
            l.addProperty("kind", f.kind().id());
            l.addProperty("text", f.text());
            f.at().ifPresent(at -> {
                l.addProperty("file", at.file());
                l.addProperty("line", at.line());
            });
            fixes.add(l);
        }
        o.add("fixes", fixes);
        return o;
    }
}
