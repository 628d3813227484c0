package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Socket Mode, the default: the bot opens a WebSocket to the URL apps.connections.open gives it,
 * Slack sends the slash command as an envelope, the bot acks on the socket and posts the thread
 * through the Web API.
 */
class SlackSocketModeTest {

    static String slashEnvelope(String envelopeId, String command, String text, String channel, String responseUrl) {
        JsonObject payload = new JsonObject();
        payload.addProperty("token", "verification-token-unused");
        payload.addProperty("team_id", FakeSlackApi.TEAM);
        payload.addProperty("team_domain", "fake");
        payload.addProperty("channel_id", channel);
        payload.addProperty("channel_name", "incident");
        payload.addProperty("user_id", SlackHarness.USER);
        payload.addProperty("user_name", "dana");
        payload.addProperty("command", command);
        payload.addProperty("text", text);
        payload.addProperty("api_app_id", "A0APP");
        payload.addProperty("is_enterprise_install", "false");
        payload.addProperty("response_url", responseUrl);
        payload.addProperty("trigger_id", "13345224609.738474920.8088930838d88f008e0");
        JsonObject envelope = new JsonObject();
        envelope.addProperty("envelope_id", envelopeId);
        envelope.addProperty("type", "slash_commands");
        envelope.addProperty("accepts_response_payload", true);
        envelope.add("payload", payload);
        return envelope.toString();
    }

    static final String HELLO = "{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"fake\","
            + "\"approximate_connection_time\":18060},\"connection_info\":{\"app_id\":\"A0APP\"}}";

    @Test
    void socketMode_slashCommandEnvelope_ackedOnTheSocketThenThreadPosted() throws Exception {
        try (FakeSocketModeServer socket = new FakeSocketModeServer();
             SlackHarness h = SlackHarness.builder().gateClosed().startSocket(socket.url())) {
            socket.awaitConnection(SlackHarness.WAIT);
            socket.send(HELLO);
            assertTrue(h.bot().httpPort().isEmpty(), "Socket Mode opens no port");
            assertTrue(h.api().calls("apps.connections.open").stream()
                    .allMatch(c -> c.authorization().equals("Bearer " + SlackHarness.APP_TOKEN)));

            int from = h.api().callCount();
            socket.send(slashEnvelope("env-1", "/nginx502", "web-03", SlackHarness.CHANNEL,
                    h.api().responseUrl("socket-1")));

            JsonObject ack = JsonParser.parseString(socket.awaitMessage("env-1", SlackHarness.WAIT)).getAsJsonObject();
            assertEquals("env-1", ack.get("envelope_id").getAsString());
            assertEquals("Checking web-03…", ack.getAsJsonObject("payload").get("text").getAsString());
            assertEquals("ephemeral", ack.getAsJsonObject("payload").get("response_type").getAsString());
            assertTrue(h.gate().awaitArrival(20));
            assertTrue(h.gate().isClosed(), "acked while the check still runs");

            h.openGate();
            SlackHarness.SlackThread thread = h.conversation(from, null, SlackHarness.CHANNEL);
            assertEquals("⏳ *web-03* · checking nginx502 for <@" + SlackHarness.USER + ">…", thread.parent().text());
            assertEquals(1, thread.replies().size());
            assertTrue(thread.replyText().startsWith("🔴 Upstream is not running"), thread.replyText());
            assertTrue(thread.verdict().text().startsWith("🔴 *web-03*"));
            h.assertEveryMessageWithinLimits();
        }
    }

    @Test
    void socketMode_refusal_ackedOnTheSocketAndNothingRuns() throws Exception {
        try (FakeSocketModeServer socket = new FakeSocketModeServer();
             SlackHarness h = SlackHarness.builder().startSocket(socket.url())) {
            socket.awaitConnection(SlackHarness.WAIT);
            socket.send(slashEnvelope("env-2", "/nginx502", "web-99", SlackHarness.CHANNEL,
                    h.api().responseUrl("socket-2")));
            JsonObject ack = JsonParser.parseString(socket.awaitMessage("env-2", SlackHarness.WAIT)).getAsJsonObject();
            assertTrue(ack.getAsJsonObject("payload").get("text").getAsString()
                    .startsWith("⚠️ unknown host `web-99`"), ack.toString());
            assertEquals(List.of(), h.api().calls("chat.postMessage"));
            assertEquals(0, h.transport().sessionsOpened());
        }
    }

    @Test
    void socketMode_buttonEnvelope_ackedOnTheSocketThenTheReRunPostedInTheThread() throws Exception {
        try (FakeSocketModeServer socket = new FakeSocketModeServer();
             SlackHarness h = SlackHarness.builder().startSocket(socket.url())) {
            socket.awaitConnection(SlackHarness.WAIT);
            socket.send(HELLO);
            int from = h.api().callCount();
            socket.send(slashEnvelope("env-3", "/nginx502", "web-03", SlackHarness.CHANNEL,
                    h.api().responseUrl("socket-3")));
            socket.awaitMessage("env-3", SlackHarness.WAIT);
            SlackHarness.SlackThread thread = h.conversation(from, null, SlackHarness.CHANNEL);
            int sessions = h.transport().sessionsOpened();
            int clicked = h.api().callCount();

            JsonObject envelope = new JsonObject();
            envelope.addProperty("envelope_id", "env-4");
            envelope.addProperty("type", "interactive");
            envelope.addProperty("accepts_response_payload", false);
            envelope.add("payload", JsonParser.parseString(h.clickPayload(SlackHarness.lastReply(thread), "rerun",
                    SlackHarness.USER, SlackHarness.CHANNEL)));
            socket.send(envelope.toString());

            JsonObject ack = JsonParser.parseString(socket.awaitMessage("env-4", SlackHarness.WAIT)).getAsJsonObject();
            assertEquals("env-4", ack.get("envelope_id").getAsString());
            FakeSlackApi.Call report = h.api().await(clicked, c -> c.method().equals("chat.postMessage")
                    && c.answeredOk() && c.threadTs().equals(java.util.Optional.of(thread.parent().ts())),
                    SlackHarness.WAIT);
            assertTrue(report.blockText().startsWith("🔴 Upstream is not running"), report.blockText());
            h.api().await(clicked, c -> c.method().equals("chat.update") && c.param("ts").equals(thread.parent().ts())
                    && c.text().startsWith("🔴"), SlackHarness.WAIT);
            assertEquals(sessions + 1, h.transport().sessionsOpened());
            h.assertEveryMessageWithinLimits();
        }
    }
}
