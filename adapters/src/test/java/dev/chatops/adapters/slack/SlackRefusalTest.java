package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.chatops.core.dispatch.AccessPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Commands the bot refuses: each gets an ephemeral answer saying what is wrong and what is
 * allowed, and nothing runs: no message in the channel, no session to any host.
 */
class SlackRefusalTest {

    private static void assertNothingRan(SlackHarness h) {
        assertFalse(h.api().calls().stream().anyMatch(c -> c.method().startsWith("chat.")
                        || c.method().equals("response_url")), FakeSlackApi.describe(h.api().calls()));
        assertEquals(0, h.transport().sessionsOpened());
    }

    private static SlackHarness.Ack refused(SlackHarness h, String line, String channel, String user) {
        SlackHarness.Ack ack = h.send(line, channel, user);
        assertEquals(200, ack.status(), ack.body());
        assertEquals("ephemeral", ack.responseType());
        assertTrue(ack.text().startsWith("⚠️ "), ack.text());
        return ack;
    }

    @Test
    void slash_unknownHost_refusedWithTheHostsThatMayBeChecked() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            SlackHarness.Ack ack = refused(h, "/nginx502 web-3", SlackHarness.CHANNEL, SlackHarness.USER);
            assertEquals("⚠️ unknown host `web-3`; hosts that may be checked: web-03, web-01, localhost", ack.text());
            assertNothingRan(h);
        }
    }

    @Test
    void slash_channelNotAllowed_refusedNamingTheAllowedChannels() {
        try (SlackHarness h = SlackHarness.builder()
                .access(new AccessPolicy(Set.of("C0123ABCD"), Set.of())).startHttp()) {
            SlackHarness.Ack ack = refused(h, "/nginx502 web-03", "C0RANDOM", SlackHarness.USER);
            assertEquals("⚠️ checks may not run in this channel; ask in one of the allowed channels (<#C0123ABCD>) or "
                    + "ask an admin to add this one to access.channels", ack.text());
            assertNothingRan(h);
        }
    }

    @Test
    void slash_userNotAllowed_refused() {
        try (SlackHarness h = SlackHarness.builder()
                .access(new AccessPolicy(Set.of(), Set.of("U0ONCALL"))).startHttp()) {
            SlackHarness.Ack ack = refused(h, "/nginx502 web-03", SlackHarness.CHANNEL, "U0MALLORY");
            assertTrue(ack.text().contains("you are not on the list of users who may run checks (access.users)"),
                    ack.text());
            assertNothingRan(h);
        }
    }

    @Test
    void slash_malformedText_refusedWithUsage() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            // Slack shows &lt;host&gt; as <host>: the escaping keeps it from being read as a link
            assertEquals("⚠️ unknown option `now`; usage: /nginx502 &lt;host&gt; [fresh], or /nginx502 help",
                    refused(h, "/nginx502 web-03 now", SlackHarness.CHANNEL, SlackHarness.USER).text());
            assertTrue(refused(h, "/nginx502 web-03 fresh please", SlackHarness.CHANNEL, SlackHarness.USER).text()
                    .startsWith("⚠️ too many words in `web-03 fresh please`; usage: /nginx502 &lt;host&gt; [fresh]"));
            assertTrue(refused(h, "/nginx502 web-03;reboot", SlackHarness.CHANNEL, SlackHarness.USER).text()
                    .startsWith("⚠️ `web-03;reboot` is not a host name"));
            assertNothingRan(h);
        }
    }

    @Test
    void slash_broadcastMentionInText_isEscapedNotPinged() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            String text = refused(h, "/nginx502 <!channel>", SlackHarness.CHANNEL, SlackHarness.USER).text();
            assertTrue(text.contains("&lt;!channel&gt;"), text);
            assertFalse(text.contains("<!channel>"), text);
            assertNothingRan(h);
        }
    }

    @Test
    void slash_commandForCheckNotLoaded_refusedListingLoadedChecks() {
        try (SlackHarness h = SlackHarness.builder()
                .commands(Map.of("/nginx502", "nginx502", "/diskfull", "disk")).startHttp()) {
            SlackHarness.Ack ack = refused(h, "/diskfull web-03", SlackHarness.CHANNEL, SlackHarness.USER);
            assertEquals("⚠️ unknown check `disk`; loaded checks: nginx502", ack.text());
            assertNothingRan(h);
        }
    }

    @Test
    void slash_helpInChannelNotAllowed_saysSoInsteadOfListingHosts() {
        try (SlackHarness h = SlackHarness.builder()
                .access(new AccessPolicy(Set.of("C0123ABCD"), Set.of())).startHttp()) {
            SlackHarness.Ack ack = h.send("/nginx502 help", "C0RANDOM", SlackHarness.USER);
            assertTrue(ack.text().contains("Usage: `/nginx502 &lt;host&gt;`"), ack.text());
            assertTrue(ack.text().contains("checks may not run in this channel"), ack.text());
            assertFalse(ack.text().contains("web-03"), ack.text());
            assertNothingRan(h);
        }
    }

    @Test
    void slash_queueFull_answersBusyAndStartsNothingMore() throws Exception {
        try (SlackHarness h = SlackHarness.builder().limits(1, 1).gateClosed().startHttp()) {
            assertEquals("Checking web-03…", h.send("/nginx502 web-03").text());
            assertTrue(h.gate().awaitArrival(20));
            assertEquals("Checking web-01…", h.send("/nginx502 web-01").text());
            SlackHarness.Ack busy = h.send("/nginx502 localhost");
            assertEquals("ephemeral", busy.responseType());
            assertEquals("⏳ the bot is busy: 1 check queued; try again in a minute", busy.text());
            assertTrue(busy.took().compareTo(java.time.Duration.ofSeconds(3)) < 0, "busy took " + busy.took());
            h.openGate();
            h.api().await(c -> c.method().equals("chat.update") && c.text().startsWith("🔴 *web-01*"),
                    SlackHarness.WAIT);
            h.api().await(c -> c.method().equals("chat.update") && c.text().startsWith("🔴 *web-03*"),
                    SlackHarness.WAIT);
            assertEquals(2, h.transport().sessionsOpened());
            assertFalse(h.api().calls().stream().anyMatch(c -> c.text().contains("localhost")));
        }
    }

    @Test
    void refusals_eachLeavesADeniedLineInTheAuditLog() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            h.send("/nginx502 web-3");
            h.send("/nginx502 web-03 now");
            List<JsonObject> lines = h.auditLines();
            assertEquals(2, lines.size(), h.auditText());
            assertEquals(List.of("web-3", "web-03"), lines.stream().map(l -> l.get("host").getAsString()).toList());
            assertEquals(List.of("unknown host `web-3`; hosts that may be checked: web-03, web-01, localhost",
                    "unknown option `now`; usage: /nginx502 <host> [fresh], or /nginx502 help"),
                    lines.stream().map(l -> l.get("reason").getAsString()).toList());
            assertTrue(lines.stream().allMatch(l -> l.get("decision").getAsString().equals("denied")));
            assertNothingRan(h);
        }
    }
}
