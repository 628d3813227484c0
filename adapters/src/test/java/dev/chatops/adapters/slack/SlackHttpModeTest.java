package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real Bolt app in HTTP mode, on real Jetty, answering signed slash commands, against a fake
 * Slack Web API: the conversation of conversation.md from the ack to the parent's verdict.
 */
class SlackHttpModeTest {

    @Test
    void slash_knownHost_acksWhileCheckRunsThenThreadAndVerdict() throws Exception {
        try (SlackHarness h = SlackHarness.builder().gateClosed().startHttp()) {
            int from = h.api().callCount();
            SlackHarness.Ack ack = h.send("/nginx502 web-03");

            assertEquals(200, ack.status(), ack.body());
            assertEquals("Checking web-03…", ack.text());
            assertEquals("ephemeral", ack.responseType());
            assertTrue(ack.took().compareTo(Duration.ofSeconds(3)) < 0, "ack took " + ack.took());
            assertTrue(h.gate().awaitArrival(20), "the check never started");
            assertTrue(h.gate().isClosed(), "the check must still be running when the ack arrives");

            FakeSlackApi.Call running = h.api().await(from, c -> c.method().equals("chat.postMessage"),
                    SlackHarness.WAIT);
            assertEquals(SlackHarness.CHANNEL, running.channel());
            assertTrue(running.threadTs().isEmpty());
            assertEquals("⏳ *web-03* · checking nginx502 for <@" + SlackHarness.USER + ">…", running.text());
            assertEquals(0, h.transport().sessionsOpened(), "no probe may run before the gate opens");

            h.openGate();
            SlackHarness.Thread thread = h.conversation(from, ack, SlackHarness.CHANNEL);

            assertEquals(1, thread.replies().size(), "one thread message for a small report");
            FakeSlackApi.Call reply = thread.replies().get(0);
            assertEquals(running.ts(), reply.threadTs().orElseThrow());
            JsonArray blocks = reply.blocks().orElseThrow();
            JsonObject header = blocks.get(0).getAsJsonObject();
            assertEquals("header", header.get("type").getAsString());
            assertEquals("🔴 Upstream is not running (confidence high)",
                    header.getAsJsonObject("text").get("text").getAsString());
            String text = thread.replyText();
            assertOrdered(text, "refuses connections", "*Evidence* (last 15 min)",
                    "25× 2026/11/21 10:08:39 [error]", "*Fix*", "```sudo systemctl restart shop.service```",
                    "in `/etc/nginx/conf.d/shop.conf:1`", "```server 127.0.0.1:3001;```", "*Also possible*",
                    "Upstream has no keepalive", "*Also noted*",
                    "web-03 · nginx502 · 3 probes · 0.0 s · fresh · window 15 min · `/nginx502 web-03 fresh` to re-run");
            assertEquals("context", blocks.get(blocks.size() - 1).getAsJsonObject().get("type").getAsString());

            assertTrue(thread.verdict().text().startsWith("🔴 *web-03* · upstream shop_app (127.0.0.1:3000) refuses "
                    + "connections"), thread.verdict().text());
            assertTrue(thread.verdict().text().contains("asked by <@" + SlackHarness.USER + ">"));
            assertEquals(thread.verdict().text(), h.api().messageText(running.ts()));
            h.assertEveryMessageWithinLimits();
        }
    }

    private static void assertOrdered(String text, String... parts) {
        int at = 0;
        for (String p : parts) {
            int found = text.indexOf(p, at);
            assertTrue(found >= 0, "expected `" + p + "` after position " + at + " in:\n" + text);
            at = found + p.length();
        }
    }

    @Test
    void slash_help_answersUsageHostsAndChecks_runsNothing() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            for (String line : List.of("/nginx502", "/nginx502 help")) {
                SlackHarness.Ack ack = h.send(line);
                assertEquals(200, ack.status());
                assertEquals("ephemeral", ack.responseType());
                assertTrue(ack.text().contains("Usage: `/nginx502 <host>`"), ack.text());
                assertTrue(ack.text().contains("Hosts this channel may check: `web-03`, `web-01`, `localhost`"),
                        ack.text());
                assertTrue(ack.text().contains("Loaded checks: `nginx502 (/nginx502)`"), ack.text());
            }
            assertFalse(h.api().calls().stream().anyMatch(c -> c.method().startsWith("chat.")));
            assertEquals(0, h.transport().sessionsOpened());
        }
    }
}
