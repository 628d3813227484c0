package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.adapters.app.BotApp;
import dev.chatops.adapters.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** {@code serve} with the configuration of the set-up guide starts the bot, answers, and stops. */
class ServeCommandTest {

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void serve_guideConfigInHttpMode_answersASlashCommandUntilStopped(@TempDir Path dir) throws Exception {
        int port = freePort();
        try (FakeSlackApi api = FakeSlackApi.start(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN)) {
            Files.writeString(dir.resolve("bot.yaml"),
                    DocsConfig.inHttpMode(DocsConfig.withApiUrl(DocsConfig.complete(), api.apiUrl()), port));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Clock clock = Clock.systemUTC();
            Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), SlackHarness.loader(dir), dir, clock,
                    config -> BotApp.start(config, clock));
            AtomicInteger exit = new AtomicInteger(-1);
            Thread serve = new Thread(() -> exit.set(cli.run("serve", "--config", "bot.yaml")), "serve");
            serve.start();
            try {
                String expected = "serving /nginx502, /tlscheck in HTTP mode on port " + port + "/slack/events; stop with Ctrl-C";
                long deadline = System.nanoTime() + SlackHarness.WAIT.toNanos();
                while (!err.toString(StandardCharsets.UTF_8).contains("serving") && serve.isAlive()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(expected, err.toString(StandardCharsets.UTF_8).strip());
                assertTrue(serve.isAlive(), "serve blocks while the bot runs");

                String body = SlackHarness.commandBody("/nginx502 localhost", "C0123ABCD", "U0DANA",
                        api.responseUrl("serve-1"));
                SlackHarness.Ack ack = SlackHarness.post(port, body, SlackHarness.signed(body));
                assertEquals(200, ack.status(), ack.body());
                assertEquals("Checking localhost…", ack.text());
                FakeSlackApi.Call verdict = api.await(c -> c.method().equals("chat.update")
                        && !c.text().startsWith("⏳"), SlackHarness.WAIT);
                assertTrue(verdict.text().contains("*localhost*"), verdict.text());
                assertTrue(api.calls("chat.postMessage").stream().anyMatch(c -> c.threadTs().isPresent()),
                        "the report went to the thread");
            } finally {
                serve.interrupt();
                serve.join(SlackHarness.WAIT.toMillis());
            }
            assertEquals(0, exit.get(), err.toString(StandardCharsets.UTF_8));
            assertTrue(err.toString(StandardCharsets.UTF_8).endsWith("stopped serving\n"),
                    err.toString(StandardCharsets.UTF_8));
            assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                    "the port is closed once serve returns");
        }
    }

    private static final String MORNING = """
            schedules:
              - name: morning
                cron: "0 8 * * MON-FRI"
                zone: Europe/Berlin
                channel: C0123ABCD
                check: %s
                hosts: [localhost]
            """;

    @Test
    void serve_configWithSchedule_postsTheSweepWhenDue(@TempDir Path dir) throws Exception {
        int port = freePort();
        // a running clock set a few seconds before a weekday's 08:00 in Berlin: the scheduler's timer fires for real
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(),
                Instant.parse("2026-11-23T06:59:57Z")));
        try (FakeSlackApi api = FakeSlackApi.start(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN)) {
            Files.writeString(dir.resolve("bot.yaml"), DocsConfig.inHttpMode(DocsConfig.withApiUrl(
                    DocsConfig.complete(), api.apiUrl()), port) + MORNING.formatted("nginx502"));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Cli cli = new Cli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), SlackHarness.loader(dir), dir, clock,
                    config -> BotApp.start(config, clock));
            AtomicInteger exit = new AtomicInteger(-1);
            Thread serve = new Thread(() -> exit.set(cli.run("serve", "--config", "bot.yaml")), "serve");
            serve.start();
            try {
                FakeSlackApi.Call summary = api.await(c -> c.method().equals("chat.postMessage") && c.answeredOk()
                        && c.threadTs().isEmpty(), SlackHarness.WAIT);
                assertEquals("C0123ABCD", summary.channel());
                assertEquals("☀️ nginx502 morning check · 1 host · 08:00 Europe/Berlin", summary.text());
                assertTrue(summary.blockText().contains(" localhost  "), summary.blockText());
                assertEquals(List.of(), BlockKitRules.violations(summary));
                assertTrue(err.toString(StandardCharsets.UTF_8).contains("schedule morning: nginx502 on 1 host, posted "
                        + "to C0123ABCD, next at 2026-11-23T08:00+01:00 Europe/Berlin\n"),
                        err.toString(StandardCharsets.UTF_8));
            } finally {
                serve.interrupt();
                serve.join(SlackHarness.WAIT.toMillis());
            }
            assertEquals(0, exit.get(), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void serve_scheduleNamesACheckNotLoaded_exits2NamingItAndListensNoMore(@TempDir Path dir) throws Exception {
        int port = freePort();
        try (FakeSlackApi api = FakeSlackApi.start(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN)) {
            Files.writeString(dir.resolve("bot.yaml"), DocsConfig.inHttpMode(DocsConfig.withApiUrl(
                    DocsConfig.complete(), api.apiUrl()), port) + MORNING.formatted("nginx503"));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Clock clock = Clock.systemUTC();
            Cli cli = new Cli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), SlackHarness.loader(dir), dir, clock,
                    config -> BotApp.start(config, clock));

            assertEquals(2, cli.run("serve", "--config", "bot.yaml"));
            assertEquals("schedule morning: unknown check `nginx503`; loaded checks: nginx502",
                    err.toString(StandardCharsets.UTF_8).strip());
            assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                    "the bot stopped listening");
        }
    }

    @Test
    void serve_botTokenNotInEnvironment_exits2NamingTheVariable(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bot.yaml"), DocsConfig.complete());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                new dev.chatops.config.ConfigLoader(Map.of(), dir), dir, Clock.systemUTC(),
                config -> BotApp.start(config, Clock.systemUTC()));
        assertEquals(2, cli.run("serve", "--config", "bot.yaml"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("SLACK_BOT_TOKEN"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void manifest_grantsTheScopesAndDeclaresEveryCommandOfTheGuide() throws Exception {
        Map<String, Object> manifest = new Yaml().load(Files.readString(DocsConfig.manifest()));
        @SuppressWarnings("unchecked")
        List<String> scopes = (List<String>) ((Map<String, Map<String, Object>>) manifest.get("oauth_config"))
                .get("scopes").get("bot");
        assertTrue(scopes.containsAll(List.of("commands", "chat:write", "chat:write.public")), scopes.toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> commands = (List<Map<String, Object>>) ((Map<String, Object>) manifest.get("features"))
                .get("slash_commands");
        @SuppressWarnings("unchecked")
        Map<String, Object> configured = (Map<String, Object>) new Yaml().<Map<String, Object>>load(DocsConfig.complete())
                .get("commands");
        assertEquals(configured.keySet(), commands.stream().map(c -> (String) c.get("command"))
                .collect(Collectors.toSet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) manifest.get("settings");
        assertEquals(true, settings.get("socket_mode_enabled"), "the guide's config uses Socket Mode");
    }
}
