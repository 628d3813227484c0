package dev.chatops.checks.nginx502.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.Fixtures;
import dev.chatops.checks.nginx502.Nginx502Check;
import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.EvidenceLine;
import dev.chatops.core.spi.Explanation;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.PastedText;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pasted lines explained with no host: the lines are taken from the recorded evidence of real faults (the
 * error, php-fpm and kernel logs the probes read), so each reads as an engineer would paste it.
 */
class ExplainerTest {

    /** What a person copies out of a log: whole log lines, not the probes' section markers. */
    private static final Pattern LOG_LINE = Pattern.compile("^(\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[|\\[ *\\d+\\.\\d+] |"
            + "\\[\\d\\d-[A-Z][a-z]{2}-\\d{4} |type=AVC|audit\\().*");

    static String pastedFrom(String fixture) {
        Evidence e = Fixtures.evidence(fixture);
        return e.probes().values().stream().map(ProbeResult::stdout).flatMap(String::lines)
                .filter(l -> LOG_LINE.matcher(l).matches()).distinct().collect(Collectors.joining("\n"));
    }

    static Explanation explain(String text) {
        return new Nginx502Check().explain(PastedText.of(text)).orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "upstream-down-tcp, upstream-down",
        "upstream-down-unix, upstream-down",
        "upstream-wrong-address-ipv6, upstream-wrong-address",
        "upstream-timeout, upstream-timeout",
        "upstream-connect-timeout, upstream-connect-timeout",
        "upstream-closed-early, upstream-closed-early",
        "upstream-closed-early-reset, upstream-closed-early",
        "buffer-too-small, buffer-too-small",
        "upstream-invalid-header, upstream-invalid-header",
        "upstream-ssl-verify, upstream-ssl-verify",
        "upstream-ssl-handshake, upstream-ssl-handshake",
        "protocol-mismatch-fastcgi-to-http, protocol-mismatch",
        "protocol-mismatch-not-http, protocol-mismatch",
        "dns-resolution-no-resolver, dns-resolution",
        "dns-resolution-host-not-found, dns-resolution",
        "socket-permission, socket-permission",
        "selinux-denied, selinux-denied",
        "apparmor-denied, apparmor-denied",
        "php-fpm-saturated, php-fpm-saturated",
        "worker-connections, worker-connections",
        "fd-exhausted, fd-exhausted",
        "ephemeral-ports-exhausted, ephemeral-ports-exhausted",
        "oom-killed, oom-killed",
        "resources-exhausted, resources-exhausted",
    })
    void explain_linesOfARealFault_leadWithItsCause(String fixture, String id) {
        String pasted = pastedFrom(fixture);
        assertFalse(pasted.isBlank(), "the fixture holds log lines");
        Explanation x = explain(pasted);
        assertEquals(Verdict.CAUSE_FOUND, x.diagnosis().verdict(), x.diagnosis().summary());
        Cause top = x.diagnosis().causes().get(0);
        assertEquals(id, top.id(), () -> x.diagnosis().causes().stream().map(c -> c.id() + " " + c.confidence())
                .toList() + "\n" + pasted);
        assertEquals(CauseId.titleOf(id), top.title());
        assertFalse(top.fixes().isEmpty(), "a fix in general form");
        assertTrue(top.fixes().stream().allMatch(f -> f.at().isEmpty()), "no file:line without a config");
        assertFalse(x.confirming(id).isEmpty(), "what to run to confirm it");
        assertTrue(top.evidence().stream().allMatch(l -> l.source().startsWith("pasted line ")));
    }

    @Test
    void explain_noLiveUpstreamsAfterRefusals_namesBothForTheHostToDecide() {
        // lines alone cannot tell whether the backends are up again (the full check asks them): both are named
        Explanation x = explain(pastedFrom("no-live-upstreams"));
        List<String> ids = x.diagnosis().causes().stream().map(Cause::id).toList();
        assertTrue(ids.containsAll(List.of("upstream-down", "no-live-upstreams")), ids.toString());
        assertTrue(x.diagnosis().causes().stream().filter(c -> c.id().equals("no-live-upstreams")).findFirst()
                .orElseThrow().fixes().stream().anyMatch(f -> f.text().contains("max_fails")));
    }

    @Test
    void explain_refusedConnection_namesDirectivesAndExactCommands() {
        Explanation x = explain("2026/11/21 11:47:19 [error] 2262#2262: *11 connect() failed (111: Connection refused) "
                + "while connecting to upstream, client: 127.0.0.1, server: shop.example.com, request: \"GET /cart "
                + "HTTP/1.1\", upstream: \"http://127.0.0.1:28001/cart\", host: \"shop.example.com\"");
        List<String> ids = x.diagnosis().causes().stream().map(Cause::id).toList();
        assertEquals(List.of("upstream-down", "upstream-wrong-address"), ids);
        assertTrue(x.confirming("upstream-down").contains("sudo ss -ltnp 'sport = :28001'    # empty: nothing listens "
                + "on port 28001"), x.confirm().toString());
        Cause wrong = x.diagnosis().causes().get(1);
        assertTrue(wrong.fixes().stream().anyMatch(f -> f.kind() == Fix.Kind.DIRECTIVE && f.text().startsWith("proxy_pass ")),
                wrong.fixes().toString());
        assertEquals(1, x.recognised().get("nginx error log"));
        assertTrue(x.unmatched().isEmpty());
    }

    @Test
    void explain_fastcgiTimeoutWithPoolFull_leadsWithThePool() {
        Explanation x = explain("""
                2026/11/21 11:48:04 [error] 3301#3301: *7 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 127.0.0.1, server: _, request: "GET /slow.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "localhost"
                [21-Nov-2026 11:48:03] WARNING: [pool www] server reached pm.max_children setting (2), consider raising it
                """);
        Cause top = x.diagnosis().causes().get(0);
        assertEquals("php-fpm-saturated", top.id());
        assertTrue(top.fixes().stream().anyMatch(f -> f.text().startsWith("pm.max_children = 4")), top.fixes().toString());
        Cause timeout = x.diagnosis().causes().stream().filter(c -> c.id().equals("upstream-timeout")).findFirst()
                .orElseThrow();
        assertTrue(timeout.fixes().get(0).text().startsWith("fastcgi_read_timeout "), timeout.fixes().toString());
    }

    @Test
    void explain_phpFpmChildLines_supportClosedEarly() {
        Explanation x = explain("""
                [21-Nov-2026 10:08:39] WARNING: [pool www] child 4120, script '/var/www/html/export.php' (request: "GET /export.php") execution timed out (30.012345 sec), terminating
                [21-Nov-2026 10:08:39] WARNING: [pool www] child 4120 exited on signal 15 (SIGTERM) after 45.101000 seconds from start
                """);
        assertEquals("upstream-closed-early", x.diagnosis().causes().get(0).id());
        assertEquals(2, x.recognised().get("php-fpm log"));
        assertTrue(x.diagnosis().causes().get(0).fixes().stream()
                .anyMatch(f -> f.text().startsWith("request_terminate_timeout")));
    }

    @Test
    void explain_journalAndDmesgForms_areRead() {
        Explanation x = explain("""
                Nov 21 11:47:19 web-03 kernel: Out of memory: Killed process 4242 (python3) total-vm:23843716kB, anon-rss:22412044kB, file-rss:0kB
                Nov 21 11:47:20 web-03 php-fpm8.2[812]: [WARNING] [pool www] server reached pm.max_children setting (5), consider raising it
                2026-11-21T11:47:21.000000+00:00 web-03 nginx: 2026/11/21 11:47:21 [error] 812#812: *3 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.7, server: shop, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:3000/", host: "shop"
                """);
        assertEquals(1, x.recognised().get("kernel log"));
        assertEquals(1, x.recognised().get("php-fpm log"));
        assertEquals(1, x.recognised().get("nginx error log"));
        assertEquals("oom-killed", x.diagnosis().causes().get(0).id(), "the kill is why the connection was refused");
    }

    @Test
    void explain_accessLinesInCommonFormats_countWhatClientsGot() {
        Explanation x = explain("""
                127.0.0.1 - - [21/Nov/2026:11:47:29 +0000] "GET /export/monthly.csv HTTP/1.1" 504 167 "-" "curl/7.88.1"
                10.0.0.5 - - [21/Nov/2026:11:47:30 +0000] "GET /cart HTTP/1.1" 502 157 "-" "Mozilla/5.0" "-"
                10.0.0.5 - - [21/Nov/2026:11:47:31 +0000] "GET /cart HTTP/1.1" 502 157 "-" "Mozilla/5.0" "-" upstream_addr=127.0.0.1:3000 upstream_status=502 urt=0.001
                {"time":"2026-11-21T11:47:32+00:00","status":"502","request":"GET /api HTTP/1.1","upstream_addr":"127.0.0.1:3000","upstream_status":"502","upstream_response_time":"0.000"}
                """);
        assertEquals(4, x.recognised().get("access log"), x.unmatched().toString());
        assertEquals(Verdict.INCONCLUSIVE, x.diagnosis().verdict());
        assertTrue(x.diagnosis().summary().contains("error log"), x.diagnosis().summary());
        assertTrue(x.diagnosis().notes().stream().anyMatch(n -> n.startsWith("clients got 3× 502, 1× 504")),
                x.diagnosis().notes().toString());
    }

    @Test
    void explain_accessLineAfterSixtySeconds_supportsTimeout() {
        Explanation x = explain("{\"time_local\":\"21/Nov/2026:11:47:29 +0000\",\"status\":504,\"request\":\"GET /report "
                + "HTTP/1.1\",\"upstream_addr\":\"10.0.0.9:8080\",\"upstream_response_time\":\"60.004\"}");
        assertEquals("upstream-timeout", x.diagnosis().causes().get(0).id());
    }

    @Test
    void explain_status009WithUpstreamFields_supportsProtocolMismatch() {
        Explanation x = explain("10.0.0.5 - - [21/Nov/2026:11:47:31 +0000] \"GET / HTTP/1.1\" 009 17 \"-\" \"curl/8\" "
                + "upstream_addr=127.0.0.1:28011 upstream_status=009");
        assertEquals("protocol-mismatch", x.diagnosis().causes().get(0).id());
    }

    @Test
    void explain_upstreamGroupNameInAccessLog_supportsNoLiveUpstreams() {
        Explanation x = explain("10.0.0.5 - - [21/Nov/2026:11:47:31 +0000] \"GET / HTTP/1.1\" 502 157 \"-\" \"curl/8\" "
                + "ua=backend us=-");
        assertEquals("no-live-upstreams", x.diagnosis().causes().get(0).id());
    }

    @Test
    void explain_dockerJsonLine_readsTheLineInside() {
        Explanation x = explain("{\"log\":\"2026/11/30 21:13:38 [error] 29#29: *1 connect() failed (111: Connection "
                + "refused) while connecting to upstream, client: 172.17.0.1, server: _, request: \\\"GET /cart HTTP/1.1\\\", "
                + "upstream: \\\"http://127.0.0.1:3000/cart\\\", host: \\\"localhost\\\"\\n\",\"stream\":\"stderr\","
                + "\"time\":\"2026-11-30T21:13:38.014802369Z\"}");
        assertEquals(1, x.recognised().get("nginx error log"), x.unmatched().toString());
        assertEquals("upstream-down", x.diagnosis().causes().get(0).id());
    }

    @Test
    void explain_linesThatMatchNothing_areSaidSo() {
        Explanation x = explain("""
                everything is broken since the deploy
                2026/11/21 11:47:19 [error] 2262#2262: *11 open() "/var/www/html/favicon.ico" failed (2: No such file or directory), client: 127.0.0.1, server: _, request: "GET /favicon.ico HTTP/1.1", host: "localhost"
                HTTP/1.1 502 Bad Gateway
                """);
        assertEquals(Verdict.INCONCLUSIVE, x.diagnosis().verdict());
        assertEquals(List.of(1, 3), x.unmatched().stream().map(PastedText.Line::number).toList());
        assertTrue(x.diagnosis().notes().stream().anyMatch(n -> n.startsWith("2 lines were not recognised") && n.contains(
                "lines 1, 3")), x.diagnosis().notes().toString());
        assertTrue(x.diagnosis().notes().stream().anyMatch(n -> n.startsWith("1 nginx error-log line is not about an "
                + "upstream")), x.diagnosis().notes().toString());
    }

    @Test
    void explain_upstreamErrorWithoutACause_saidSoNotHidden() {
        Explanation x = explain("2026/11/21 11:47:19 [error] 2262#2262: *11 upstream sent more data than specified in "
                + "\"Content-Length\" header while reading upstream, client: 127.0.0.1, server: _, request: \"GET /big HTTP/1.1\", upstream: "
                + "\"http://127.0.0.1:28001/big\", host: \"x\"");
        assertEquals(Verdict.INCONCLUSIVE, x.diagnosis().verdict());
        assertTrue(x.diagnosis().notes().stream().anyMatch(n -> n.startsWith("1 nginx error-log line is an upstream "
                + "error with no cause")), x.diagnosis().notes().toString());
    }

    @Test
    void explain_resetWhileReadingTheBody_lowConfidenceAndSaysClientsGotACutAnswer() {
        Explanation x = explain("2026/11/21 11:47:19 [error] 2262#2262: *11 readv() failed (104: Connection reset by "
                + "peer) while reading upstream, client: 127.0.0.1, server: _, request: \"GET /big HTTP/1.1\", upstream: "
                + "\"http://127.0.0.1:28001/big\", host: \"x\"");
        Cause c = x.diagnosis().causes().get(0);
        assertEquals("upstream-closed-early", c.id());
        assertTrue(c.confidence() < 0.5);
        assertTrue(c.detail().contains("cut response rather than a 502"), c.detail());
    }

    @Test
    void explain_nothingRecognised_isInconclusiveNeverHealthy() {
        Explanation x = explain("hello\nworld");
        assertEquals(Verdict.INCONCLUSIVE, x.diagnosis().verdict());
        assertTrue(x.diagnosis().summary().startsWith("none of the 2 pasted lines"), x.diagnosis().summary());
        assertEquals(Verdict.INCONCLUSIVE, explain("").diagnosis().verdict());
        assertTrue(explain("  \n").diagnosis().summary().startsWith("no lines to read"));
    }

    @Test
    void explain_secretsInPastedLines_areRedactedInEvidence() {
        Explanation x = explain("2026/11/21 11:47:19 [error] 2262#2262: *11 connect() failed (111: Connection refused) "
                + "while connecting to upstream, client: 127.0.0.1, server: shop, request: \"GET /cart?api_key="
                + "sk_live_4eC39HqLyjWDarjtT1zdp7dc HTTP/1.1\", upstream: \"http://127.0.0.1:28001/cart?api_key="
                + "sk_live_4eC39HqLyjWDarjtT1zdp7dc\", host: \"shop\"");
        String quoted = x.diagnosis().causes().stream().flatMap(c -> c.evidence().stream()).map(EvidenceLine::text)
                .collect(Collectors.joining("\n"));
        assertTrue(quoted.contains("connect() failed"), quoted);
        assertFalse(quoted.contains("4eC39HqLyjWDarjtT1zdp7dc"), quoted);
        assertFalse(x.confirm().toString().contains("4eC39HqLyjWDarjtT1zdp7dc"));
    }

    @Test
    void explain_hostileValuesInLines_neverBecomeCommandWords() {
        Explanation x = explain("2026/11/21 11:47:19 [crit] 2262#2262: *11 connect() to unix:/run/php/$(reboot).sock "
                + "failed (13: Permission denied) while connecting to upstream, client: 127.0.0.1, server: _, request: "
                + "\"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/$(reboot).sock:\", host: \"x\"");
        assertEquals("socket-permission", x.diagnosis().causes().get(0).id());
        assertTrue(x.confirm().stream().noneMatch(c -> c.command().contains("$(reboot)")), x.confirm().toString());
        assertTrue(x.confirming("socket-permission").get(0).startsWith("ls -l <PATH>"), x.confirm().toString());
    }

    @Test
    void pastedText_controlCharactersAndFences_areSetAside() {
        PastedText t = PastedText.of("```2026/11/21 11:47:19 [error] x\n\u001b[2Jclear\nbin\u0000ary\n\n```");
        assertEquals(List.of("2026/11/21 11:47:19 [error] x"), t.lines().stream().map(PastedText.Line::text).toList());
        assertEquals(2, t.notText());
        Explanation x = new Nginx502Check().explain(t).orElseThrow();
        assertTrue(x.diagnosis().notes().stream().anyMatch(n -> n.startsWith("2 lines held control characters")),
                x.diagnosis().notes().toString());
    }

    @Test
    void pastedText_hugeInput_isBoundedAndExplainedQuickly() {
        String line = "2026/11/21 11:47:19 [error] 2262#2262: *11 connect() failed (111: Connection refused) while "
                + "connecting to upstream, client: 127.0.0.1, server: shop, request: \"GET / HTTP/1.1\", upstream: "
                + "\"http://127.0.0.1:28001/\", host: \"shop\"\n";
        String huge = line.repeat(5000) + "x".repeat(2_000_000);
        PastedText t = PastedText.of(huge);
        assertTrue(t.cut());
        assertEquals(PastedText.MAX_LINES, t.lines().size());
        assertTrue(t.dropped() > 0);
        Explanation x = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new Nginx502Check().explain(t)
                .orElseThrow());
        assertEquals("upstream-down", x.diagnosis().causes().get(0).id());
        assertTrue(x.diagnosis().causes().get(0).evidence().get(0).count() == PastedText.MAX_LINES);
        assertTrue(x.diagnosis().notes().stream().anyMatch(n -> n.startsWith("only the first 1000 lines")));
    }

    @Test
    void explain_oneHugeLineOfNearMatches_staysLinear() {
        String nearMiss = "{\"status\":\"502\",\"request\":\"" + "\\\"".repeat(8000) + "\"";
        String longLine = "[" + "[".repeat(15_000);
        String quotes = "\"GET / HTTP/1.1\" 502 " + "upstream_status=\"".repeat(900);
        Explanation x = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> explain(nearMiss + "\n" + longLine
                + "\n" + quotes));
        assertEquals(Verdict.INCONCLUSIVE, x.diagnosis().verdict());
    }
}
