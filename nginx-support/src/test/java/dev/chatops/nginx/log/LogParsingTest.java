package dev.chatops.nginx.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.nginx.config.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Error and access log lines as nginx 1.22 writes them (the error lines are copied from recorded faults
 * and from nginx502-causes.md), matched by errno number and nginx's fixed phrases.
 */
class LogParsingTest {

    private static final String SUFFIX = ", client: 127.0.0.1, server: shop.example.com, request: \"GET /cart?x=1 HTTP/1.1\", "
            + "upstream: \"http://127.0.0.1:3000/cart?x=1\", host: \"shop.example.com\"";

    private static ErrorLogLine line(String message) {
        return ErrorLogLine.parse("2026/11/21 10:08:39 [error] 812#812: *25 " + message + SUFFIX).orElseThrow();
    }

    @Test
    void errorLine_readsEveryField() {
        ErrorLogLine e = line("connect() failed (111: Connection refused) while connecting to upstream");
        assertEquals("error", e.level());
        assertEquals(111, e.errno().getAsInt());
        assertEquals(Optional.of("shop.example.com"), e.server());
        assertEquals(Optional.of("GET /cart?x=1 HTTP/1.1"), e.request());
        assertEquals(Optional.of("/cart"), e.uri());
        assertEquals(Optional.of(Endpoint.tcp("127.0.0.1", 3000)), e.upstreamEndpoint());
        assertEquals(Optional.of("http"), e.upstreamScheme());
        assertEquals("connecting to upstream", e.phase());
        assertEquals(ErrorKind.REFUSED, e.kind());
    }

    @Test
    void errorLine_sameErrnoReadsTheSameWithMusl() {
        // Alpine's musl words errno 110 differently: the kind must not change
        ErrorLogLine glibc = line("upstream timed out (110: Connection timed out) while reading response header from upstream");
        ErrorLogLine musl = line("upstream timed out (110: Operation timed out) while reading response header from upstream");
        assertEquals(ErrorKind.READ_TIMEOUT, glibc.kind());
        assertEquals(ErrorKind.READ_TIMEOUT, musl.kind());
        assertEquals(ErrorKind.REFUSED, line("connect() failed (111: Connection refused by peer) while connecting to upstream")
                .kind());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "connect() failed (111: Connection refused) while connecting to upstream|REFUSED|502",
        "connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream|NO_SOCKET_FILE|502",
        "connect() to unix:/run/php/php8.2-fpm.sock failed (13: Permission denied) while connecting to upstream|PERMISSION|502",
        "connect() to 127.0.0.1:8080 failed (13: Permission denied) while connecting to upstream|PERMISSION|502",
        "upstream timed out (110: Connection timed out) while connecting to upstream|CONNECT_TIMEOUT|504",
        "upstream timed out (110: Connection timed out) while sending request to upstream|SEND_TIMEOUT|504",
        "connect() failed (113: No route to host) while connecting to upstream|UNREACHABLE|502",
        "connect() failed (101: Network is unreachable) while connecting to upstream|UNREACHABLE|502",
        "upstream prematurely closed connection while reading response header from upstream|PREMATURE_CLOSE|502",
        "recv() failed (104: Connection reset by peer) while reading response header from upstream|RESET|502",
        "upstream sent too big header while reading response header from upstream|TOO_BIG_HEADER|502",
        "upstream sent invalid header: \"Bad\\x20...\" while reading response header from upstream|INVALID_HEADER|502",
        "upstream sent duplicate header line: \"Transfer-Encoding: chunked\", previous value: \"Transfer-Encoding: chunked\" while reading response header from upstream|INVALID_HEADER|502",
        "upstream sent no valid HTTP/1.0 header while reading response header from upstream|NO_VALID_HTTP|9",
        "upstream sent unsupported FastCGI protocol version: 72 while reading response header from upstream|FASTCGI_PROTOCOL|502",
        "upstream SSL certificate verify error: (18:self-signed certificate) while SSL handshaking to upstream|SSL_VERIFY|502",
        "SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking to upstream|SSL_HANDSHAKE|502",
        "peer closed connection in SSL handshake while SSL handshaking to upstream|SSL_HANDSHAKE|502",
        "no resolver defined to resolve api.internal.example|NO_RESOLVER|502",
        "api.internal.example could not be resolved (3: Host not found)|NOT_RESOLVED|502",
        "no live upstreams while connecting to upstream|NO_LIVE|502",
        "connect() to unix:/run/php/php8.2-fpm.sock failed (11: Resource temporarily unavailable) while connecting to upstream|AGAIN|502",
        "connect() failed (99: Cannot assign requested address) while connecting to upstream|ADDR_NOT_AVAIL|502",
        "socket() failed (24: Too many open files) while connecting to upstream|TOO_MANY_FILES|500",
        "6 worker_connections are not enough while connecting to upstream|WORKER_CONNECTIONS|500",
        "open() \"/usr/share/nginx/html/favicon.ico\" failed (2: No such file or directory)|UNRELATED|0",
    })
    void errorKind_followsTheCatalogue(String message, ErrorKind kind, int status) {
        ErrorLogLine e = line(message);
        assertEquals(kind, e.kind(), message);
        assertEquals(status, e.kind().status());
    }

    @Test
    void errorLine_withoutRequestFields() {
        ErrorLogLine e = ErrorLogLine.parse("2026/11/21 11:20:05 [emerg] 4711#4711: host not found in upstream "
                + "\"api-2.internal.invalid:8080\" in /tmp/nginx502-lab/host-not-found/conf.d/site.conf:3").orElseThrow();
        assertEquals("emerg", e.level());
        assertEquals(ErrorKind.HOST_NOT_FOUND, e.kind());
        assertTrue(e.upstream().isEmpty());
        assertTrue(ErrorLogLine.parse("not an error log line").isEmpty());
    }

    @Test
    void errorLine_unixUpstreamAndIpv6Peers() {
        ErrorLogLine unix = ErrorLogLine.parse("2026/11/21 10:52:28 [crit] 12690#12690: *19 connect() to "
                + "unix:/run/php/php7.4-fpm.sock failed (2: No such file or directory) while connecting to upstream, "
                + "client: 127.0.0.1, server: shop.example.com, request: \"GET /index.php HTTP/1.1\", upstream: "
                + "\"fastcgi://unix:/run/php/php7.4-fpm.sock:\", host: \"shop.example.com\"").orElseThrow();
        assertEquals(Optional.of(Endpoint.unix("/run/php/php7.4-fpm.sock")), unix.upstreamEndpoint());
        assertEquals(Optional.of("fastcgi"), unix.upstreamScheme());
        ErrorLogLine v6 = ErrorLogLine.parse("2026/11/21 10:52:28 [error] 1#1: *1 connect() failed (111: Connection "
                + "refused) while connecting to upstream, client: ::1, server: app.example.com, request: \"GET / HTTP/1.1\", "
                + "upstream: \"http://[::1]:8080/\", host: \"app.example.com\"").orElseThrow();
        assertEquals(Optional.of(Endpoint.tcp("[::1]", 8080)), v6.upstreamEndpoint());
        assertEquals("::1", v6.upstreamEndpoint().get().bareHost());
    }

    @Test
    void combined_readsStatusTimeAndRequest() {
        AccessLogLine a = AccessLogLine.parse("127.0.0.1 - - [21/Nov/2026:10:52:27 +0000] \"GET /cart HTTP/1.1\" 502 157 "
                + "\"-\" \"curl/7.88.1\"", AccessLogFormat.combined()).orElseThrow();
        assertEquals(502, a.status());
        assertEquals(Optional.of(Instant.parse("2026-11-21T10:52:27Z")), a.time());
        assertEquals(Optional.of("GET /cart HTTP/1.1"), a.request());
    }

    @Test
    void customFormat_readsUpstreamFields() {
        AccessLogFormat f = AccessLogFormat.compile("$remote_addr - $remote_user [$time_local] \"$request\" $status "
                + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" upstream_addr=$upstream_addr "
                + "upstream_status=$upstream_status request_time=$request_time host=$host");
        AccessLogLine a = AccessLogLine.parse("10.1.2.3 - - [21/Nov/2026:10:52:27 +0100] \"POST /api/orders HTTP/2.0\" 504 "
                + "167 \"-\" \"okhttp/4.12\" upstream_addr=10.0.0.5:8080, 10.0.0.6:8080 upstream_status=502, 504 "
                + "request_time=60.003 host=api.example.com", f).orElseThrow();
        assertEquals(504, a.status());
        assertEquals(Optional.of("10.0.0.6:8080"), a.lastUpstream());
        assertEquals(Optional.of("api.example.com"), a.host());
        assertEquals(Optional.of(Instant.parse("2026-11-21T09:52:27Z")), a.time());
    }

    @Test
    void jsonFormat_readsIsoTimeAndStatus() {
        AccessLogFormat f = AccessLogFormat.compile("{\"time\":\"$time_iso8601\",\"host\":\"$host\",\"status\":\"$status\","
                + "\"upstream\":\"$upstream_addr\",\"request\":\"$request\"}");
        AccessLogLine a = AccessLogLine.parse("{\"time\":\"2026-11-21T10:52:27+00:00\",\"host\":\"shop.example.com\","
                + "\"status\":\"502\",\"upstream\":\"unix:/run/php/php8.2-fpm.sock\",\"request\":\"GET / HTTP/1.1\"}", f)
                .orElseThrow();
        assertEquals(502, a.status());
        assertEquals(Optional.of("unix:/run/php/php8.2-fpm.sock"), a.upstreamAddr());
        assertEquals(Optional.of(Instant.parse("2026-11-21T10:52:27Z")), a.time());
    }

    @Test
    void lineInAnotherFormat_fallsBackToCombinedShape() {
        AccessLogFormat json = AccessLogFormat.compile("{\"status\":\"$status\"}");
        AccessLogLine a = AccessLogLine.parse("127.0.0.1 - - [21/Nov/2026:10:52:27 +0000] \"GET / HTTP/1.1\" 504 167 \"-\" "
                + "\"curl\"", json).orElseThrow();
        assertEquals(504, a.status());
    }

    @Test
    void window_judgesLinesByTheHostClockAndZone() {
        LogWindow w = new LogWindow(Instant.parse("2026-11-21T10:15:00Z"), ZoneOffset.ofHours(1), Duration.ofMinutes(15));
        LogExcerpt ex = new LogExcerpt(LogExcerpt.Kind.ERROR, "/var/log/nginx/error.log", LogExcerpt.State.READ, 0,
                List.of("2026/11/21 11:01:00 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to "
                                + "upstream" + SUFFIX,
                        "2026/11/21 10:59:59 [error] 1#1: *2 connect() failed (111: Connection refused) while connecting to "
                                + "upstream" + SUFFIX),
                List.of(), 2, 0, List.of(), false);
        // 11:01 at +01:00 is 10:01Z, inside 10:00–10:15; 10:59:59 at +01:00 is before the window
        assertEquals(1, w.errors(ex).size());
    }

    @Test
    void rawTail_isCutLikeTheHostScriptCutsIt() {
        LogWindow w = new LogWindow(Instant.parse("2026-11-21T10:15:00Z"), ZoneOffset.UTC, Duration.ofMinutes(15));
        String raw = "partial line from the byte cut\n"
                + "2026/11/21 09:00:00 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream"
                + SUFFIX + "\n"
                + "2026/11/21 10:10:00 [info] 1#1: *2 client closed connection while waiting for request\n"
                + "2026/11/21 10:10:01 [error] 1#1: *3 connect() failed (111: Connection refused) while connecting to upstream"
                + SUFFIX + "\n";
        LogExcerpt ex = w.cut(LogExcerpt.Kind.ERROR, "/var/log/nginx/error.log", raw, true);
        assertEquals(1, ex.total());
        assertEquals(1, ex.olderCount());
        assertEquals(1, w.errors(ex).size());
    }
}
