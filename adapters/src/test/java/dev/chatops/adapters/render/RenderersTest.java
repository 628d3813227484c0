package dev.chatops.adapters.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.EvidenceLine;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderersTest {

    private static final Report REPORT = new Report("nginx502", "web-03", Instant.parse("2026-11-21T10:09:12Z"),
            Duration.ofMinutes(15), 812, false, Verdict.CAUSE_FOUND,
            "upstream shop_app (127.0.0.1:3000) refuses connections: nothing listens on :3000",
            List.of(new Cause("upstream-down", "Upstream is not running", 0.93,
                    "connections refused, and no process listens on :3000",
                    List.of(new EvidenceLine("/var/log/nginx/error.log", "connect() failed (111: Connection refused) "
                            + "while connecting to upstream, request: \"GET /login?password=hunter2 HTTP/1.1\"", 25)),
                    List.of(Fix.command("sudo systemctl start shop.service"),
                            Fix.directive("server 127.0.0.1:3001;", "/etc/nginx/conf.d/shop.conf", 1)))),
            List.of("25 of 25 requests in the window answered 502"),
            List.of(new Report.ProbeSummary("error-log", 0, 41, false)));

    @Test
    void json_hasEveryContractField() {
        JsonObject o = JsonParser.parseString(new JsonRenderer().render(REPORT)).getAsJsonObject();

        assertEquals("nginx502", o.get("check").getAsString());
        assertEquals("web-03", o.get("host").getAsString());
        assertEquals("2026-11-21T10:09:12Z", o.get("collectedAt").getAsString());
        assertEquals("PT15M", o.get("window").getAsString());
        assertEquals(812, o.get("durationMs").getAsLong());
        assertFalse(o.get("cached").getAsBoolean());
        assertEquals("cause-found", o.get("verdict").getAsString());
        JsonObject cause = o.getAsJsonArray("causes").get(0).getAsJsonObject();
        assertEquals("upstream-down", cause.get("id").getAsString());
        assertEquals(0.93, cause.get("confidence").getAsDouble());
        JsonObject evidence = cause.getAsJsonArray("evidence").get(0).getAsJsonObject();
        assertEquals(25, evidence.get("count").getAsInt());
        assertEquals("/var/log/nginx/error.log", evidence.get("source").getAsString());
        JsonObject directive = cause.getAsJsonArray("fixes").get(1).getAsJsonObject();
        assertEquals("directive", directive.get("kind").getAsString());
        assertEquals("/etc/nginx/conf.d/shop.conf", directive.get("file").getAsString());
        assertEquals(1, directive.get("line").getAsInt());
        assertFalse(cause.getAsJsonArray("fixes").get(0).getAsJsonObject().has("file"));
        assertEquals("25 of 25 requests in the window answered 502", o.getAsJsonArray("notes").get(0).getAsString());
        JsonObject probe = o.getAsJsonArray("probes").get(0).getAsJsonObject();
        assertEquals("error-log", probe.get("name").getAsString());
        assertEquals(41, probe.get("ms").getAsLong());
    }

    @Test
    void text_readsCauseEvidenceFixInThatOrder() {
        String text = new TextRenderer().render(REPORT);

        assertTrue(text.startsWith("[CAUSE FOUND] web-03 · upstream shop_app (127.0.0.1:3000) refuses connections"), text);
        int cause = text.indexOf("Upstream is not running (upstream-down, confidence high)");
        int evidence = text.indexOf("25× connect() failed (111: Connection refused)");
        int fix = text.indexOf("/etc/nginx/conf.d/shop.conf:1: server 127.0.0.1:3001;");
        assertTrue(cause > 0 && evidence > cause && fix > evidence, text);
        assertTrue(text.contains("sudo systemctl start shop.service"), text);
        assertTrue(text.contains("web-03 · nginx502 · 1 probes · 812 ms · fresh · window 15 min"), text);
    }

    @Test
    void bothRenderers_redactSecretsInQuotedLines() {
        assertFalse(new TextRenderer().render(REPORT).contains("hunter2"));
        assertFalse(new JsonRenderer().render(REPORT).contains("hunter2"));
    }

    private static final Report HOSTILE = new Report("nginx502", "web-03", Instant.parse("2026-11-21T10:09:12Z"),
            Duration.ofMinutes(15), 812, false, Verdict.CAUSE_FOUND, "upstream refuses connections",
            List.of(new Cause("upstream-down", "Upstream is not running", 0.93, "no process listens on :3000",
                    List.of(new EvidenceLine("/var/log/nginx/error.log", "connect() failed \u001b[2J\u001b[H"
                            + "[HEALTHY] web-03 · all fine\nrequest: \"GET /\u202efdp.exe HTTP/1.1\"", 1)),
                    List.of(Fix.command("sudo systemctl start shop.service")))),
            List.of(), List.of(new Report.ProbeSummary("error-log", 0, 41, false)));

    @Test
    void text_escapeSequenceAndBidiOverrideInEvidenceLine_areShownEscaped() {
        String text = new TextRenderer().render(HOSTILE);

        assertFalse(text.contains("\u001b"), text);
        assertFalse(text.contains("\u202e"), text);
        assertTrue(text.contains("  connect() failed \\x1b[2J\\x1b[H[HEALTHY] web-03 · all fine\\x0arequest: "
                + "\"GET /\\u202efdp.exe HTTP/1.1\"    [/var/log/nginx/error.log]\n"), text);
        assertTrue(text.startsWith("[CAUSE FOUND] web-03 · "), text);
        assertFalse(text.contains("\n[HEALTHY]"), text);
    }

    @Test
    void json_escapeSequenceAndBidiOverrideInEvidenceLine_areEscapedAndRoundTrip() {
        String json = new JsonRenderer().render(HOSTILE);

        assertFalse(json.contains("\u001b"), json);
        assertFalse(json.contains("\u202e"), json);
        assertTrue(json.contains("\\u001b[2J"), json);
        assertTrue(json.contains("\\u202e"), json);
        String line = JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("causes").get(0).getAsJsonObject()
                .getAsJsonArray("evidence").get(0).getAsJsonObject().get("text").getAsString();
        assertTrue(line.contains("\u001b[2J") && line.contains("\u202efdp.exe"), line);
    }
}
