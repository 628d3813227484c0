package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.servlet.ServletAdapterOps;
import com.slack.api.bolt.util.SlackRequestParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * {@code POST /slack/events}: takes a request from Slack and hands it to the Bolt app only once it
 * is known to be Slack's. In order: a body over {@link #MAX_BODY} is refused with 413 before it is
 * read whole (by its Content-Length, or while reading one sent without); a request without a
 * valid, recent signature gets 401; a copy of a request already taken is acknowledged and starts
 * nothing; a signed request that is not one of the configured slash commands or message shortcuts gets 404. Nothing
 * from a request's body is ever logged: a refusal is one line with the address, the size and, at
 * most, short escaped header values, and only so many such lines a minute ({@link RefusalLog}). (Bolt itself logs a body it cannot place, before checking its
 * signature; no such body reaches it from here.)
 */
final class EventsServlet extends HttpServlet {

    /**
     * Slack's slash command payloads are a few KiB; this leaves room and refuses floods. A message shortcut's
     * payload carries the whole message twice (text and blocks, URL-encoded JSON), so a shortcut on a message of
     * more than about 10,000 characters is refused here.
     */
    static final int MAX_BODY = 64 * 1024;

    private static final System.Logger LOG = System.getLogger(EventsServlet.class.getName());
    private static final long serialVersionUID = 1L;

    private final transient App app;
    private final transient SlackRequestParser parser;
    private final transient SlackSignature signature;
    private final transient ReplayGuard replays;
    private final transient RefusalLog refusals;
    private final Set<String> commands;
    private final Set<String> shortcuts;

    EventsServlet(App app, SlackSignature signature, ReplayGuard replays, RefusalLog refusals, Set<String> commands) {
        this(app, signature, replays, refusals, commands, Set.of());
    }

    /**
     * @param refusals  where the one line about each refused request goes
     * @param shortcuts callback ids of the message shortcuts the app answers
     */
    EventsServlet(App app, SlackSignature signature, ReplayGuard replays, RefusalLog refusals, Set<String> commands,
                  Set<String> shortcuts) {
        this.shortcuts = Set.copyOf(requireNonNull(shortcuts, "shortcuts is null"));
        this.app = requireNonNull(app, "app is null");
        this.parser = new SlackRequestParser(app.config());
        this.signature = requireNonNull(signature, "signature is null");
        this.replays = requireNonNull(replays, "replays is null");
        this.refusals = requireNonNull(refusals, "refusals is null");
        this.commands = Set.copyOf(requireNonNull(commands, "commands is null"));
    }


    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > MAX_BODY) {
            tooLarge(req, resp, declared + " bytes declared");
            return;
        }
        byte[] body = readAtMost(req.getInputStream(), MAX_BODY);
        if (body == null) {
            tooLarge(req, resp, "more than " + MAX_BODY + " bytes sent");
            return;
        }
        String ts = req.getHeader("X-Slack-Request-Timestamp");
        String sig = req.getHeader("X-Slack-Signature");
        OptionalLong signedAt = signature.verify(ts, sig, body);
        if (signedAt.isEmpty()) {
            refusals.warn("refused a request from " + from(req) + " (" + body.length
                    + " bytes, timestamp " + LogText.escape(ts, 20) + "): no valid signature from the past "
                    + SlackSignature.WINDOW.toMinutes() + " minutes");
            plain(resp, HttpServletResponse.SC_UNAUTHORIZED, "Invalid signature or stale timestamp");
            return;
        }
        if (!replays.firstTime(signedAt.getAsLong(), sig)) {
            refusals.warn("ignored a copy of a signed request already taken, from "
                    + from(req) + " (timestamp " + signedAt.getAsLong() + ")");
            resp.setStatus(HttpServletResponse.SC_OK);
            return;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        List<String> command = formValues(text, "command");
        boolean sslCheck = !formValues(text, "ssl_check").isEmpty();
        boolean shortcut = command.isEmpty() && isShortcut(formValues(text, "payload"));
        if (!sslCheck && !shortcut && (command.size() != 1 || !commands.contains(command.get(0)))) {
            refusals.warn("refused a signed request from " + from(req) + " that is not a "
                    + "configured slash command (command " + LogText.escape(command.isEmpty() ? null
                    : String.join(",", command), 40) + ")");
            plain(resp, HttpServletResponse.SC_NOT_FOUND, "Not a configured slash command");
            return;
        }
        try {
            // the URL's query string is not signed, and the app needs none: it is not passed on
            Request<?> slackRequest = parser.parse(SlackRequestParser.HttpRequest.builder()
                    .requestUri(req.getRequestURI())
                    .queryString(Map.of())
                    .headers(new RequestHeaders(ServletAdapterOps.toHeaderMap(req)))
                    .requestBody(text)
                    .remoteAddress(req.getRemoteAddr())
                    .build());
            if (slackRequest == null) {
                plain(resp, HttpServletResponse.SC_BAD_REQUEST, "Invalid Request");
                return;
            }
            Response answer = app.run(slackRequest);
            ServletAdapterOps.writeResponse(resp, answer);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "failed to answer a slash command: " + LogText.escape(e.toString(), 300));
            plain(resp, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "Something is wrong");
        }
    }

    /** A message shortcut's payload naming one of ours (anything else interactive is not taken here). */
    private boolean isShortcut(List<String> payload) {
        if (payload.size() != 1) {
            return false;
        }
        try {
            JsonElement json = JsonParser.parseString(payload.get(0));
            if (!json.isJsonObject()) {
                return false;
            }
            JsonObject o = json.getAsJsonObject();
            return text(o, "type").equals("message_action") && shortcuts.contains(text(o, "callback_id"));
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }

    private void tooLarge(HttpServletRequest req, HttpServletResponse resp, String size) throws IOException {
        refusals.warn("refused a request from " + from(req) + ": body too large (" + size
                + "; at most " + MAX_BODY + ")");
        // the rest of the body is not read: closing the connection is cheaper than draining it
        resp.setHeader("Connection", "close");
        plain(resp, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Request body over " + MAX_BODY + " bytes");
    }

    private static void plain(HttpServletResponse resp, int status, String text) throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/plain;charset=utf-8");
        resp.getWriter().write(text);
    }

    private static String from(HttpServletRequest req) {
        return LogText.escape(req.getRemoteAddr(), 64);
    }

    /** The values of a form field in a urlencoded body; none when absent or not decodable. */
    static List<String> formValues(String body, String name) {
        List<String> values = new ArrayList<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            try {
                if (URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                    values.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            } catch (IllegalArgumentException malformed) {
                // a broken escape is not Slack's doing; such a field counts as absent
            }
        }
        return values;
    }

    /** The whole body, or null as soon as it proves longer than {@code max}. */
    static byte[] readAtMost(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 8192));
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            if (out.size() + n > max) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
