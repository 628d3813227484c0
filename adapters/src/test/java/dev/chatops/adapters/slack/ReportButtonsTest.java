package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pieces behind the report buttons: what a click may carry, the evidence kept, the siblings table, signed bodies. */
class ReportButtonsTest {

    private static final Instant AT = Instant.parse("2026-11-21T10:09:12Z");

    private static Optional<Click> click(String actionId, String value) {
        return Click.parse(actionId, value, "U0DANA", "C0INCIDENT", "1795342152.000100", "1795342152.000099",
                "https://hooks.slack.com/actions/x");
    }

    @Test
    void click_theBotsOwnValue_parses() {
        Click c = click("report.confirm", Click.value("0123456789abcdef", "nginx502", "web-03", "upstream-down"))
                .orElseThrow();
        assertEquals("confirm", c.action());
        assertEquals("web-03", c.host());
        assertEquals("upstream-down", c.causeId());
        assertEquals(Optional.of("1795342152.000099"), c.thread());
    }

    @Test
    void click_anythingElse_isIgnored() {
        for (String value : List.of("", "0123456789abcdef|nginx502|web-03", "0123456789abcdef|nginx502|web-03|x|y",
                "NOTANID|nginx502|web-03|", "0123456789abcdef|nginx502|web-03;rm -rf /|",
                "0123456789abcdef|nginx502|$(id)|", "0123456789abcdef|Nginx 502|web-03|",
                "0123456789abcdef|nginx502|web-03|cause with spaces", "x".repeat(500))) {
            assertEquals(Optional.empty(), click("report.rerun", value), value);
        }
        String good = Click.value("0123456789abcdef", "nginx502", "web-03", "");
        assertEquals(Optional.empty(), click("report.delete", good));
        assertEquals(Optional.empty(), click("other.rerun", good));
        assertEquals(Optional.empty(), Click.parse("report.rerun", good, "<!here>", "C0INCIDENT", "", "", ""));
        assertEquals(Optional.empty(), Click.parse("report.rerun", good, "U0DANA", "#general", "", "", ""));
    }

    @Test
    void click_onAMessageOutsideAThread_answersInTheMessagesThread() {
        Click c = Click.parse("report.rerun", Click.value("0123456789abcdef", "nginx502", "web-03", ""), "U0DANA",
                "C0INCIDENT", "1795342152.000100", "", "").orElseThrow();
        assertEquals(Optional.of("1795342152.000100"), c.thread());
        Click ephemeral = Click.parse("report.fresh", Click.value("0123456789abcdef", "nginx502", "web-03", ""),
                "U0DANA", "C0INCIDENT", "", "", "").orElseThrow();
        assertEquals(Optional.empty(), ephemeral.thread());
    }

    @Test
    void keptEvidence_beyondItsBounds_dropsTheOldestAndSaysGone() {
        KeptEvidence kept = new KeptEvidence(2, 1 << 20);
        kept.keep("aaaaaaaa", AT, Optional.of("{\"host\":\"web-01\"}"));
        kept.keep("bbbbbbbb", AT, Optional.empty());
        kept.keep("cccccccc", AT, Optional.of("{\"host\":\"web-03\"}"));
        assertInstanceOf(KeptEvidence.Lookup.Gone.class, kept.find("aaaaaaaa"));
        assertInstanceOf(KeptEvidence.Lookup.None.class, kept.find("bbbbbbbb"));
        assertEquals(new KeptEvidence.Lookup.Kept("{\"host\":\"web-03\"}", AT), kept.find("cccccccc"));
        assertEquals(Optional.empty(), kept.collectedAt("aaaaaaaa"));
    }

    @Test
    void keptEvidence_overItsBytes_keepsWithinThem() {
        KeptEvidence kept = new KeptEvidence(100, 4096);
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 10; i++) {
            // random text does not compress: about 3 KiB each, so only one fits at a time
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < 3000; j++) {
                sb.append((char) ('!' + random.nextInt(90)));
            }
            kept.keep("report" + i + "xx", AT, Optional.of(sb.toString()));
            assertTrue(kept.bytes() <= 4096, "bytes " + kept.bytes());
        }
        assertInstanceOf(KeptEvidence.Lookup.Kept.class, kept.find("report9xx"));
        assertInstanceOf(KeptEvidence.Lookup.Gone.class, kept.find("report0xx"));
        StringBuilder huge = new StringBuilder();
        for (int j = 0; j < 20_000; j++) {
            huge.append((char) ('!' + random.nextInt(90)));
        }
        kept.keep("hugehuge", AT, Optional.of(huge.toString()));
        assertInstanceOf(KeptEvidence.Lookup.Gone.class, kept.find("hugehuge"), "too large to keep at all");
        assertInstanceOf(KeptEvidence.Lookup.Kept.class, kept.find("report9xx"), "and it pushed nothing out");
    }

    @Test
    void siblingsRow_readsVerdictFirstCauseAnd502sFromTheReport() {
        Report cause = new Report("nginx502", "web-01", AT, Duration.ofMinutes(15), 400, true, Verdict.CAUSE_FOUND,
                "shop → upstream down · 25× 502 in 15 min",
                List.of(dev.chatops.core.spi.Cause.of("upstream-down", "Upstream is not running").confidence(0.9)
                        .build()), List.of(), List.of());
        Report healthy = new Report("nginx502", "web-02", AT, Duration.ofMinutes(15), 400, false, Verdict.HEALTHY,
                "nginx answers", List.of(), List.of(), List.of());
        String table = SiblingsCheck.table(List.of(SiblingsCheck.Row.of(cause), SiblingsCheck.Row.of(healthy),
                SiblingsCheck.Row.waiting("web-04")));
        // emoji show two columns wide, so the cells after them line up on screen
        assertEquals(String.join("\n",
                "host    verdict                  first cause    502s",
                "web-01  🔴 cause-found (cached)  upstream-down  25",
                "web-02  🟢 healthy               —              0",
                "web-04  ⏳ checking"), table);
        assertEquals(2, SiblingsCheck.columns("⚠️"));
    }

    @Test
    void signedBody_kinds() {
        assertEquals(Optional.of("block_actions"), SignedBody.kind("payload=" + java.net.URLEncoder.encode(
                "{\"type\":\"block_actions\"}", java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(Optional.of("event:app_home_opened"), SignedBody.kind(SlackHarness.homeOpenedEvent("U0DANA")));
        assertEquals(Optional.of("url_verification"), SignedBody.kind("{\"type\":\"url_verification\","
                + "\"challenge\":\"x\"}"));
        for (String body : List.of("", "payload=", "payload=%7B", "payload=1&payload=2", "{", "{\"type\":1}",
                "{\"type\":\"event_callback\",\"event\":\"x\"}", "command=/nginx502")) {
            assertEquals(Optional.empty(), SignedBody.kind(body), body);
        }
    }
}
