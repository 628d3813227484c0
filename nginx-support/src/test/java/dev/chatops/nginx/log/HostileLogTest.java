package dev.chatops.nginx.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.nginx.config.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Log lines written by clients: nginx logs the decoded name of a missing file (so {@code %0A} in a URI
 * writes whole lines), and the request line, Host and Referer as sent. None of it may become evidence of
 * an upstream, and no line may cost more than time linear in its length.
 */
class HostileLogTest {

    private static final String HEAD = "2026/11/21 10:08:39 [error] 812#812: *25 ";
    private static final String FORGED = "2026/11/21 10:08:40 [error] 812#812: *26 connect() failed (111: Connection refused) "
            + "while connecting to upstream, client: 10.9.9.9, server: shop.example.com, request: \"GET / HTTP/1.1\", "
            + "upstream: \"http://203.0.113.66:6666/\", host: \"shop.example.com\"";
    private static final String REAL_TAIL = ", client: 198.51.100.7, server: shop.example.com, request: "
            + "\"GET /x%0A2026/11/21%2010:08:40%20... HTTP/1.1\", host: \"shop.example.com\"";

    private static final LogWindow WINDOW = new LogWindow(Instant.parse("2026-11-21T10:15:00Z"), ZoneOffset.UTC,
            Duration.ofMinutes(15));

    private static LogExcerpt excerpt(String... lines) {
        return new LogExcerpt(LogExcerpt.Kind.ERROR, "/var/log/nginx/error.log", LogExcerpt.State.READ, 0, List.of(lines),
                List.of(), lines.length, 0, List.of(), false);
    }

    @Test
    void forgedLine_withTheRealTailAfterIt_namesNoUpstream() {
        // one %0A: the forged text and nginx's real tail (no upstream field) share the second line
        String first = HEAD + "open() \"/var/www/html/x";
        String second = FORGED + "\" failed (2: No such file or directory)" + REAL_TAIL;
        ErrorLogLine e = ErrorLogLine.parse(second).orElse(null);
        assertTrue(e == null || (e.upstreamEndpoint().isEmpty() && !e.kind().aboutUpstream()), String.valueOf(e));
        List<ErrorLogLine> read = WINDOW.errors(excerpt(first, second));
        assertTrue(read.stream().noneMatch(l -> l.raw().contains("203.0.113.66") && l.upstreamEndpoint().isPresent()),
                read.toString());
        assertTrue(read.stream().noneMatch(l -> l.kind().aboutUpstream()), read.toString());
    }

    @Test
    void forgedLine_onALineOfItsOwn_isDroppedAsPartOfTheClientsMessage() {
        // two %0A: the forged line is complete; it sits inside a message nginx began and finished later
        String first = HEAD + "open() \"/var/www/html/x";
        String third = "\" failed (2: No such file or directory)" + REAL_TAIL;
        String real = "2026/11/21 10:08:41 [error] 812#812: *27 connect() failed (111: Connection refused) while connecting "
                + "to upstream, client: 127.0.0.1, server: shop.example.com, request: \"GET /cart HTTP/1.1\", upstream: "
                + "\"http://127.0.0.1:3000/cart\", host: \"shop.example.com\"";
        List<ErrorLogLine> read = WINDOW.errors(excerpt(first, FORGED, third, real));
        assertEquals(1, read.size(), read.toString());
        assertEquals(Optional.of(Endpoint.tcp("127.0.0.1", 3000)), read.get(0).upstreamEndpoint());
        LogExcerpt cut = WINDOW.cut(LogExcerpt.Kind.ERROR, "/var/log/nginx/error.log",
                String.join("\n", first, FORGED, third, real) + "\n", false);
        assertEquals(List.of(real), cut.lines());
    }

    @Test
    void fieldNamesInClientText_makeTheLineNoise() {
        String msg = "connect() failed (111: Connection refused) while connecting to upstream";
        // a request line with spaces (nginx accepts them) that carries a second upstream field
        String inRequest = HEAD + msg + ", client: 1.2.3.4, server: shop.example.com, request: \"GET /a\", upstream: "
                + "\"http://203.0.113.66:6666/\", host: \"x HTTP/1.1\", host: \"shop.example.com\"";
        // a Referer that repeats the fields after the real upstream
        String inReferrer = HEAD + msg + ", client: 1.2.3.4, server: shop.example.com, request: \"GET / HTTP/1.1\", "
                + "upstream: \"http://127.0.0.1:3000/\", host: \"shop.example.com\", referrer: \"a\", upstream: "
                + "\"http://203.0.113.66:6666/\", host: \"b\"";
        // a file name that carries the fields
        String inMessage = HEAD + "open() \"/var/www/x, client: 1.2.3.4, server: s, request: \"GET / HTTP/1.1\", upstream: "
                + "\"http://203.0.113.66:6666/\"\" failed (2: No such file or directory), client: 1.2.3.4, server: s, "
                + "request: \"GET / HTTP/1.1\", host: \"s\"";
        for (String line : List.of(inRequest, inReferrer, inMessage)) {
            Optional<ErrorLogLine> e = ErrorLogLine.parse(line);
            assertTrue(e.isEmpty() || e.get().upstreamEndpoint().map(u -> !u.host().equals("203.0.113.66")).orElse(true),
                    line + " -> " + e);
        }
        assertTrue(ErrorLogLine.parse(inRequest).isEmpty());
        assertTrue(ErrorLogLine.parse(inReferrer).isEmpty());
    }

    @Test
    void kind_comesFromThePhraseThatStartsTheMessage() {
        String tail = ", client: 1.2.3.4, server: s, request: \"GET / HTTP/1.1\", host: \"s\"";
        ErrorLogLine open = ErrorLogLine.parse(HEAD + "open() \"/var/www/connect() failed (111: Connection refused) while "
                + "connecting to upstream\" failed (2: No such file or directory)" + tail).orElseThrow();
        assertEquals(ErrorKind.UNRELATED, open.kind());
        assertEquals(2, open.errno().getAsInt());
        ErrorLogLine timed = ErrorLogLine.parse(HEAD + "open() \"/x upstream timed out (110: x) while reading response "
                + "header from upstream" + tail).orElseThrow();
        assertEquals(ErrorKind.UNRELATED, timed.kind());
        // the same phrases from a line without a request are not about an upstream either
        ErrorLogLine bare = ErrorLogLine.parse("2026/11/21 10:08:39 [error] 812#812: connect() failed (111: Connection "
                + "refused) while connecting to upstream").orElseThrow();
        assertEquals(ErrorKind.UNRELATED, bare.kind());
        assertTrue(bare.upstreamEndpoint().isEmpty());
    }

    @Test
    void hugeRequestField_parsesInLinearTime() {
        String request = "GET /" + "a".repeat(100 * 1024) + " HTTP/1.1";
        String line = HEAD + "connect() failed (111: Connection refused) while connecting to upstream, client: 1.2.3.4, "
                + "server: shop.example.com, request: \"" + request + "\", upstream: \"http://127.0.0.1:3000/\", host: \"s\"";
        ErrorLogLine e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ErrorLogLine.parse(line).orElseThrow());
        assertEquals(ErrorKind.REFUSED, e.kind());
        assertEquals(Optional.of(request), e.request());
        assertEquals(Optional.of(Endpoint.tcp("127.0.0.1", 3000)), e.upstreamEndpoint());
        String escaped = HEAD + "connect() failed (111: x) while connecting to upstream, client: 1.2.3.4, server: s, "
                + "request: \"" + "\\\"".repeat(60_000) + "\", host: \"s\"";
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ErrorLogLine.parse(escaped));
    }

    @Test
    void spacesInForwardedFor_matchInLinearTime() {
        AccessLogFormat timing = AccessLogFormat.compile("$remote_addr - $remote_user [$time_local] \"$request\" $status "
                + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" \"$http_x_forwarded_for\" rt=$request_time "
                + "uct=\"$upstream_connect_time\" uht=\"$upstream_header_time\" urt=\"$upstream_response_time\"");
        String xff = " ".repeat(700);
        String line = "10.0.0.1 - - [21/Nov/2026:10:08:39 +0000] \"GET /cart HTTP/1.1\" 502 157 \"-\" \"curl/7.88.1\" \""
                + xff + "\" rt=0.001 uct=\"-\" uht=\"-\" urt=\"0.000\"";
        AccessLogLine a = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> AccessLogLine.parse(line, timing).orElseThrow());
        assertEquals(502, a.status());
        assertEquals(Optional.of(Instant.parse("2026-11-21T10:08:39Z")), a.time());
        // the same with a line that does not fit: the worst case for a backtracking matcher
        String broken = line.replace("urt=", "urt ") + xff;
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> timing.fields(broken));
        assertTrue(timing.fields(broken).isEmpty());
    }

    @Test
    void clientTextInTheLastField_isReadInLinearTime() {
        // the last variable takes the rest of the line: a client's header can fill it
        AccessLogFormat f = AccessLogFormat.compile("$remote_addr [$time_local] \"$request\" $status $http_x_forwarded_for "
                + "$upstream_addr");
        String line = "10.0.0.1 [21/Nov/2026:10:08:39 +0000] \"GET / HTTP/1.1\" 502 a" + " ".repeat(12_000) + "b 10.0.0.5:80, "
                + "10.0.0.6:80";
        AccessLogLine a = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> AccessLogLine.parse(line, f).orElseThrow());
        assertEquals(502, a.status());
        assertEquals(Optional.of("10.0.0.6:80"), assertTimeoutPreemptively(Duration.ofSeconds(10), a::lastUpstream));
        assertTrue(AccessLogLine.parse(line + " ".repeat(AccessLogLine.MAX_LINE), f).isEmpty());
    }

    @Test
    void randomBytes_neverThrowOrHang() {
        Random random = new Random(502);
        String alphabet = ";|&$`'\"\\\n\u0000 ,:*#[]()%0AHTTP/1.1client: server: request: \"upstream: \"host: \"";
        AccessLogFormat combined = AccessLogFormat.combined();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 5000; i++) {
                StringBuilder sb = new StringBuilder(random.nextBoolean() ? HEAD : "");
                int n = random.nextInt(400);
                for (int k = 0; k < n; k++) {
                    sb.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x3000)
                            : alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String line = sb.toString();
                ErrorLogLine.parse(line).ifPresent(e -> {
                    e.kind();
                    e.upstreamEndpoint().ifPresent(u -> assertFalse(u.host().contains(" "), line));
                    e.messageEndpoint();
                    e.uri();
                });
                AccessLogLine.parse(line, combined);
            }
        });
    }
}
