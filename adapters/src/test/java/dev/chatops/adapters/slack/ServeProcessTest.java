package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot as people run it: {@code Main serve --config bot.yaml} in its own JVM, with the guide's
 * configuration, tokens in the environment and every logger at debug level. It answers a slash
 * command, stops on SIGTERM, and its whole output holds no token and no signing secret.
 */
class ServeProcessTest {

    private static final List<String> SECRETS = List.of(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN,
            SlackHarness.SIGNING_SECRET,
            // the distinctive tails too, in case something prints a token cut short
            SlackHarness.BOT_TOKEN.substring(SlackHarness.BOT_TOKEN.length() - 12),
            SlackHarness.APP_TOKEN.substring(SlackHarness.APP_TOKEN.length() - 12),
            SlackHarness.SIGNING_SECRET.substring(SlackHarness.SIGNING_SECRET.length() - 12));

    private static Process launch(Path dir) throws IOException {
        Files.writeString(dir.resolve("logging.properties"), """
                handlers=java.util.logging.ConsoleHandler
                .level=INFO
                java.util.logging.ConsoleHandler.level=FINEST
                dev.chatops.level=FINEST
                org.glassfish.tyrus.level=FINEST
                okhttp3.level=FINEST
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java,
                "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                "-Djava.util.logging.config.file=" + dir.resolve("logging.properties"),
                "dev.chatops.adapters.cli.Main", "serve", "--config", "bot.yaml")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("output.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SLACK_BOT_TOKEN", SlackHarness.BOT_TOKEN);
        env.put("SLACK_APP_TOKEN", SlackHarness.APP_TOKEN);
        env.put("SLACK_SIGNING_SECRET", SlackHarness.SIGNING_SECRET);
        env.put("HOME", dir.toString());
        return pb.start();
    }

    /** Stops the bot as a service manager would, and returns all it wrote. */
    private static String stop(Process bot, Path dir) throws Exception {
        bot.destroy();
        boolean exited = bot.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            bot.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(dir.resolve("output.log"), StandardCharsets.UTF_8);
        assertTrue(exited, "the bot did not stop on SIGTERM:\n" + output);
        return output;
    }

    private static void assertDebugOnAndNoSecret(String output) {
        assertTrue(output.contains("DEBUG com.slack.api"), "the Slack libraries logged at debug level:\n" + output);
        assertTrue(output.contains("Slack POST /api/chat.postMessage -> HTTP 200"), "our call log ran at debug:\n"
                + output);
        assertTrue(output.contains("stopped serving"), "stopped through the shutdown hook:\n" + output);
        List<String> leaked = new ArrayList<>();
        for (String secret : SECRETS) {
            if (output.contains(secret)) {
                leaked.add(secret);
            }
        }
        assertEquals(List.of(), leaked, "secrets in the log:\n" + output);
    }

    @Test
    void serve_socketMode_guideConfig_answersAndLogsNoSecret(@TempDir Path dir) throws Exception {
        try (FakeSlackApi api = FakeSlackApi.start(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN);
             FakeSocketModeServer socket = new FakeSocketModeServer()) {
            api.socketModeUrl(socket.url());
            Files.writeString(dir.resolve("bot.yaml"), DocsConfig.withApiUrl(DocsConfig.complete(), api.apiUrl()));
            Process bot = launch(dir);
            String output;
            try {
                socket.awaitConnection(SlackHarness.WAIT.multipliedBy(2));
                socket.send(SlackSocketModeTest.HELLO);
                socket.send(SlackSocketModeTest.slashEnvelope("env-p1", "/nginx502", "localhost", "C0123ABCD",
                        api.responseUrl("process-1")));
                String ack = socket.awaitMessage("env-p1", SlackHarness.WAIT);
                assertEquals("Checking localhost…", JsonParser.parseString(ack).getAsJsonObject()
                        .getAsJsonObject("payload").get("text").getAsString());
                api.await(c -> c.method().equals("chat.update") && !c.text().startsWith("⏳"), SlackHarness.WAIT);
            } finally {
                output = stop(bot, dir);
            }
            assertTrue(output.contains("serving /nginx502, /tlscheck in Socket Mode; stop with Ctrl-C"), output);
            assertDebugOnAndNoSecret(output);
        }
    }

    @Test
    void serve_httpMode_guideConfig_answersRejectsForgeryAndLogsNoSecret(@TempDir Path dir) throws Exception {
        int port = ServeCommandTest.freePort();
        try (FakeSlackApi api = FakeSlackApi.start(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN)) {
            Files.writeString(dir.resolve("bot.yaml"),
                    DocsConfig.inHttpMode(DocsConfig.withApiUrl(DocsConfig.complete(), api.apiUrl()), port));
            Process bot = launch(dir);
            String output;
            try {
                awaitListening(port, bot);
                String forged = SlackHarness.commandBody("/nginx502 web-03", "C0123ABCD", "U0DANA",
                        api.responseUrl("process-2"));
                long ts = SlackHarness.now();
                assertEquals(401, SlackHarness.post(port, forged, Map.of("X-Slack-Request-Timestamp",
                        String.valueOf(ts), "X-Slack-Signature", SlackHarness.sign("guessed", ts, forged))).status());

                String body = SlackHarness.commandBody("/nginx502 localhost", "C0123ABCD", "U0DANA",
                        api.responseUrl("process-3"));
                SlackHarness.Ack ack = SlackHarness.post(port, body, SlackHarness.signed(body));
                assertEquals("Checking localhost…", ack.text());
                api.await(c -> c.method().equals("chat.update") && !c.text().startsWith("⏳"), SlackHarness.WAIT);
                assertFalse(api.calls().stream().anyMatch(c -> c.text().contains("web-03")), "the forgery ran nothing");
            } finally {
                output = stop(bot, dir);
            }
            assertTrue(output.contains("serving /nginx502, /tlscheck in HTTP mode on port " + port + "/slack/events"), output);
            assertDebugOnAndNoSecret(output);
        }
    }

    private static void awaitListening(int port, Process bot) throws InterruptedException {
        long deadline = System.nanoTime() + SlackHarness.WAIT.multipliedBy(2).toNanos();
        while (System.nanoTime() < deadline && bot.isAlive()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the bot never listened on port " + port + (bot.isAlive() ? "" : " (it exited)"));
    }
}
