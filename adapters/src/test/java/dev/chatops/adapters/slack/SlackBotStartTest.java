package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.config.ConfigException;
import dev.chatops.config.SlackSettings;
import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.error.BotException;
import dev.chatops.core.host.Allowlist;
import dev.chatops.core.host.Host;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.testing.FakeTransport;
import dev.chatops.core.testing.MutableClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Starting fails at once, with a sentence naming the token or setting to fix. */
class SlackBotStartTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:09:12Z"));
    private final Dispatcher dispatcher = new Dispatcher(CheckRegistry.of(ScriptedCheck.upstreamDown()),
            new Allowlist(List.of(Host.local("localhost"))), AccessPolicy.open(),
            new CheckRunner(new FakeTransport(), clock), CheckOptions.defaults());
    private final SlackHarness.RecordingPause pause = new SlackHarness.RecordingPause();
    private final SlackBot.Tuning tuning = new SlackBot.Tuning(1, RetryPolicy.defaults(), pause, Duration.ofSeconds(1),
            Clock.systemUTC());

    private SlackBot start(SlackSettings settings) {
        return SlackBot.start(settings, Map.of("/nginx502", "nginx502"), AccessPolicy.open(), dispatcher, clock,
                tuning);
    }

    @Test
    void start_botTokenRefused_namesTheToken() {
        try (FakeSlackApi api = FakeSlackApi.start("xoxb-the-real-one-0123456789", SlackHarness.APP_TOKEN)) {
            BotException e = assertThrows(BotException.class,
                    () -> start(SlackHarness.settings(SlackSettings.Mode.HTTP, api.apiUrl())));
            assertEquals("Slack refused slack.botToken (invalid_auth); set it to the app's Bot User OAuth Token "
                    + "(xoxb-…) from its OAuth & Permissions page", e.getMessage());
            assertEquals(BotException.Category.EXTERNAL, e.category());
        }
    }

    @Test
    void start_appTokenRefused_namesTheToken() {
        try (FakeSlackApi api = FakeSlackApi.start(SlackHarness.BOT_TOKEN, "xapp-the-real-one-0123456789")) {
            BotException e = assertThrows(BotException.class,
                    () -> start(SlackHarness.settings(SlackSettings.Mode.SOCKET, api.apiUrl())));
            assertTrue(e.getMessage().startsWith("Slack refused slack.appToken for Socket Mode (invalid_auth); set it "
                    + "to an app-level token (xapp-…) with the connections:write scope"), e.getMessage());
        }
    }

    @Test
    void start_signingSecretUnset_httpModeNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> start(SlackHarness.settings(
                SlackSettings.Mode.HTTP, "http://127.0.0.1:1/api/", Map.of("SLACK_BOT_TOKEN", SlackHarness.BOT_TOKEN))));
        assertTrue(e.getMessage().contains("slack.signingSecret"), e.getMessage());
        assertTrue(e.getMessage().contains("SLACK_SIGNING_SECRET"), e.getMessage());
    }

    @Test
    void start_slackUnreachable_saysWhereItLookedAfterRetrying() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String apiUrl = "http://127.0.0.1:" + closedPort + "/api/";
        BotException e = assertThrows(BotException.class, () -> start(SlackHarness.settings(SlackSettings.Mode.HTTP,
                apiUrl)));
        assertTrue(e.getMessage().startsWith("cannot reach the Slack Web API at " + apiUrl), e.getMessage());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), pause.waits);
    }

    @Test
    void start_portTaken_saysWhichPort() throws Exception {
        try (FakeSlackApi api = FakeSlackApi.start(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN);
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SlackSettings s = SlackHarness.settings(SlackSettings.Mode.HTTP, api.apiUrl());
            SlackSettings onTakenPort = new SlackSettings(s.mode(), s.botToken(), s.appToken(), s.signingSecret(),
                    taken.getLocalPort(), s.apiUrl());
            BotException e = assertThrows(BotException.class, () -> start(onTakenPort));
            assertTrue(e.getMessage().endsWith("is port " + taken.getLocalPort() + " free?"), e.getMessage());
        }
    }
}
