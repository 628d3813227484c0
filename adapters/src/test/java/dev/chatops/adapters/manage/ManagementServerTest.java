package dev.chatops.adapters.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.adapters.app.BotApp;
import dev.chatops.config.BotConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.error.BotException;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.GatedTransport;
import dev.chatops.core.testing.StatusCheck;
import dev.chatops.core.transport.TransportException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management port over real HTTP, on a bot assembled around a transport the test controls. */
class ManagementServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static BotConfig config(Path dir, int port, String bind) throws IOException {
        Path file = dir.resolve("bot.yaml");
        Files.writeString(file, """
                ssh:
                  user: chatops
                  identityFile: /etc/chatops/id_ed25519
                  knownHosts: /etc/chatops/known_hosts
                hosts:
                  web-03: {address: 10.0.3.13}
                  localhost: {transport: local}
                management:
                  port: %d
                %s""".formatted(port, bind.isEmpty() ? "" : "  bind: " + bind + "\n"));
        return new ConfigLoader(Map.of(), dir).load(file);
    }

    private static HttpResponse<String> send(int port, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static CheckRequest ask(String host) {
        return new CheckRequest(StatusCheck.NAME, host, false, Requester.cli());
    }

    @Test
    void metrics_afterRunsHitsAndAnSshFailure_countEachByItsLabels(@TempDir Path dir) throws Exception {
        int port = freePort();
        GatedTransport transport = new GatedTransport()
                .fail("web-03", new TransportException(TransportException.Reason.AUTH_FAILED, "web-03 refused the key"));
        try (BotApp app = new BotApp(config(dir, port, ""), CheckRegistry.of(new StatusCheck()), transport,
                Clock.systemUTC())) {
            app.startManagement(Map.of());
            assertEquals(Verdict.HEALTHY, app.dispatcher().handle(ask("localhost")).report().verdict());
            assertEquals(Verdict.HEALTHY, app.dispatcher().handle(ask("localhost")).report().verdict());
            assertEquals(Verdict.UNREACHABLE, app.dispatcher().handle(ask("web-03")).report().verdict());

            HttpResponse<String> r = send(port, "GET", "/metrics");
            assertEquals(200, r.statusCode());
            String text = r.body();
            assertTrue(text.contains("chatops_checks_total{check=\"status\",verdict=\"healthy\"} 1.0"), text);
            assertTrue(text.contains("chatops_checks_total{check=\"status\",verdict=\"unreachable\"} 1.0"), text);
            assertTrue(text.contains("chatops_cache_requests_total{check=\"status\",result=\"hit\"} 1.0"), text);
            assertTrue(text.contains("chatops_cache_requests_total{check=\"status\",result=\"miss\"} 2.0"), text);
            assertTrue(text.contains("chatops_ssh_failures_total{reason=\"auth_failed\"} 1.0"), text);
            assertTrue(text.contains("chatops_diagnosis_duration_seconds_count{check=\"status\"} 2"), text);
            assertTrue(text.contains("chatops_queue_running 0.0"), text);
            assertTrue(text.contains("jvm_memory_used_bytes"), text);
            assertTrue(!text.contains("10.0.3.13") && !text.contains("web-03"), "no host data in the labels:\n" + text);
        }
    }

    @Test
    void metrics_queueDepth_showsRequestsWaitingForTheirHost(@TempDir Path dir) throws Exception {
        int port = freePort();
        GatedTransport transport = new GatedTransport().hold("localhost");
        try (BotApp app = new BotApp(config(dir, port, ""), CheckRegistry.of(new StatusCheck()), transport,
                Clock.systemUTC())) {
            app.startManagement(Map.of());
            app.dispatcher().submit(ask("localhost"), dev.chatops.core.dispatch.DispatchListener.NONE);
            assertTrue(transport.awaitOpened(1));
            String text = send(port, "GET", "/metrics").body();
            assertTrue(text.contains("chatops_queue_running 1.0"), text);
            transport.releaseAll();
        }
    }

    @Test
    void healthz_followsEachPartAndNamesTheOneThatIsDown(@TempDir Path dir) throws Exception {
        int port = freePort();
        AtomicReference<Optional<String>> slack = new AtomicReference<>(Optional.empty());
        try (BotApp app = new BotApp(config(dir, port, ""), CheckRegistry.of(new StatusCheck()), new GatedTransport(),
                Clock.systemUTC())) {
            app.startManagement(Map.of("slack", slack::get));
            HttpResponse<String> up = send(port, "GET", "/healthz");
            assertEquals(200, up.statusCode(), up.body());
            assertEquals("{\"status\":\"up\",\"checks\":{\"slack\":{\"status\":\"up\"}}}", up.body().strip());

            slack.set(Optional.of("the Socket Mode connection to Slack is down"));
            HttpResponse<String> down = send(port, "GET", "/healthz");
            assertEquals(503, down.statusCode(), down.body());
            JsonObject o = JsonParser.parseString(down.body()).getAsJsonObject();
            assertEquals("down", o.get("status").getAsString());
            assertEquals("the Socket Mode connection to Slack is down",
                    o.getAsJsonObject("checks").getAsJsonObject("slack").get("error").getAsString());
        }
    }

    @Test
    void healthz_partThatHangs_isDownWithinTheDeadline(@TempDir Path dir) throws Exception {
        int port = freePort();
        CountDownLatch never = new CountDownLatch(1);
        try (BotApp app = new BotApp(config(dir, port, ""), CheckRegistry.of(new StatusCheck()), new GatedTransport(),
                Clock.systemUTC())) {
            app.startManagement(Map.of("store", () -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.empty();
            }));
            long start = System.nanoTime();
            HttpResponse<String> r = send(port, "GET", "/healthz");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().contains("store did not answer within 2000 ms"), r.body());
            assertTrue(tookMs < 5_000, "answered in " + tookMs + " ms");
        }
    }

    @Test
    void otherPathsAndMethods_areRefused(@TempDir Path dir) throws Exception {
        int port = freePort();
        try (BotApp app = new BotApp(config(dir, port, ""), CheckRegistry.of(new StatusCheck()), new GatedTransport(),
                Clock.systemUTC())) {
            app.startManagement(Map.of());
            assertEquals(404, send(port, "GET", "/").statusCode());
            assertEquals(404, send(port, "GET", "/slack/events").statusCode());
            HttpResponse<String> post = send(port, "POST", "/metrics");
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
        }
    }

    @Test
    void startManagement_listensOnLoopbackByDefault_andStopsWithTheBot(@TempDir Path dir) throws Exception {
        int port = freePort();
        ManagementServer server;
        try (BotApp app = new BotApp(config(dir, port, ""), CheckRegistry.of(new StatusCheck()), new GatedTransport(),
                Clock.systemUTC())) {
            server = app.startManagement(Map.of()).orElseThrow();
            assertTrue(server.address().getAddress().isLoopbackAddress(), server.address().toString());
        }
        assertThrows(IOException.class, () -> send(port, "GET", "/healthz"));
    }

    @Test
    void startManagement_portTaken_failsNamingThePortAndTheKey(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             BotApp app = new BotApp(config(dir, taken.getLocalPort(), ""), CheckRegistry.of(new StatusCheck()),
                     new GatedTransport(), Clock.systemUTC())) {
            BotException e = assertThrows(BotException.class, () -> app.startManagement(Map.of()));
            assertTrue(e.getMessage().startsWith("the management port could not listen on 127.0.0.1:"
                    + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("management.port"), e.getMessage());
        }
    }

    @Test
    void startManagement_notConfigured_servesNothing() {
        try (BotApp app = new BotApp(BotConfig.builtInDefault(), CheckRegistry.of(new StatusCheck()),
                new GatedTransport(), Clock.systemUTC())) {
            assertEquals(Optional.empty(), app.startManagement(Map.of()));
        }
    }

    @Test
    void metrics_slackErrorWithOddText_keptToAShortWordAndCountedByMethod(@TempDir Path dir) throws Exception {
        int port = freePort();
        try (BotApp app = new BotApp(config(dir, port, ""), CheckRegistry.of(new StatusCheck()), new GatedTransport(),
                Clock.systemUTC())) {
            app.startManagement(Map.of());
            app.metrics().orElseThrow().slackApiError("chat.postMessage", "not_in_channel");
            app.metrics().orElseThrow().slackApiError("chat.postMessage", "weird \"error\"\n{x=1}" + "z".repeat(100));
            String text = send(port, "GET", "/metrics").body();
            assertTrue(text.contains("chatops_slack_api_errors_total{error=\"not_in_channel\",method=\"chat.postMessage\"} 1.0"),
                    text);
            assertTrue(text.contains("chatops_slack_api_errors_total{error=\"weird__error___x_1_zzzzzzzzzzzzzzzzzzzzz\","
                    + "method=\"chat.postMessage\"} 1.0"), text);
        }
    }
}
