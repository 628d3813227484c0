package dev.chatops.adapters.slack;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A Slack Web API on a loopback port, for the real Bolt app and Slack client to talk to. It keeps
 * the state that matters to the bot (which channels exist, whether the bot is a member, the
 * messages posted and updated), checks the bearer token, records every call, and can be told to
 * answer the next calls of a method with an error, an HTTP 429 with {@code Retry-After}, or a
 * server error. It also takes {@code response_url} posts under {@code /response/...}.
 */
final class FakeSlackApi implements AutoCloseable {

    static final String TEAM = "T0FAKE";
    static final String BOT_USER = "U0BOT";

    enum ChannelKind { PUBLIC_MEMBER, PUBLIC_NOT_MEMBER, PRIVATE_NOT_MEMBER }

    /** One request as the fake received it; {@code method} is {@code response_url} for those posts. */
    record Call(String method, Map<String, String> params, Optional<JsonArray> blocks, String authorization,
                int status, JsonObject response) {

        /** The {@code ts} Slack gave the message this call posted. */
        String ts() {
            return response.has("ts") ? response.get("ts").getAsString() : "";
        }

        boolean answeredOk() {
            return status == 200 && response.has("ok") && response.get("ok").getAsBoolean();
        }

        String param(String name) {
            return params.getOrDefault(name, "");
        }

        String channel() {
            return param("channel");
        }

        Optional<String> threadTs() {
            return Optional.ofNullable(params.get("thread_ts")).filter(s -> !s.isEmpty());
        }

        String text() {
            return param("text");
        }

        boolean ok() {
            return status == 200;
        }

        /** The text of every block, in order: what a reader of the message sees. */
        String blockText() {
            StringBuilder sb = new StringBuilder();
            blocks.ifPresent(bs -> bs.forEach(b -> collectText(b, sb)));
            return sb.toString();
        }

        private static void collectText(JsonElement e, StringBuilder sb) {
            if (e.isJsonObject()) {
                JsonObject o = e.getAsJsonObject();
                if (o.has("text") && o.get("text").isJsonPrimitive()) {
                    sb.append(o.get("text").getAsString()).append('\n');
                }
                o.entrySet().forEach(en -> {
                    if (!en.getKey().equals("text") || !en.getValue().isJsonPrimitive()) {
                        collectText(en.getValue(), sb);
                    }
                });
            } else if (e.isJsonArray()) {
                e.getAsJsonArray().forEach(x -> collectText(x, sb));
            }
        }
    }

    private record Scripted(int status, String error, int retryAfter) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String botToken;
    private final String appToken;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Deque<Scripted>> scripted = new HashMap<>();
    private final Map<String, ChannelKind> channels = new HashMap<>();
    private final Map<String, JsonObject> messages = new LinkedHashMap<>();
    private volatile String socketUrl = "ws://127.0.0.1:1/unset";
    private long nextTs = 1_700_000_000_000100L;

    private FakeSlackApi(String botToken, String appToken) throws IOException {
        this.botToken = botToken;
        this.appToken = appToken;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/api/", this::api);
        server.createContext("/response/", this::responseUrl);
        server.start();
    }

    static FakeSlackApi start(String botToken, String appToken) {
        try {
            return new FakeSlackApi(botToken, appToken);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    String responseUrl(String id) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/response/" + id;
    }

    /** What {@code apps.connections.open} answers. */
    void socketModeUrl(String url) {
        socketUrl = url;
    }

    synchronized FakeSlackApi channel(String id, ChannelKind kind) {
        channels.put(id, kind);
        return this;
    }

    /** The next call of {@code method} answers {@code {"ok":false,"error":error}}. */
    synchronized FakeSlackApi failNext(String method, String error) {
        queue(method).add(new Scripted(200, error, 0));
        return this;
    }

    /** The next call of {@code method} answers HTTP 429 with {@code Retry-After: seconds}. */
    synchronized FakeSlackApi rateLimitNext(String method, int seconds) {
        queue(method).add(new Scripted(429, "ratelimited", seconds));
        return this;
    }

    /** The next call of {@code method} answers with that HTTP status. */
    synchronized FakeSlackApi httpErrorNext(String method, int status) {
        queue(method).add(new Scripted(status, "http_" + status, 0));
        return this;
    }

    /** A message someone else wrote in a channel, as if posted there; returns its {@code ts}. */
    synchronized String userMessage(String channel, String text) {
        String ts = String.format("%d.%06d", nextTs / 1_000_000, nextTs % 1_000_000);
        nextTs++;
        JsonObject m = new JsonObject();
        m.addProperty("text", text);
        m.addProperty("channel", channel);
        messages.put(ts, m);
        return ts;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> calls(String method) {
        return calls().stream().filter(c -> c.method().equals(method)).toList();
    }

    /** The current text of a message the bot posted (after any updates). */
    synchronized String messageText(String ts) {
        JsonObject m = messages.get(ts);
        return m == null ? "" : m.get("text").getAsString();
    }

    synchronized int callCount() {
        return calls.size();
    }

    /** Waits until a call matches; fails with the calls seen so far if none does in time. */
    Call await(Predicate<Call> matching, Duration timeout) {
        return await(0, matching, timeout);
    }

    /** Waits until a call from the {@code from}-th on matches. */
    Call await(int from, Predicate<Call> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                for (Call c : calls.subList(Math.min(from, calls.size()), calls.size())) {
                    if (matching.test(c)) {
                        return c;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching Slack call within " + timeout + "; calls: " + describe(calls));
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted");
                }
            }
        }
    }

    static String describe(List<Call> calls) {
        StringBuilder sb = new StringBuilder();
        calls.forEach(c -> sb.append("\n  ").append(c.method()).append(' ').append(c.status()).append(' ')
                .append(c.params()));
        return sb.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private Deque<Scripted> queue(String method) {
        return scripted.computeIfAbsent(method, m -> new ArrayDeque<>());
    }

    private void api(HttpExchange ex) throws IOException {
        String method = ex.getRequestURI().getPath().substring("/api/".length());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> params = form(body);
        String auth = Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")).orElse("");
        Optional<JsonArray> blocks = Optional.ofNullable(params.get("blocks")).filter(b -> !b.isEmpty())
                .map(b -> JsonParser.parseString(b).getAsJsonArray());
        JsonObject answer;
        int status = 200;
        int retryAfter = 0;
        synchronized (this) {
            Scripted s = Optional.ofNullable(scripted.get(method)).map(Deque::poll).orElse(null);
            if (s != null) {
                status = s.status();
                retryAfter = s.retryAfter();
                answer = error(s.error());
            } else {
                answer = answer(method, params, auth, blocks);
            }
            calls.add(new Call(method, params, blocks, auth, status, answer));
            notifyAll();
        }
        if (retryAfter > 0) {
            ex.getResponseHeaders().add("Retry-After", String.valueOf(retryAfter));
        }
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        send(ex, status, answer.toString());
    }

    private void responseUrl(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        JsonObject json = JsonParser.parseString(body).getAsJsonObject();
        Map<String, String> params = new LinkedHashMap<>();
        json.entrySet().forEach(e -> {
            if (e.getValue().isJsonPrimitive()) {
                params.put(e.getKey(), e.getValue().getAsString());
            }
        });
        params.put("path", ex.getRequestURI().getPath());
        Optional<JsonArray> blocks = json.has("blocks") ? Optional.of(json.getAsJsonArray("blocks")) : Optional.empty();
        int status = 200;
        int retryAfter = 0;
        synchronized (this) {
            Scripted s = Optional.ofNullable(scripted.get("response_url")).map(Deque::poll).orElse(null);
            if (s != null) {
                status = s.status();
                retryAfter = s.retryAfter();
            }
            JsonObject answer = new JsonObject();
            answer.addProperty("ok", status == 200);
            calls.add(new Call("response_url", params, blocks, "", status, answer));
            notifyAll();
        }
        if (retryAfter > 0) {
            ex.getResponseHeaders().add("Retry-After", String.valueOf(retryAfter));
        }
        send(ex, status, status == 200 ? "ok" : "error");
    }

    /** Called holding the lock. */
    private JsonObject answer(String method, Map<String, String> params, String auth, Optional<JsonArray> blocks) {
        String expected = method.equals("apps.connections.open") ? appToken : botToken;
        if (!auth.equals("Bearer " + expected)) {
            return error(auth.isEmpty() ? "not_authed" : "invalid_auth");
        }
        JsonObject ok = new JsonObject();
        ok.addProperty("ok", true);
        String channel = params.getOrDefault("channel", "");
        ChannelKind kind = channels.getOrDefault(channel, ChannelKind.PUBLIC_MEMBER);
        switch (method) {
            case "auth.test" -> {
                ok.addProperty("url", "https://fake.slack.test/");
                ok.addProperty("team", "Fake Team");
                ok.addProperty("user", "nginx502");
                ok.addProperty("team_id", TEAM);
                ok.addProperty("user_id", BOT_USER);
                ok.addProperty("bot_id", "B0BOT");
            }
            case "apps.connections.open" -> ok.addProperty("url", socketUrl);
            case "conversations.join" -> {
                if (kind == ChannelKind.PRIVATE_NOT_MEMBER) {
                    return error("method_not_supported_for_channel_type");
                }
                channels.put(channel, ChannelKind.PUBLIC_MEMBER);
                JsonObject c = new JsonObject();
                c.addProperty("id", channel);
                ok.add("channel", c);
            }
            case "chat.postMessage" -> {
                if (kind != ChannelKind.PUBLIC_MEMBER) {
                    return error("not_in_channel");
                }
                if (params.getOrDefault("text", "").isEmpty() && blocks.isEmpty()) {
                    return error("no_text");
                }
                String threadTs = params.get("thread_ts");
                if (threadTs != null && !messages.containsKey(threadTs)) {
                    return error("thread_not_found");
                }
                String ts = String.format("%d.%06d", nextTs / 1_000_000, nextTs % 1_000_000);
                nextTs++;
                JsonObject m = new JsonObject();
                m.addProperty("text", params.getOrDefault("text", ""));
                blocks.ifPresent(b -> m.add("blocks", b));
                messages.put(ts, m);
                ok.addProperty("channel", channel);
                ok.addProperty("ts", ts);
                ok.add("message", m);
            }
            case "chat.update" -> {
                JsonObject m = messages.get(params.getOrDefault("ts", ""));
                if (m == null) {
                    return error("message_not_found");
                }
                m.addProperty("text", params.getOrDefault("text", ""));
                ok.addProperty("channel", channel);
                ok.addProperty("ts", params.get("ts"));
                ok.addProperty("text", params.getOrDefault("text", ""));
            }
            default -> {
                return error("unknown_method");
            }
        }
        return ok;
    }

    private static JsonObject error(String error) {
        JsonObject o = new JsonObject();
        o.addProperty("ok", false);
        o.addProperty("error", error);
        return o;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
