package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.chatops.core.dispatch.AccessPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The audit log as the Slack front end fills it: one JSON line for every request allowed and
 * every request denied, whoever denied it (the command parser, the access policy, the allowlist,
 * the full queue), with who asked where, for which host, the decision and why; help is not a
 * request and leaves no line; no token ever reaches the file.
 */
class SlackAuditTest {

    private static final String MALLORY = "U0MALLORY";
    private static final String ELSEWHERE = "C0RANDOM";

    @Test
    void slash_everyAllowedAndDeniedRequest_oneAuditLineEach() throws Exception {
        try (SlackHarness h = SlackHarness.builder()
                .access(new AccessPolicy(Set.of(SlackHarness.CHANNEL), Set.of(SlackHarness.USER)))
                .limits(1, 1).gateClosed().startHttp()) {
            assertEquals("Checking web-03…", h.send("/nginx502 web-03").text());
            assertTrue(h.gate().awaitArrival(20));
            assertEquals("Checking web-01…", h.send("/nginx502 web-01").text());
            assertTrue(h.send("/nginx502 localhost").text().startsWith("⏳ the bot is busy"));
            assertTrue(h.send("/nginx502 web-3").text().startsWith("⚠️ unknown host `web-3`"));
            assertTrue(h.send("/nginx502 " + SlackHarness.BOT_TOKEN).text().startsWith("⚠️ unknown host"));
            assertTrue(h.send("/nginx502 web-03 now").text().startsWith("⚠️ unknown option `now`"));
            assertTrue(h.send("/nginx502 web-03", ELSEWHERE, SlackHarness.USER).text()
                    .startsWith("⚠️ checks may not run in this channel"));
            assertTrue(h.send("/nginx502 web-03", SlackHarness.CHANNEL, MALLORY).text()
                    .startsWith("⚠️ you are not on the list of users"));
            assertTrue(h.send("/nginx502 help").text().contains("Usage:"));
            assertTrue(h.send("/nginx502").text().contains("Usage:"));
            h.openGate();
            for (String host : List.of("web-03", "web-01")) {
                h.api().await(c -> c.method().equals("chat.update") && c.text().startsWith("🔴 *" + host + "*"),
                        SlackHarness.WAIT);
            }

            List<JsonObject> lines = h.awaitAuditLines(8);
            assertEquals(8, lines.size(), "2 allowed and 6 denied, none for help:\n" + h.auditText());
            Map<String, List<JsonObject>> byDecision = lines.stream()
                    .collect(Collectors.groupingBy(l -> l.get("decision").getAsString()));
            assertEquals(Set.of("allowed", "denied"), byDecision.keySet());

            List<JsonObject> allowed = byDecision.get("allowed");
            assertEquals(Set.of("web-03", "web-01"), allowed.stream().map(l -> l.get("host").getAsString())
                    .collect(Collectors.toSet()));
            for (JsonObject l : allowed) {
                assertLine(l, SlackHarness.USER, SlackHarness.CHANNEL, l.get("host").getAsString(), "");
                assertEquals("cause-found", l.get("verdict").getAsString());
                assertEquals("SHA256:fake", l.get("hostKeyFingerprint").getAsString());
                assertEquals("nginx502", l.get("check").getAsString());
            }

            List<JsonObject> denied = byDecision.get("denied");
            assertEquals(6, denied.size());
            assertLine(denied.get(0), SlackHarness.USER, SlackHarness.CHANNEL, "localhost",
                    "the bot is busy: 1 check queued; try again in a minute");
            assertLine(denied.get(1), SlackHarness.USER, SlackHarness.CHANNEL, "web-3",
                    "unknown host `web-3`; hosts that may be checked: web-03, web-01, localhost");
            assertLine(denied.get(2), SlackHarness.USER, SlackHarness.CHANNEL, "[REDACTED]",
                    "unknown host `[REDACTED]`; hosts that may be checked: web-03, web-01, localhost");
            assertLine(denied.get(3), SlackHarness.USER, SlackHarness.CHANNEL, "web-03",
                    "unknown option `now`; usage: /nginx502 <host> [fresh], or /nginx502 help");
            assertLine(denied.get(4), SlackHarness.USER, ELSEWHERE, "web-03", "checks may not run in this channel; ask "
                    + "in one of the allowed channels (<#" + SlackHarness.CHANNEL + ">) or ask an admin to add this "
                    + "one to access.channels");
            assertEquals(MALLORY, denied.get(5).get("user").getAsString());
            assertTrue(denied.get(5).get("reason").getAsString()
                    .contains("you are not on the list of users who may run checks (access.users)"));
            for (JsonObject l : denied) {
                assertEquals("none", l.get("cache").getAsString());
                assertTrue(l.get("verdict").isJsonNull());
            }

            String file = h.auditText();
            for (String secret : List.of(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN, SlackHarness.SIGNING_SECRET,
                    "xoxb-", "xapp-")) {
                assertFalse(file.contains(secret), "the audit log holds " + secret + ":\n" + file);
            }
        }
    }

    private static void assertLine(JsonObject line, String user, String channel, String host, String reason) {
        assertEquals("slack", line.get("via").getAsString(), line.toString());
        assertEquals(user, line.get("user").getAsString(), line.toString());
        assertEquals(channel, line.get("channel").getAsString(), line.toString());
        assertEquals(host, line.get("host").getAsString(), line.toString());
        assertEquals(reason, line.get("reason").getAsString(), line.toString());
        assertTrue(line.has("time") && line.has("durationMs"), line.toString());
    }
}
