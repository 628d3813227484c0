package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.testing.FakeTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
            SlackHarness.SlackThread thread = h.conversation(from, ack, SlackHarness.CHANNEL);

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
                    "web-03 · nginx502 · 3 probes · 0.0 s · window 15 min · fresh · `/nginx502 web-03 fresh` to re-run");
            // the context line closes the report; the report's buttons come after it
            assertEquals("context", blocks.get(blocks.size() - 2).getAsJsonObject().get("type").getAsString());
            assertEquals("actions", blocks.get(blocks.size() - 1).getAsJsonObject().get("type").getAsString());

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
                assertTrue(ack.text().contains("Usage: `/nginx502 &lt;host&gt;`"), ack.text());
                assertTrue(ack.text().contains("Hosts this channel may check: `web-03`, `web-01`, `localhost`"),
                        ack.text());
                assertTrue(ack.text().contains("Loaded checks: `nginx502 (/nginx502)`"), ack.text());
            }
            assertFalse(h.api().calls().stream().anyMatch(c -> c.method().startsWith("chat.")));
            assertEquals(0, h.transport().sessionsOpened());
        }
    }

    @Test
    void slash_everyConfiguredCommand_runsItsOwnCheck() {
        ScriptedCheck disk = new ScriptedCheck("disk", e -> Diagnosis.healthy("/var has 62% free", List.of()));
        try (SlackHarness h = SlackHarness.builder()
                .commands(Map.of("/nginx502", "nginx502", "/diskfull", "disk"))
                .checks(ScriptedCheck.upstreamDown(), disk).startHttp()) {
            SlackHarness.SlackThread diskThread = h.slash("/diskfull web-01");
            assertEquals("Checking web-01…", diskThread.ack().text());
            assertEquals("⏳ *web-01* · checking disk for <@" + SlackHarness.USER + ">…", diskThread.parent().text());
            assertTrue(diskThread.replyText().startsWith("🟢 web-01 is healthy\n/var has 62% free"),
                    diskThread.replyText());
            assertTrue(diskThread.replyText().contains("`/diskfull web-01 fresh` to re-run"), diskThread.replyText());
            assertTrue(diskThread.verdict().text().startsWith("🟢 *web-01* · /var has 62% free"));

            SlackHarness.SlackThread nginxThread = h.slash("/nginx502 web-03");
            assertTrue(nginxThread.replyText().startsWith("🔴 Upstream is not running"));
        }
    }

    @Test
    void slash_secretsInEvidence_neverPosted() {
        FakeTransport transport = new FakeTransport()
                .answer("error-log", "upstream sent invalid header; Authorization: Bearer sk_live_abcdefgh12345678 "
                        + "request: \"GET /login?password=hunter2&user=dana HTTP/1.1\" token " + SlackHarness.BOT_TOKEN)
                .answer("access-log", "").answer("listening", "");
        try (SlackHarness h = SlackHarness.builder().transport(transport).startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            assertTrue(thread.replyText().contains("Authorization: [REDACTED]"), thread.replyText());
            for (FakeSlackApi.Call c : h.api().calls()) {
                String everything = c.params() + c.blockText();
                for (String secret : List.of("sk_live_abcdefgh12345678", "hunter2", SlackHarness.BOT_TOKEN)) {
                    assertFalse(everything.contains(secret), c.method() + " carried " + secret);
                }
            }
        }
    }

    @Test
    void slash_runWaitsInTheDispatchersQueue_parentSaysQueuedThenRunning() throws Exception {
        try (SlackHarness h = SlackHarness.builder().limits(1, 8).gateClosed().startHttp()) {
            assertEquals("Checking web-03…", h.send("/nginx502 web-03").text());
            assertTrue(h.gate().awaitArrival(20), "the first check never started");
            int from = h.api().callCount();
            assertEquals("Checking web-01…", h.send("/nginx502 web-01").text(),
                    "a queued request is acked like any other");

            FakeSlackApi.Call parent = h.api().await(from, c -> c.method().equals("chat.postMessage")
                    && c.text().contains("web-01"), SlackHarness.WAIT);
            assertEquals("⏳ *web-01* · nginx502 for <@" + SlackHarness.USER + "> is queued, next in line…",
                    parent.text());
            h.openGate();
            FakeSlackApi.Call verdict = h.api().await(from, c -> c.method().equals("chat.update")
                    && c.param("ts").equals(parent.ts()) && !c.text().startsWith("⏳"), SlackHarness.WAIT);

            List<String> updates = h.api().calls("chat.update").stream()
                    .filter(u -> u.param("ts").equals(parent.ts())).map(FakeSlackApi.Call::text).toList();
            assertEquals(2, updates.size(), updates.toString());
            assertEquals("⏳ *web-01* · checking nginx502 for <@" + SlackHarness.USER + ">…", updates.get(0));
            assertTrue(updates.get(1).startsWith("🔴 *web-01*"), updates.get(1));
            assertEquals(verdict.text(), h.api().messageText(parent.ts()));
            assertTrue(h.api().calls("chat.postMessage").stream().anyMatch(c -> c.threadTs().equals(
                    java.util.Optional.of(parent.ts())) && c.blockText().startsWith("🔴 Upstream is not running")));
            assertEquals(2, h.transport().sessionsOpened());
        }
    }

    @Test
    void close_conversationUnderWay_itsReportIsPostedBeforeTheBotStops() throws Exception {
        try (SlackHarness h = SlackHarness.builder().gateClosed().startHttp()) {
            int from = h.api().callCount();
            h.send("/nginx502 web-03");
            assertTrue(h.gate().awaitArrival(20));
            Thread stopping = new Thread(h.bot()::close, "stopping");
            stopping.start();
            stopping.join(300);
            assertTrue(stopping.isAlive(), "stopping waits for the conversation under way");

            h.openGate();
            stopping.join(SlackHarness.WAIT.toMillis());
            assertFalse(stopping.isAlive());
            assertTrue(h.api().calls().subList(from, h.api().callCount()).stream().anyMatch(c -> c.method()
                    .equals("chat.update") && c.text().startsWith("🔴 *web-03*")), FakeSlackApi.describe(h.api().calls()));
        }
    }

    @Test
    void slash_transportHasABug_threadAndParentSaySo() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            h.gate().breakWith(new IllegalStateException("boom"));
            int from = h.api().callCount();
            h.send("/nginx502 web-03");
            FakeSlackApi.Call update = h.api().await(from, c -> c.method().equals("chat.update"), SlackHarness.WAIT);
            assertTrue(update.text().startsWith("⚠️ *web-03* · nginx502 failed: the bot failed while running the check "
                    + "(IllegalStateException)"), update.text());
            assertTrue(h.api().calls("chat.postMessage").stream().anyMatch(c -> c.threadTs().isPresent()
                    && c.text().startsWith("⚠️")));
        }
    }

    @Test
    void slash_hugeReport_splitOverThreadMessagesEachWithinLimits() {
        Report worst = ReportMessagesTest.worstCase();
        ScriptedCheck huge = new ScriptedCheck("nginx502", e -> Diagnosis.causes(worst.summary(), worst.causes(),
                worst.notes()));
        try (SlackHarness h = SlackHarness.builder().checks(huge).startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");

            assertTrue(thread.replies().size() > 1, "replies: " + thread.replies().size());
            assertTrue(thread.replies().size() <= CheckConversation.THREAD_MESSAGES);
            thread.replies().forEach(r -> assertEquals(thread.parent().ts(), r.threadTs().orElseThrow()));
            h.assertEveryMessageWithinLimits();
            assertFalse(h.api().calls().stream().anyMatch(c -> !c.answeredOk()), "Slack rejected nothing");
        }
    }
}
