package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.spi.Verdict;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The App Home tab: Slack sends {@code app_home_opened} (a signed Events API callback over HTTP, or
 * an envelope in Socket Mode) and the bot publishes the user's view with {@code views.publish}.
 */
class SlackAppHomeTest {

    private static final Schedule MORNING = new Schedule("morning", "0 8 * * MON-FRI", ZoneId.of("Europe/Berlin"),
            "C0MORNING", "nginx502", List.of(), List.of("web"));

    @Test
    void homeOpened_publishesHostsLastReportsInTheUsersChannelsAndNextSchedules() {
        MemoryHistory history = new MemoryHistory();
        history.saveReport(new StoredReport("aaaaaaaa00000001", "nginx502", "web-09", h0().minus(Duration.ofHours(3)),
                Verdict.HEALTHY, "", "U0OTHER", "C0SECRET", "{}"));
        try (SlackHarness h = SlackHarness.builder().history(history).schedules(List.of(MORNING)).startHttp()) {
            h.slash("/nginx502 web-03");
            h.api().memberOf(SlackHarness.USER, List.of(SlackHarness.CHANNEL, "C0PUBLIC"));
            int from = h.api().callCount();

            SlackHarness.Ack ack = h.openHome(SlackHarness.USER);

            assertEquals(200, ack.status(), ack.body());
            FakeSlackApi.Call published = h.api().await(from, c -> c.method().equals("views.publish"),
                    SlackHarness.WAIT);
            assertTrue(published.answeredOk(), published.response().toString());
            assertEquals(SlackHarness.USER, published.param("user_id"));
            JsonObject view = JsonParser.parseString(published.param("view")).getAsJsonObject();
            assertEquals("home", view.get("type").getAsString());
            String text = published.blockText();
            assertTrue(text.contains("`web-03` (web), `web-01` (web), `localhost`"), text);
            assertTrue(text.contains("🔴 *web-03* · upstream-down"), text);
            assertTrue(text.contains("<#" + SlackHarness.CHANNEL + ">"), text);
            assertFalse(text.contains("web-09"), "a report from a channel the user is not in: " + text);
            // 2026-11-21 is a Saturday: the next weekday 08:00 in Berlin is Monday 07:00 UTC
            assertTrue(text.contains("`morning` · nginx502 on 2 hosts · <#C0MORNING> · Mon 23 Nov 08:00 Europe/Berlin"),
                    text);
            assertEquals(SlackHarness.USER, h.api().calls("users.conversations").get(0).param("user"));
            h.assertEveryMessageWithinLimits();
        }
    }

    private static java.time.Instant h0() {
        return java.time.Instant.parse("2026-11-21T10:09:12Z");
    }

    @Test
    void homeOpened_byAUserOutsideAccess_saysTheyMayNotCheck() {
        AccessPolicy onlyDana = new AccessPolicy(Set.of(), Set.of(SlackHarness.USER));
        try (SlackHarness h = SlackHarness.builder().access(onlyDana).startHttp()) {
            h.openHome("U0MALLORY");
            FakeSlackApi.Call published = h.api().await(c -> c.method().equals("views.publish"), SlackHarness.WAIT);
            String text = published.blockText();
            assertTrue(text.contains("You are not on the list of users who may run checks"), text);
            assertFalse(text.contains("web-03"), text);
            assertTrue(text.contains("keeps no report history"), text);
            assertTrue(text.contains("None: the configuration has no schedules"), text);
        }
    }

    @Test
    void socketMode_homeOpenedEnvelope_ackedAndPublished() throws Exception {
        try (FakeSocketModeServer socket = new FakeSocketModeServer();
             SlackHarness h = SlackHarness.builder().history(new MemoryHistory()).startSocket(socket.url())) {
            socket.awaitConnection(SlackHarness.WAIT);
            socket.send(SlackSocketModeTest.HELLO);
            JsonObject envelope = new JsonObject();
            envelope.addProperty("envelope_id", "env-home");
            envelope.addProperty("type", "events_api");
            envelope.addProperty("accepts_response_payload", false);
            envelope.add("payload", JsonParser.parseString(SlackHarness.homeOpenedEvent(SlackHarness.USER)));
            socket.send(envelope.toString());

            JsonObject ack = JsonParser.parseString(socket.awaitMessage("env-home", SlackHarness.WAIT))
                    .getAsJsonObject();
            assertEquals("env-home", ack.get("envelope_id").getAsString());
            FakeSlackApi.Call published = h.api().await(c -> c.method().equals("views.publish"), SlackHarness.WAIT);
            assertTrue(published.blockText().contains("No reports yet in the channels you are in"),
                    published.blockText());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void manifest_turnsOnTheButtonsTheHomeTabAndTheirScopes() throws Exception {
        java.util.Map<String, Object> manifest = new org.yaml.snakeyaml.Yaml().load(
                java.nio.file.Files.readString(DocsConfig.manifest()));
        java.util.Map<String, Object> settings = (java.util.Map<String, Object>) manifest.get("settings");
        assertEquals(true, ((java.util.Map<String, Object>) settings.get("interactivity")).get("is_enabled"));
        assertEquals(List.of("app_home_opened"), ((java.util.Map<String, Object>) settings.get("event_subscriptions"))
                .get("bot_events"));
        java.util.Map<String, Object> features = (java.util.Map<String, Object>) manifest.get("features");
        assertEquals(true, ((java.util.Map<String, Object>) features.get("app_home")).get("home_tab_enabled"));
        List<String> scopes = (List<String>) ((java.util.Map<String, java.util.Map<String, Object>>)
                manifest.get("oauth_config")).get("scopes").get("bot");
        assertTrue(scopes.containsAll(List.of("files:write", "channels:read", "groups:read")), scopes.toString());
    }

    @Test
    void httpMode_signedUrlVerification_answeredWithTheChallenge() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            String body = "{\"token\":\"verification-token-unused\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}";
            SlackHarness.Ack ack = SlackHarness.post(h.bot().httpPort().orElseThrow(), body, SlackHarness.signed(body),
                    "application/json");
            assertEquals(200, ack.status(), ack.body());
            assertTrue(ack.body().contains("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"), ack.body());
            SlackHarness.Ack unsigned = SlackHarness.post(h.bot().httpPort().orElseThrow(), body, java.util.Map.of(),
                    "application/json");
            assertEquals(401, unsigned.status());
        }
    }
}
