package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.chatops.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The result cache as the channel sees it: a report asked for again within {@code cache.ttl} is
 * served without contacting the host and says how old it is and how to get a fresh one; {@code
 * fresh} runs the check again; people asking at the same moment share one run.
 */
class SlackCacheTest {

    private static final String RERUN = "`/nginx502 web-03 fresh` to re-run";

    @Test
    void slash_twiceWithinTtl_oneSessionAndSecondSaysHowOld_freshRunsAgain() {
        SlackHarness.Builder builder = SlackHarness.builder().cacheTtl(Duration.ofSeconds(60));
        MutableClock clock = builder.clock();
        try (SlackHarness h = builder.startHttp()) {
            SlackHarness.SlackThread first = h.slash("/nginx502 web-03");
            assertEquals(1, h.transport().sessionsOpened());
            assertTrue(first.replyText().contains(" · window 15 min · fresh · " + RERUN), first.replyText());
            assertTrue(first.verdict().text().endsWith("asked by <@" + SlackHarness.USER + "> · 0.0 s · fresh"),
                    first.verdict().text());

            clock.advance(Duration.ofSeconds(42));
            SlackHarness.SlackThread second = h.slash("/nginx502 web-03");
            assertEquals(1, h.transport().sessionsOpened(), "served from the cache: no new session");
            assertTrue(second.replyText().contains(" · window 15 min · from 42 s ago · " + RERUN), second.replyText());
            assertTrue(second.replyText().startsWith("🔴 Upstream is not running"), second.replyText());
            assertTrue(second.verdict().text().endsWith("asked by <@" + SlackHarness.USER + "> · 0.0 s · from 42 s ago · "
                    + RERUN), second.verdict().text());

            SlackHarness.SlackThread third = h.slash("/nginx502 web-03 fresh");
            assertEquals("Checking web-03 (fresh)…", third.ack().text());
            assertEquals(2, h.transport().sessionsOpened(), "fresh bypasses the cache");
            assertTrue(third.replyText().contains(" · fresh · " + RERUN), third.replyText());

            List<JsonObject> audit = h.awaitAuditLines(3);
            assertEquals(List.of("miss", "hit", "fresh"), audit.stream().map(l -> l.get("cache").getAsString()).toList());
            assertEquals(List.of(false, true, false), audit.stream().map(l -> l.get("cacheHit").getAsBoolean()).toList());
            h.assertEveryMessageWithinLimits();
        }
    }

    @Test
    void slash_afterTtl_runsAgain() {
        SlackHarness.Builder builder = SlackHarness.builder().cacheTtl(Duration.ofSeconds(60));
        MutableClock clock = builder.clock();
        try (SlackHarness h = builder.startHttp()) {
            h.slash("/nginx502 web-03");
            clock.advance(Duration.ofSeconds(61));
            SlackHarness.SlackThread again = h.slash("/nginx502 web-03");
            assertEquals(2, h.transport().sessionsOpened());
            assertTrue(again.replyText().contains(" · fresh · " + RERUN), again.replyText());
        }
    }

    @Test
    void slash_sameHostAskedWhileItRuns_allShareOneSession() throws Exception {
        try (SlackHarness h = SlackHarness.builder().gateClosed().startHttp()) {
            int from = h.api().callCount();
            List<String> people = List.of("U0DANA", "U0ALEX", "U0SAM");
            for (String user : people) {
                assertEquals("Checking web-03…", h.send("/nginx502 web-03", SlackHarness.CHANNEL, user).text());
            }
            assertTrue(h.gate().awaitArrival(20));
            h.openGate();
            for (String user : people) {
                h.api().await(from, c -> c.method().equals("chat.update") && c.text().startsWith("🔴 *web-03*")
                        && c.text().contains("asked by <@" + user + ">"), SlackHarness.WAIT);
            }
            assertEquals(1, h.transport().sessionsOpened(), "one run answered all three");
            long threads = h.api().calls("chat.postMessage").stream()
                    .filter(c -> c.threadTs().isPresent() && c.blockText().startsWith("🔴 Upstream is not running"))
                    .count();
            assertEquals(3, threads, "each asker gets the report in their own thread");
            List<JsonObject> audit = h.awaitAuditLines(3);
            assertEquals(List.of("joined", "joined", "miss"), audit.stream().map(l -> l.get("cache").getAsString())
                    .sorted().toList());
        }
    }
}
