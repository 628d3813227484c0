package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.adapters.app.BotApp;
import dev.chatops.adapters.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} with {@code management.port}: over real HTTP, {@code /healthz} follows the Socket
 * Mode connection (up once Slack says hello, down when the connection drops) and {@code /metrics}
 * counts the run a slash command caused and the Slack call that failed.
 */
class ServeManagementTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Answer(int status, String contentType, String body) {
    }

    static Answer get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    /** Asks until the answer matches (the state it reports changes a moment after the event). */
    static Answer awaitAnswer(int port, String path, Predicate<Answer> matching) throws Exception {
        long deadline = System.nanoTime() + SlackHarness.WAIT.toNanos();
        Answer last = get(port, path);
        while (!matching.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            last = get(port, path);
        }
        return last;
    }

    @Test
    void serve_socketModeWithManagementPort_healthFollowsTheConnectionAndMetricsCountTheRun(@TempDir Path dir)
            throws Exception {
        int management = ServeCommandTest.freePort();
        FakeSocketModeServer socket = new FakeSocketModeServer();
        try (FakeSlackApi api = FakeSlackApi.start(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN)) {
            api.socketModeUrl(socket.url());
            Files.writeString(dir.resolve("bot.yaml"), DocsConfig.withApiUrl(DocsConfig.complete(), api.apiUrl())
                    + "management:\n  port: " + management + "\n");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Clock clock = Clock.systemUTC();
            Cli cli = new Cli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), SlackHarness.loader(dir), dir, clock,
                    config -> BotApp.start(config, clock));
            AtomicInteger exit = new AtomicInteger(-1);
            Thread serve = new Thread(() -> exit.set(cli.run("serve", "--config", "bot.yaml")), "serve");
            serve.start();
            try {
                socket.awaitConnection(SlackHarness.WAIT);
                socket.send(SlackSocketModeTest.HELLO);
                long deadline = System.nanoTime() + SlackHarness.WAIT.toNanos();
                while (!err.toString(StandardCharsets.UTF_8).contains("health and metrics on") && serve.isAlive()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Answer up = awaitAnswer(management, "/healthz", a -> a.status() == 200);
                assertEquals(200, up.status(), up.body());
                assertTrue(up.contentType().startsWith("application/json"), up.contentType());
                JsonObject health = JsonParser.parseString(up.body()).getAsJsonObject();
                assertEquals("up", health.get("status").getAsString());
                assertEquals("up", health.getAsJsonObject("checks").getAsJsonObject("slack").get("status").getAsString());
                assertTrue(err.toString(StandardCharsets.UTF_8).contains("health and metrics on http://127.0.0.1:"
                        + management + "/healthz and /metrics\n"), err.toString(StandardCharsets.UTF_8));

                // the first answer (the ⏳ update) is refused once: it is counted under its method and Slack's code
                api.failNext("chat.update", "cant_update_message");
                socket.send(SlackSocketModeTest.slashEnvelope("env-m1", "/nginx502", "localhost", "C0123ABCD",
                        api.responseUrl("management-1")));
                socket.awaitMessage("env-m1", SlackHarness.WAIT);
                Answer metrics = awaitAnswer(management, "/metrics",
                        a -> a.body().contains("chatops_checks_total{check=\"nginx502\"")
                                && a.body().contains("chatops_diagnosis_duration_seconds_count{check=\"nginx502\"}"));
                assertEquals(200, metrics.status());
                assertTrue(metrics.contentType().startsWith("text/plain; version=0.0.4"), metrics.contentType());
                String text = metrics.body();
                assertTrue(text.contains("chatops_cache_requests_total{check=\"nginx502\",result=\"miss\"} 1.0"), text);
                assertTrue(text.contains("chatops_diagnosis_duration_seconds_count{check=\"nginx502\"} 1"), text);
                assertTrue(text.contains("chatops_diagnosis_duration_seconds_bucket{check=\"nginx502\",le=\"120.0\"} 1"),
                        text);
                assertTrue(text.contains("chatops_queue_waiting 0.0"), text);
                Answer errors = awaitAnswer(management, "/metrics", a -> a.body().contains("chatops_slack_api_errors"));
                assertTrue(errors.body().contains(
                        "chatops_slack_api_errors_total{error=\"cant_update_message\",method=\"chat.update\"} 1.0"),
                        errors.body());

                socket.close();
                Answer down = awaitAnswer(management, "/healthz", a -> a.status() == 503);
                assertEquals(503, down.status(), down.body());
                JsonObject slack = JsonParser.parseString(down.body()).getAsJsonObject().getAsJsonObject("checks")
                        .getAsJsonObject("slack");
                assertEquals("down", slack.get("status").getAsString());
                assertTrue(slack.get("error").getAsString().contains("Socket Mode connection to Slack is down"),
                        down.body());
            } finally {
                serve.interrupt();
                serve.join(SlackHarness.WAIT.toMillis());
                socket.close();
            }
            assertEquals(0, exit.get(), err.toString(StandardCharsets.UTF_8));
        }
    }
}
