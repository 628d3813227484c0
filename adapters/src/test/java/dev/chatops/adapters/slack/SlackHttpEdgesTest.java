package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The HTTP endpoint against hostile requests, through the real Bolt app on real Jetty over real
 * HTTP: bodies too large, bodies that would forge log lines, replays of a signed command, and
 * where it listens.
 */
class SlackHttpEdgesTest {

    /** A line a hostile body tries to slip into the bot's log. */
    private static final String FORGED = "2026-11-30 20:00:00 INFO dev.chatops.audit: admin approved everything";

    /** Sends raw bytes over one connection and returns the status line of the answer. */
    private static String raw(int port, String head, byte[]... body) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            try {
                for (byte[] b : body) {
                    out.write(b);
                }
                out.flush();
            } catch (IOException closedEarly) {
                // the server may answer and close before the whole body is sent; its answer still counts
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.write(c);
            }
            return line.toString(StandardCharsets.US_ASCII).trim();
        }
    }

    private static byte[] hostileBytes(int size) {
        StringBuilder sb = new StringBuilder("command=%2Fnginx502&text=web-03\n");
        while (sb.length() < size) {
            sb.append(FORGED).append('\n');
        }
        return sb.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

    private static void assertNothingVerbatim(LogCapture log) {
        assertFalse(log.text().contains("admin approved everything"), "the body reached the log:\n" + log.text());
        assertFalse(log.text().contains("text=web-03"), "the body reached the log:\n" + log.text());
    }

    @Test
    void post_bodyOverCapByContentLength_413BeforeReadingIt_nothingLoggedVerbatim() throws Exception {
        try (SlackHarness h = SlackHarness.builder().startHttp(); LogCapture log = new LogCapture()) {
            int port = h.bot().httpPort().orElseThrow();
            byte[] part = hostileBytes(256 * 1024);
            long declared = 5L * 1024 * 1024;

            String status = raw(port, "POST " + SlackBot.EVENTS_PATH + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + declared + "\r\n\r\n",
                    part);

            assertEquals("HTTP/1.1 413 Payload Too Large", status);
            assertNothingVerbatim(log);
            assertTrue(log.text().contains("body too large (" + declared + " bytes declared; at most 65536)"),
                    log.text());
            assertEquals(0, h.transport().sessionsOpened());
            assertEquals("Checking web-03…", h.send("/nginx502 web-03").text(), "the endpoint still answers");
        }
    }

    @Test
    void post_chunkedBodyOverCap_413WhileReading_nothingLoggedVerbatim() throws Exception {
        try (SlackHarness h = SlackHarness.builder().startHttp(); LogCapture log = new LogCapture()) {
            int port = h.bot().httpPort().orElseThrow();
            byte[] chunk = hostileBytes(16 * 1024);
            byte[] framed = frame(chunk);
            byte[][] chunks = new byte[6][];
            java.util.Arrays.fill(chunks, framed);

            String status = raw(port, "POST " + SlackBot.EVENTS_PATH + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n", chunks);

            assertEquals("HTTP/1.1 413 Payload Too Large", status);
            assertNothingVerbatim(log);
            assertTrue(log.text().contains("body too large (more than 65536 bytes sent"), log.text());
            assertEquals(0, h.transport().sessionsOpened());
        }
    }

    private static byte[] frame(byte[] chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(chunk);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void post_unsignedBodyWithNewlines_401AndOneEscapedLineWithoutTheBody() {
        try (SlackHarness h = SlackHarness.builder().startHttp(); LogCapture log = new LogCapture()) {
            String body = "command=/nginx502&text=web-03\n" + FORGED + "\r\n" + FORGED;
            // Bolt logs a body it cannot place before it checks the signature; this one is such a body
            String unplaceable = "text=web-03\n" + FORGED;

            SlackHarness.Ack refused = h.post(body, Map.of("X-Slack-Request-Timestamp", "1\t" + FORGED));
            SlackHarness.Ack alsoRefused = h.post(unplaceable, Map.of());

            assertEquals(401, refused.status(), refused.body());
            assertEquals(401, alsoRefused.status(), alsoRefused.body());
            assertNothingVerbatim(log);
            List<String> lines = log.lines().stream().filter(l -> l.contains("refused a request")).toList();
            assertEquals(2, lines.size(), log.text());
            assertTrue(lines.get(0).contains("timestamp 1\\t2026-11-30 20:00:"), lines.get(0));
            assertTrue(lines.get(0).contains("more chars)"), lines.get(0));
            assertFalse(log.lines().stream().anyMatch(l -> l.startsWith("2026-11-30")), log.text());
            assertEquals(0, h.transport().sessionsOpened());
        }
    }

    @Test
    void post_signedButNotASlashCommand_refusedWithoutLoggingTheBody() {
        try (SlackHarness h = SlackHarness.builder().startHttp(); LogCapture log = new LogCapture()) {
            String body = "hello=web-03\n" + FORGED;
            String broken = "command=%zz" + FORGED + "&text=web-03&" + FORGED;

            SlackHarness.Ack refused = h.post(body, SlackHarness.signed(body));
            SlackHarness.Ack alsoRefused = h.post(broken, SlackHarness.signed(broken));

            assertEquals(404, refused.status(), refused.body());
            assertEquals(404, alsoRefused.status(), alsoRefused.body());
            assertNothingVerbatim(log);
            assertTrue(log.text().contains("not a configured slash command (command (none))"), log.text());
        }
    }

    @Test
    void post_sameSignedCommandThreeTimes_oneConversation_copiesAcknowledged() throws Exception {
        try (SlackHarness h = SlackHarness.builder().startHttp(); LogCapture log = new LogCapture()) {
            int from = h.api().callCount();
            String body = h.commandBody("/nginx502 web-03", SlackHarness.CHANNEL, SlackHarness.USER);
            Map<String, String> headers = SlackHarness.signed(body);

            SlackHarness.Ack first = h.post(body, headers);
            SlackHarness.Ack second = h.post(body, headers);
            SlackHarness.Ack third = h.post(body, headers);

            assertEquals("Checking web-03…", first.text());
            for (SlackHarness.Ack copy : List.of(second, third)) {
                assertEquals(200, copy.status());
                assertEquals("", copy.body(), "a copy is acknowledged with nothing to show");
            }
            h.conversation(from, first, SlackHarness.CHANNEL);
            Thread.sleep(300);
            assertEquals(1, h.api().calls("chat.postMessage").stream().filter(c -> c.threadTs().isEmpty()).count(),
                    FakeSlackApi.describe(h.api().calls()));
            assertEquals(1, h.auditLines().size(), h.auditText());
            assertEquals(1, h.transport().sessionsOpened());
            assertEquals(2, log.lines().stream().filter(l -> l.contains("ignored a copy of a signed request")).count(),
                    log.text());

            // the same command typed again is a new request (new timestamp or body), and runs
            SlackHarness.SlackThread again = h.slash("/nginx502 web-03 fresh");
            assertEquals("Checking web-03 (fresh)…", again.ack().text());
        }
    }

    @Test
    void start_httpModeWithoutBind_listensOnLoopbackOnly() {
        try (LogCapture log = new LogCapture(); SlackHarness h = SlackHarness.builder().startHttp()) {
            InetSocketAddress address = h.bot().httpAddress().orElseThrow();

            // the capture the other tests rely on sees both the bot's log and the libraries'
            assertTrue(log.text().contains("Slack bot listening in HTTP mode on 127.0.0.1:"), log.text());
            assertTrue(log.text().contains("org.eclipse.jetty"), log.text());

            assertTrue(address.getAddress().isLoopbackAddress(), address.toString());
            assertEquals("127.0.0.1", address.getAddress().getHostAddress());
            assertEquals(h.bot().httpPort().orElseThrow(), address.getPort());
        }
    }

    @Test
    void post_floodOfUnsignedRequests_logsAtMostTheBudgetAMinute() {
        MutableClock requestClock = new MutableClock(Instant.now());
        try (SlackHarness h = SlackHarness.builder().requestClock(requestClock).startHttp();
             LogCapture log = new LogCapture()) {
            for (int i = 0; i < SlackBot.REFUSALS_LOGGED_PER_MINUTE + 10; i++) {
                assertEquals(401, h.post("command=/nginx502&text=web-0" + i, Map.of()).status());
            }

            assertEquals(SlackBot.REFUSALS_LOGGED_PER_MINUTE,
                    log.lines().stream().filter(l -> l.contains("refused a request from")).count(), log.text());
        }
    }
}
