package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.spi.Check;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Pasted log lines in Slack, end to end with the real nginx502 check: {@code /nginx502 explain} answered
 * ephemerally, and the message shortcut answered in the message's thread, over signed HTTP and over the
 * Socket Mode WebSocket. No host is contacted, and callers outside {@code access:} get only a sentence.
 */
class SlackExplainTest {

    static final String REFUSED = "2026/11/21 11:47:19 [error] 2262#2262: *11 connect() failed (111: Connection refused) "
            + "while connecting to upstream, client: 127.0.0.1, server: shop.example.com, request: \"GET /cart HTTP/1.1\", "
            + "upstream: \"http://127.0.0.1:28001/cart?key=sk_live_4eC39HqLyjWDarjtT1zdp7dc\", host: \"shop.example.com\"";

    /** The line as Slack sends it in a message's text: the URL made a link, {@code & < >} escaped. */
    static final String REFUSED_AS_SLACK_SENDS_IT = REFUSED.replace("http://127.0.0.1:28001/cart?key=sk_live_"
            + "4eC39HqLyjWDarjtT1zdp7dc", "<http://127.0.0.1:28001/cart?key=sk_live_4eC39HqLyjWDarjtT1zdp7dc>");

    static Check nginx502() {
        return ServiceLoader.load(Check.class).stream().map(ServiceLoader.Provider::get)
                .filter(c -> c.name().equals("nginx502")).findFirst().orElseThrow();
    }

    static SlackHarness.Builder harness() {
        return SlackHarness.builder().checks(nginx502());
    }

    /** A message_action payload as Slack builds it for a message shortcut on a message. */
    static JsonObject shortcutPayload(String callbackId, String channel, String user, String messageTs, String text,
                                      String responseUrl) {
        JsonObject p = new JsonObject();
        p.addProperty("type", "message_action");
        p.addProperty("token", "verification-token-unused");
        p.addProperty("action_ts", "1700000001.000200");
        JsonObject team = new JsonObject();
        team.addProperty("id", FakeSlackApi.TEAM);
        team.addProperty("domain", "fake");
        p.add("team", team);
        JsonObject u = new JsonObject();
        u.addProperty("id", user);
        u.addProperty("username", "dana");
        u.addProperty("team_id", FakeSlackApi.TEAM);
        p.add("user", u);
        JsonObject c = new JsonObject();
        c.addProperty("id", channel);
        c.addProperty("name", "incident");
        p.add("channel", c);
        p.addProperty("is_enterprise_install", false);
        p.addProperty("callback_id", callbackId);
        p.addProperty("trigger_id", "13345224609.738474920.8088930838d88f008e0");
        p.addProperty("response_url", responseUrl);
        p.addProperty("message_ts", messageTs);
        JsonObject m = new JsonObject();
        m.addProperty("type", "message");
        m.addProperty("user", "U0OTHER");
        m.addProperty("ts", messageTs);
        m.addProperty("text", text);
        p.add("message", m);
        return p;
    }

    static String form(JsonObject payload) {
        return "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
    }

    private static JsonArray blocks(SlackHarness.Ack ack) {
        return JsonParser.parseString(ack.body()).getAsJsonObject().getAsJsonArray("blocks");
    }

    private static void assertNothingPosted(SlackHarness h) {
        assertFalse(h.api().calls().stream().anyMatch(c -> c.method().startsWith("chat.")),
                FakeSlackApi.describe(h.api().calls()));
        assertEquals(0, h.transport().sessionsOpened());
    }

    @Test
    void explainCommand_pastedCodeBlock_answeredEphemerallyWithCauseFixAndConfirm() {
        try (SlackHarness h = harness().startHttp()) {
            SlackHarness.Ack ack = h.send("/nginx502 explain ```" + REFUSED + "\nsomething else```");

            assertEquals(200, ack.status(), ack.body());
            assertEquals("ephemeral", ack.responseType());
            JsonArray blocks = blocks(ack);
            String shown = blocks.toString();
            assertTrue(shown.contains("Upstream is not running"), shown);
            assertTrue(shown.contains("sudo ss -ltnp 'sport = :28001'"), shown);
            assertTrue(shown.contains("1 line was not recognised"), shown);
            assertFalse(shown.contains("4eC39HqLyjWDarjtT1zdp7dc"), "the pasted secret is redacted");
            assertEquals(List.of(), BlockKitRules.violations(ack.text(), Optional.of(blocks)));
            assertNothingPosted(h);
            JsonObject audit = h.awaitAuditLines(1).get(0);
            assertEquals("allowed", audit.get("decision").getAsString());
            assertEquals("cause-found", audit.get("verdict").getAsString());
            assertEquals("", audit.get("host").getAsString());
            assertEquals(dev.chatops.core.dispatch.Dispatcher.EXPLAINED, audit.get("reason").getAsString());
        }
    }

    @Test
    void explainCommand_channelNotAllowed_refusedWithASentenceAndAudited() {
        try (SlackHarness h = harness().access(new AccessPolicy(Set.of("C0123ABCD"), Set.of())).startHttp()) {
            SlackHarness.Ack ack = h.send("/nginx502 explain " + REFUSED, "C0RANDOM", SlackHarness.USER);

            assertEquals("ephemeral", ack.responseType());
            assertTrue(ack.text().startsWith("⚠️ checks may not run in this channel"), ack.text());
            assertFalse(ack.body().contains("Upstream is not running"), ack.body());
            assertNothingPosted(h);
            JsonObject audit = h.awaitAuditLines(1).get(0);
            assertEquals("denied", audit.get("decision").getAsString());
            assertEquals("U0DANA", audit.get("user").getAsString());
        }
    }

    @Test
    void explainCommand_nothingPasted_saysWhatToPaste() {
        try (SlackHarness h = harness().startHttp()) {
            SlackHarness.Ack ack = h.send("/nginx502 explain");
            assertTrue(ack.text().startsWith("Paste the log lines after `/nginx502 explain`"), ack.text());
            assertNothingPosted(h);
        }
    }

    @Test
    void shortcut_http_answersInTheMessagesThread() {
        try (SlackHarness h = harness().startHttp()) {
            String ts = h.api().userMessage(SlackHarness.CHANNEL, REFUSED_AS_SLACK_SENDS_IT);
            String body = form(shortcutPayload("nginx502_explain", SlackHarness.CHANNEL, SlackHarness.USER, ts,
                    REFUSED_AS_SLACK_SENDS_IT, h.api().responseUrl("shortcut-1")));

            SlackHarness.Ack ack = h.post(body, SlackHarness.signed(body));

            assertEquals(200, ack.status(), ack.body());
            FakeSlackApi.Call reply = h.api().await(c -> c.method().equals("chat.postMessage") && c.answeredOk(),
                    SlackHarness.WAIT);
            assertEquals(Optional.of(ts), reply.threadTs());
            assertEquals(SlackHarness.CHANNEL, reply.channel());
            String shown = reply.blockText();
            assertTrue(shown.contains("Upstream is not running"), shown);
            // the link Slack made of the upstream URL was read as the line had it: the port reaches the command
            assertTrue(shown.contains("sudo ss -ltnp 'sport = :28001'"), shown);
            assertFalse(shown.contains("4eC39HqLyjWDarjtT1zdp7dc"), shown);
            h.assertEveryMessageWithinLimits();
            assertEquals(0, h.transport().sessionsOpened());
            assertTrue(h.api().calls("response_url").isEmpty());
            assertEquals("allowed", h.awaitAuditLines(1).get(0).get("decision").getAsString());
        }
    }

    @Test
    void shortcut_privateChannelWithoutTheBot_answerComesToTheCallerAlone() {
        try (SlackHarness h = harness().startHttp()) {
            h.api().channel("C0PRIVATE", FakeSlackApi.ChannelKind.PRIVATE_NOT_MEMBER);
            String ts = h.api().userMessage("C0PRIVATE", REFUSED);
            String body = form(shortcutPayload("nginx502_explain", "C0PRIVATE", SlackHarness.USER, ts, REFUSED,
                    h.api().responseUrl("shortcut-5")));

            assertEquals(200, h.post(body, SlackHarness.signed(body)).status());

            FakeSlackApi.Call told = h.api().await(c -> c.method().equals("response_url"), SlackHarness.WAIT);
            assertEquals("ephemeral", told.param("response_type"));
            assertTrue(told.blockText().contains("Upstream is not running"), told.blockText());
            assertTrue(h.api().calls("chat.postMessage").stream().noneMatch(FakeSlackApi.Call::answeredOk));
            h.assertEveryMessageWithinLimits();
        }
    }

    @Test
    void shortcut_messageWithoutText_saysToPasteTheLinesAsText() {
        try (SlackHarness h = harness().startHttp()) {
            String ts = h.api().userMessage(SlackHarness.CHANNEL, "");
            String body = form(shortcutPayload("nginx502_explain", SlackHarness.CHANNEL, SlackHarness.USER, ts, "",
                    h.api().responseUrl("shortcut-6")));

            assertEquals(200, h.post(body, SlackHarness.signed(body)).status());

            FakeSlackApi.Call told = h.api().await(c -> c.method().equals("response_url"), SlackHarness.WAIT);
            assertTrue(told.text().startsWith("That message holds no text to read"), told.text());
            assertNothingPosted(h);
        }
    }

    @Test
    void shortcut_userNotAllowed_onlyAnEphemeralSentence() {
        try (SlackHarness h = harness().access(new AccessPolicy(Set.of(), Set.of("U0ONCALL"))).startHttp()) {
            String ts = h.api().userMessage(SlackHarness.CHANNEL, REFUSED);
            String body = form(shortcutPayload("nginx502_explain", SlackHarness.CHANNEL, "U0MALLORY", ts, REFUSED,
                    h.api().responseUrl("shortcut-2")));

            assertEquals(200, h.post(body, SlackHarness.signed(body)).status());

            FakeSlackApi.Call told = h.api().await(c -> c.method().equals("response_url"), SlackHarness.WAIT);
            assertEquals("ephemeral", told.param("response_type"));
            assertTrue(told.text().contains("you are not on the list of users who may run checks"), told.text());
            assertNothingPosted(h);
            JsonObject audit = h.awaitAuditLines(1).get(0);
            assertEquals("denied", audit.get("decision").getAsString());
            assertEquals("U0MALLORY", audit.get("user").getAsString());
        }
    }

    @Test
    void shortcut_unsignedOrUnknownCallback_refusedAtTheDoor() {
        try (SlackHarness h = harness().startHttp()) {
            String ts = h.api().userMessage(SlackHarness.CHANNEL, REFUSED);
            String unknown = form(shortcutPayload("other_thing", SlackHarness.CHANNEL, SlackHarness.USER, ts, REFUSED,
                    h.api().responseUrl("shortcut-3")));
            assertEquals(404, h.post(unknown, SlackHarness.signed(unknown)).status());
            String ours = form(shortcutPayload("nginx502_explain", SlackHarness.CHANNEL, SlackHarness.USER, ts, REFUSED,
                    h.api().responseUrl("shortcut-4")));
            assertEquals(401, h.post(ours, java.util.Map.of("X-Slack-Request-Timestamp", String.valueOf(SlackHarness.now()),
                    "X-Slack-Signature", "v0=" + "0".repeat(64))).status());
            assertNothingPosted(h);
            assertTrue(h.api().calls("response_url").isEmpty());
        }
    }

    @Test
    void shortcut_socketMode_answersInTheThread() throws Exception {
        try (FakeSocketModeServer socket = new FakeSocketModeServer();
             SlackHarness h = harness().startSocket(socket.url())) {
            socket.awaitConnection(SlackHarness.WAIT);
            socket.send(SlackSocketModeTest.HELLO);
            String ts = h.api().userMessage(SlackHarness.CHANNEL, REFUSED_AS_SLACK_SENDS_IT);
            JsonObject envelope = new JsonObject();
            envelope.addProperty("envelope_id", "env-x1");
            envelope.addProperty("type", "interactive");
            envelope.addProperty("accepts_response_payload", false);
            envelope.add("payload", shortcutPayload("nginx502_explain", SlackHarness.CHANNEL, SlackHarness.USER, ts,
                    REFUSED_AS_SLACK_SENDS_IT, h.api().responseUrl("socket-x1")));

            socket.send(envelope.toString());

            JsonObject ack = JsonParser.parseString(socket.awaitMessage("env-x1", SlackHarness.WAIT)).getAsJsonObject();
            assertEquals("env-x1", ack.get("envelope_id").getAsString());
            FakeSlackApi.Call reply = h.api().await(c -> c.method().equals("chat.postMessage") && c.answeredOk(),
                    SlackHarness.WAIT);
            assertEquals(Optional.of(ts), reply.threadTs());
            assertTrue(reply.blockText().contains("Upstream is not running"), reply.blockText());
            h.assertEveryMessageWithinLimits();
            assertEquals(0, h.transport().sessionsOpened());
        }
    }

    @Test
    void explainCommand_socketMode_ackCarriesTheAnswer() throws Exception {
        try (FakeSocketModeServer socket = new FakeSocketModeServer();
             SlackHarness h = harness().startSocket(socket.url())) {
            socket.awaitConnection(SlackHarness.WAIT);
            socket.send(SlackSocketModeTest.HELLO);
            socket.send(SlackSocketModeTest.slashEnvelope("env-x2", "/nginx502", "explain\n" + REFUSED,
                    SlackHarness.CHANNEL, h.api().responseUrl("socket-x2")));

            JsonObject ack = JsonParser.parseString(socket.awaitMessage("env-x2", SlackHarness.WAIT)).getAsJsonObject();
            JsonObject payload = ack.getAsJsonObject("payload");
            assertEquals("ephemeral", payload.get("response_type").getAsString());
            assertTrue(payload.getAsJsonArray("blocks").toString().contains("Upstream is not running"), payload.toString());
            assertEquals(List.of(), BlockKitRules.violations(payload.get("text").getAsString(),
                    Optional.of(payload.getAsJsonArray("blocks"))));
            assertNothingPosted(h);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void manifest_declaresTheShortcutTheBotAnswersWithInteractivityOn() throws Exception {
        Map<String, Object> manifest = new Yaml().load(Files.readString(DocsConfig.manifest()));
        List<Map<String, Object>> shortcuts = (List<Map<String, Object>>) ((Map<String, Object>) manifest.get("features"))
                .get("shortcuts");
        Map<String, Object> shortcut = shortcuts.stream().filter(s -> "message".equals(s.get("type"))).findFirst()
                .orElseThrow();
        assertEquals(ExplainShortcut.callbackId("nginx502"), shortcut.get("callback_id"));
        assertEquals("Diagnose with nginx502", shortcut.get("name"));
        Map<String, Object> interactivity = (Map<String, Object>) ((Map<String, Object>) manifest.get("settings"))
                .get("interactivity");
        assertEquals(true, interactivity.get("is_enabled"));
    }

    @Test
    void plain_slackLinksAndEntities_giveBackTheLineAsTyped() {
        assertEquals("upstream: \"http://127.0.0.1:3000/a?b=1&c=2\", x < y > z",
                ExplainShortcut.plain("upstream: \"<http://127.0.0.1:3000/a?b=1&amp;c=2>\", x &lt; y &gt; z"));
        assertEquals("see example.com now", ExplainShortcut.plain("see <http://example.com|example.com> now"));
    }
}
