package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.config.BotConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.config.SlackSettings;
import dev.chatops.core.audit.JsonLinesAuditLog;
import dev.chatops.core.cache.ResultCache;
import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.history.History;
import dev.chatops.core.host.Allowlist;
import dev.chatops.core.host.Host;
import dev.chatops.core.limit.HostRunQueue;
import dev.chatops.core.limit.Limits;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.testing.FakeTransport;
import dev.chatops.core.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Drives the real Slack bot the way Slack does: signed slash-command requests over real HTTP to
 * the bot's Jetty endpoint (or envelopes over a WebSocket in Socket Mode), with a fake Slack Web
 * API taking what the bot posts. A test reads like {@code harness.slash("/nginx502 web-03")},
 * which returns the acknowledgement, the parent message and its thread.
 */
final class SlackHarness implements AutoCloseable {

    // shaped like real ones, so the redaction and log checks see what real tokens look like
    static final String BOT_TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx";
    static final String APP_TOKEN = "xapp-1-A0123456789-1234567890123-0123456789abcdef0123456789abcdef";
    static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String CHANNEL = "C0INCIDENT";
    static final String USER = "U0DANA";
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the bot answered to a slash command over HTTP, and how long it took. */
    record Ack(int status, String body, Duration took) {
        String text() {
            return json().has("text") ? json().get("text").getAsString() : "";
        }

        String responseType() {
            return json().has("response_type") ? json().get("response_type").getAsString() : "";
        }

        private JsonObject json() {
            return body.startsWith("{") ? JsonParser.parseString(body).getAsJsonObject() : new JsonObject();
        }
    }

    /** One conversation: the acknowledgement, the parent as first posted, its thread, and the parent's last update. */
    record SlackThread(Ack ack, FakeSlackApi.Call parent, List<FakeSlackApi.Call> replies, FakeSlackApi.Call verdict) {
        String replyText() {
            return replies.stream().map(FakeSlackApi.Call::blockText).collect(Collectors.joining("\n"));
        }
    }

    /** The waits the bot asked for between retries; nothing actually sleeps. */
    static final class RecordingPause implements Pause {
        final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void pause(Duration duration) {
            waits.add(duration);
        }
    }

    static final class Builder {
        private final List<Host> hosts = new ArrayList<>(List.of(Host.ssh("web-03", "10.0.3.13", 22, Set.of("web")),
                Host.ssh("web-01", "10.0.3.11", 22, Set.of("web")), Host.local("localhost")));
        private Map<String, String> commands = Map.of("/nginx502", "nginx502");
        private AccessPolicy access = new AccessPolicy(Set.of(CHANNEL, "C0PUBLIC", "C0PRIVATE"), Set.of());
        private List<Check> checks = List.of(ScriptedCheck.upstreamDown());
        private FakeTransport transport = new FakeTransport()
                .answer("error-log", "2026/11/21 10:08:39 [error] 1234#1234: *88 connect() failed (111: Connection "
                        + "refused) while connecting to upstream, upstream: \"http://127.0.0.1:3000/cart\"")
                .answer("access-log", "").answer("listening", "");
        private boolean gateClosed;
        private Limits limits = new Limits(2, 8);
        private Duration cacheTtl = BotConfig.DEFAULT_CACHE_TTL;
        private Optional<History> history = Optional.empty();
        private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:09:12Z"));
        // request signatures carry wall-clock time, which the HTTP endpoint checks them against
        private Clock requestClock = Clock.systemUTC();

        MutableClock clock() {
            return clock;
        }

        Builder commands(Map<String, String> commands) {
            this.commands = commands;
            return this;
        }

        Builder access(AccessPolicy access) {
            this.access = access;
            return this;
        }

        Builder checks(Check... checks) {
            this.checks = List.of(checks);
            return this;
        }

        Builder transport(FakeTransport transport) {
            this.transport = transport;
            return this;
        }

        /** Checks wait at the transport until {@link SlackHarness#openGate()}. */
        Builder gateClosed() {
            this.gateClosed = true;
            return this;
        }

        /** How many checks run at once and how many may wait, as {@code limits:} sets them. */
        Builder limits(int concurrentHosts, int queue) {
            this.limits = new Limits(concurrentHosts, queue);
            return this;
        }

        /** The history {@code /nginx502 history <host>} reads. */
        Builder history(History history) {
            this.history = Optional.of(history);
            return this;
        }

        /** How long a report is reused ({@code cache.ttl}); the cache runs on the harness clock. */
        Builder cacheTtl(Duration ttl) {
            this.cacheTtl = ttl;
            return this;
        }

        /** What HTTP mode checks request timestamps against and expires its memory of requests by. */
        Builder requestClock(Clock requestClock) {
            this.requestClock = requestClock;
            return this;
        }

        SlackHarness startHttp() {
            return start(SlackSettings.Mode.HTTP, "");
        }

        /** Socket Mode: the fake Web API hands out {@code socketUrl} from apps.connections.open. */
        SlackHarness startSocket(String socketUrl) {
            return start(SlackSettings.Mode.SOCKET, socketUrl);
        }

        private SlackHarness start(SlackSettings.Mode mode, String socketUrl) {
            FakeSlackApi api = FakeSlackApi.start(BOT_TOKEN, APP_TOKEN);
            api.socketModeUrl(socketUrl);
            GatedTransport gate = new GatedTransport(transport, gateClosed);
            HostRunQueue queue = new HostRunQueue(limits);
            Path auditFile;
            try {
                auditFile = Files.createTempFile("slack-audit", ".jsonl");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            JsonLinesAuditLog audit = new JsonLinesAuditLog(auditFile);
            Dispatcher dispatcher = new Dispatcher(CheckRegistry.of(checks.toArray(Check[]::new)), new Allowlist(hosts),
                    access, new CheckRunner(gate, clock), CheckOptions.defaults(),
                    new ResultCache(cacheTtl, BotConfig.DEFAULT_UNREACHABLE_TTL, clock.ticker()), queue, audit, clock);
            RecordingPause pause = new RecordingPause();
            SlackBot bot;
            try {
                bot = SlackBot.start(settings(mode, api.apiUrl()), commands, access, dispatcher, clock,
                        new SlackBot.Tuning(2, RetryPolicy.defaults(), pause, Duration.ofSeconds(5), requestClock),
                        history);
            } catch (RuntimeException e) {
                api.close();
                queue.close();
                throw e;
            }
            return new SlackHarness(api, bot, transport, gate, pause, clock, dispatcher, queue, audit);
        }
    }

    /** Slack settings as the config loader reads them, with the tokens from the environment. */
    static SlackSettings settings(SlackSettings.Mode mode, String apiUrl) {
        return settings(mode, apiUrl, Map.of("SLACK_BOT_TOKEN", BOT_TOKEN, "SLACK_APP_TOKEN", APP_TOKEN,
                "SLACK_SIGNING_SECRET", SIGNING_SECRET));
    }

    static SlackSettings settings(SlackSettings.Mode mode, String apiUrl, Map<String, String> env) {
        String yaml = "slack:\n"
                + "  mode: " + mode.name().toLowerCase() + "\n"
                + "  botToken: ${SLACK_BOT_TOKEN}\n"
                + "  appToken: ${SLACK_APP_TOKEN}\n"
                + "  signingSecret: ${SLACK_SIGNING_SECRET}\n"
                + "  port: 1\n"
                + "  apiUrl: " + apiUrl + "\n"
                + "hosts:\n  localhost:\n    transport: local\n";
        try {
            Path file = Files.createTempFile("slack-harness", ".yaml");
            try {
                Files.writeString(file, yaml);
                SlackSettings s = new ConfigLoader(env, Path.of("/nonexistent")).load(file).slack();
                // port 0: any free loopback port, which the config file may not say
                return new SlackSettings(s.mode(), s.botToken(), s.appToken(), s.signingSecret(), 0, s.apiUrl(),
                        s.bind());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Builder builder() {
        return new Builder();
    }

    private final FakeSlackApi api;
    private final SlackBot bot;
    private final FakeTransport transport;
    private final GatedTransport gate;
    private final RecordingPause pause;
    private final MutableClock clock;
    private final Dispatcher dispatcher;
    private final HostRunQueue queue;
    private final JsonLinesAuditLog audit;
    private final AtomicInteger commandsSent = new AtomicInteger();

    private SlackHarness(FakeSlackApi api, SlackBot bot, FakeTransport transport, GatedTransport gate,
                         RecordingPause pause, MutableClock clock, Dispatcher dispatcher, HostRunQueue queue,
                         JsonLinesAuditLog audit) {
        this.api = api;
        this.bot = bot;
        this.transport = transport;
        this.gate = gate;
        this.pause = pause;
        this.clock = clock;
        this.dispatcher = dispatcher;
        this.queue = queue;
        this.audit = audit;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    /** The audit log file as written so far, exactly. */
    String auditText() {
        try {
            return Files.readString(audit.file());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The audit log's lines, parsed. */
    List<JsonObject> auditLines() {
        return auditText().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    /** Waits until the audit log has {@code n} lines (an allowed request's line comes when its run is over). */
    List<JsonObject> awaitAuditLines(int n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (auditText().lines().count() < n && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        return auditLines();
    }

    FakeSlackApi api() {
        return api;
    }

    FakeTransport transport() {
        return transport;
    }

    GatedTransport gate() {
        return gate;
    }

    List<Duration> waits() {
        return List.copyOf(pause.waits);
    }

    MutableClock clock() {
        return clock;
    }

    SlackBot bot() {
        return bot;
    }

    void openGate() {
        gate.open();
    }

    /** The form body Slack posts for a slash command typed by {@code user} in {@code channel}. */
    String commandBody(String commandLine, String channel, String user) {
        return commandBody(commandLine, channel, user, api.responseUrl("cmd-" + commandsSent.incrementAndGet()));
    }

    static String commandBody(String commandLine, String channel, String user, String responseUrl) {
        String command = commandLine.split(" ", 2)[0];
        String text = commandLine.contains(" ") ? commandLine.split(" ", 2)[1] : "";
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", "verification-token-unused");
        form.put("team_id", FakeSlackApi.TEAM);
        form.put("team_domain", "fake");
        form.put("channel_id", channel);
        form.put("channel_name", "incident");
        form.put("user_id", user);
        form.put("user_name", "dana");
        form.put("command", command);
        form.put("text", text);
        form.put("api_app_id", "A0APP");
        form.put("is_enterprise_install", "false");
        form.put("response_url", responseUrl);
        form.put("trigger_id", "13345224609.738474920.8088930838d88f008e0");
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Slack's v0 request signature: HMAC-SHA256 of "v0:timestamp:body" with the signing secret. */
    static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bolt checks the timestamp against the system clock, so a signed request carries the real time. */
    static long now() {
        return Instant.now().getEpochSecond();
    }

    /** The headers Slack sends with a body: the timestamp and the signature over both. */
    static Map<String, String> signed(String body) {
        long ts = now();
        return Map.of("X-Slack-Request-Timestamp", String.valueOf(ts), "X-Slack-Signature",
                sign(SIGNING_SECRET, ts, body));
    }

    Ack send(String commandLine) {
        return send(commandLine, CHANNEL, USER);
    }

    Ack send(String commandLine, String channel, String user) {
        String body = commandBody(commandLine, channel, user);
        return post(body, signed(body));
    }

    /** Posts a body with exactly these headers (besides the content type) to the bot's endpoint. */
    Ack post(String body, Map<String, String> headers) {
        return post(bot.httpPort().orElseThrow(), body, headers);
    }

    static Ack post(int port, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + SlackBot.EVENTS_PATH))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Ack(r.statusCode(), r.body(), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends the command and waits for the whole conversation: parent, thread, parent updated to the verdict. */
    SlackThread slash(String commandLine) {
        return slash(commandLine, CHANNEL, USER);
    }

    SlackThread slash(String commandLine, String channel, String user) {
        int from = api.callCount();
        Ack ack = send(commandLine, channel, user);
        assertEquals(200, ack.status(), "ack: " + ack.body());
        return conversation(from, ack, channel);
    }

    /** The conversation that started after the {@code from}-th call, once its parent shows the verdict. */
    SlackThread conversation(int from, Ack ack, String channel) {
        FakeSlackApi.Call parent = api.await(from, c -> c.method().equals("chat.postMessage") && c.answeredOk()
                && c.threadTs().isEmpty() && c.channel().equals(channel), WAIT);
        FakeSlackApi.Call verdict = api.await(from, c -> c.method().equals("chat.update") && c.answeredOk()
                && c.param("ts").equals(parent.ts()) && !c.text().startsWith("⏳"), WAIT);
        List<FakeSlackApi.Call> replies = api.calls("chat.postMessage").stream()
                .filter(c -> c.answeredOk() && c.threadTs().equals(Optional.of(parent.ts()))).toList();
        return new SlackThread(ack, parent, replies, verdict);
    }

    /** Every message the bot sent to Slack so far keeps within Block Kit's limits. */
    void assertEveryMessageWithinLimits() {
        for (FakeSlackApi.Call c : api.calls()) {
            if (c.method().equals("chat.postMessage") || c.method().equals("chat.update")
                    || c.method().equals("response_url")) {
                List<String> problems = BlockKitRules.violations(c);
                assertTrue(problems.isEmpty(), c.method() + " broke Block Kit limits: " + problems);
            }
        }
    }

    /** Loads config the way serve does, with the harness tokens in the environment. */
    static ConfigLoader loader(Path home) {
        return new ConfigLoader(Map.of("SLACK_BOT_TOKEN", BOT_TOKEN, "SLACK_APP_TOKEN", APP_TOKEN,
                "SLACK_SIGNING_SECRET", SIGNING_SECRET), home);
    }

    @Override
    public void close() {
        gate.open();
        bot.close();
        queue.close();
        audit.close();
        api.close();
        try {
            Files.deleteIfExists(audit.file());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
