package dev.chatops.adapters.render;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.chatops.core.redact.Redactor;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Explanation;
import dev.chatops.core.spi.PastedText;

/**
 * What pasted lines say, as JSON: the report's cause objects (each with the commands that confirm it),
 * what the lines were, and the numbers of the lines nothing recognised. Secrets are redacted.
 */
public final class ExplanationJson {

    public String render(String check, Explanation x) {
        JsonObject root = new JsonObject();
        root.addProperty("check", check);
        root.addProperty("source", "pasted");
        root.addProperty("verdict", x.diagnosis().verdict().id());
        root.addProperty("summary", Redactor.redact(x.diagnosis().summary()));
        JsonArray causes = new JsonArray();
        for (Cause c : x.diagnosis().causes()) {
            JsonObject o = JsonRenderer.cause(c);
            JsonArray confirm = new JsonArray();
            x.confirming(c.id()).forEach(cmd -> confirm.add(Redactor.redact(cmd)));
            o.add("confirm", confirm);
            causes.add(o);
        }
        root.add("causes", causes);
        JsonArray notes = new JsonArray();
        x.diagnosis().notes().forEach(n -> notes.add(Redactor.redact(n)));
        root.add("notes", notes);
        JsonObject recognised = new JsonObject();
        x.recognised().forEach(recognised::addProperty);
        root.add("recognised", recognised);
        JsonArray unmatched = new JsonArray();
        x.unmatched().stream().map(PastedText.Line::number).forEach(unmatched::add);
        root.add("unmatchedLines", unmatched);
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
        return HostText.escapeJson(json) + "\n";
    }
}
