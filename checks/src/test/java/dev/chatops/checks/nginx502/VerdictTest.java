package dev.chatops.checks.nginx502;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.EvidenceLine;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Verdict;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Verdicts other than a plain cause, replayed from recorded evidence (all recorded from real runs on
 * this machine, except nginx-not-installed and upstream-down-systemd, composed as CauseReplayTest says).
 */
class VerdictTest {

    private final Nginx502Check check = new Nginx502Check();

    @Test
    void healthy_saysWhere502sCouldComeFromInstead() {
        for (String name : new String[] {"healthy", "healthy-php"}) {
            Diagnosis d = check.diagnose(Fixtures.evidence(name));
            assertEquals(Verdict.HEALTHY, d.verdict(), name + ": " + d.summary());
            assertTrue(d.summary().startsWith("no upstream errors and no 502/504 in the last 15 min"), d.summary());
            assertTrue(d.notes().stream().anyMatch(n -> n.contains("load balancer or CDN") && n.contains("DNS cache")),
                    d.notes().toString());
        }
    }

    @Test
    void oldErrors_areAPastIncidentNotTheCause() {
        Evidence e = Fixtures.evidence("old-errors-outside-window");
        assertEquals(Duration.ofMinutes(1), e.window());
        Diagnosis d = check.diagnose(e);
        assertEquals(Verdict.HEALTHY, d.verdict(), d.summary());
        assertTrue(d.causes().isEmpty());
        assertTrue(d.notes().stream().anyMatch(n -> n.startsWith("past incident, not the current cause: 10 upstream errors")),
                d.notes().toString());
    }

    @Test
    void twoServers_onlyTheFailingOneIsNamed() {
        Diagnosis d = check.diagnose(Fixtures.evidence("two-servers-one-failing"));
        assertEquals("upstream-down", d.causes().get(0).id());
        assertTrue(d.summary().startsWith("blog.example.com → upstream blog_backend (127.0.0.1:28026) is down"),
                d.summary());
        assertTrue(d.causes().get(0).evidence().stream().anyMatch(e -> e.source().endsWith("logs/blog.access.log")
                && e.text().equals("9 of 9 requests to blog.example.com in the last 15 min answered 502")),
                d.causes().get(0).evidence().toString());
        assertTrue(d.notes().stream().anyMatch(n -> n.equals("only blog.example.com is affected; no upstream errors for "
                + "shop.example.com (15 requests, no 5xx)")), d.notes().toString());
    }

    @Test
    void hostWithoutSystemd_getsNoSystemctlCommand() {
        Diagnosis d = check.diagnose(Fixtures.evidence("upstream-down-tcp"));
        Cause c = d.causes().get(0);
        assertTrue(c.detail().contains("This host has no systemd (pid 1 is process_api)"), c.detail());
        assertTrue(c.fixes().stream().map(Fix::text).noneMatch(t -> t.contains("systemctl")), c.fixes().toString());
        Diagnosis withSystemd = check.diagnose(Fixtures.evidence("upstream-down-systemd"));
        Cause s = withSystemd.causes().get(0);
        assertEquals("sudo journalctl -u shop.service -n 50 --no-pager", s.fixes().get(1).text());
        assertTrue(s.detail().contains("shop.service is failed (failed)"), s.detail());
    }

    @Test
    void hugeLog_probeOutputStaysUnderItsCap() {
        Evidence e = Fixtures.evidence("huge-log");
        ProbeResult nginx = e.probe(Nginx502Probes.NGINX).orElseThrow();
        // 512 MiB of error log and 512 MiB of access log on the host; the probe cut them on the host
        java.util.regex.Matcher sizes = java.util.regex.Pattern.compile("@@nginx502 log-size (\\d+)").matcher(nginx.stdout());
        long total = 0;
        while (sizes.find()) {
            total += Long.parseLong(sizes.group(1));
        }
        assertTrue(total > 1000L * 1024 * 1024, "the logs held " + total + " bytes");
        assertFalse(nginx.truncated());
        assertTrue(nginx.stdout().length() < 256 * 1024, "probe output " + nginx.stdout().length() + " bytes");
        Diagnosis d = check.diagnose(e);
        assertEquals("upstream-down", d.causes().get(0).id());
        assertEquals(20, d.causes().get(0).evidence().get(0).count());
        assertTrue(d.notes().stream().anyMatch(n -> n.startsWith("past incident, not the current cause")
                && n.contains("2026-11-19 03:12")), d.notes().toString());
    }

    @Test
    void notInstalled_saysSo() {
        Diagnosis d = check.diagnose(Fixtures.evidence("nginx-not-installed"));
        assertEquals(Verdict.INCONCLUSIVE, d.verdict());
        assertTrue(d.summary().startsWith("nginx is not installed on localhost"), d.summary());
    }

    @Test
    void notRunning_saysSoAndHowToStartIt() {
        Diagnosis d = check.diagnose(Fixtures.evidence("nginx-not-running"));
        assertEquals(Verdict.INCONCLUSIVE, d.verdict());
        assertTrue(d.summary().startsWith("nginx is not running on localhost: no nginx master process"), d.summary());
        assertTrue(d.notes().contains("start it: sudo service nginx start (nginx -t passes)"), d.notes().toString());
    }

    @Test
    void twoMasters_theFailingInstanceIsNamed() {
        Diagnosis d = check.diagnose(Fixtures.evidence("two-masters"));
        assertEquals("upstream-down", d.causes().get(0).id(), d.summary());
        assertTrue(d.summary().startsWith("/tmp/nginx502-lab/master-b/nginx.conf (master pid "), d.summary());
        assertTrue(d.summary().contains("admin.example.com → 127.0.0.1:28028 is down"), d.summary());
        assertTrue(d.notes().stream().anyMatch(n -> n.startsWith("2 nginx masters run on this host")), d.notes().toString());
    }

    @Test
    void twoMasters_theOneWithTheFailuresLeads() {
        // master-a gets one "too big header" line (a cause more certain than a refused connection); master-b still
        // has the six refused connections and the six 502s, so its cause leads
        Evidence real = Fixtures.evidence("two-masters");
        ProbeResult nginx = real.probe(Nginx502Probes.NGINX).orElseThrow();
        String quietLog = "@@nginx502 log kind=error path=/tmp/nginx502-lab/master-a/logs/error.log\n@@nginx502 log-size 0\n"
                + "@@nginx502 log-window total=0 kept=0 first= last=\n";
        String oneLine = "@@nginx502 log kind=error path=/tmp/nginx502-lab/master-a/logs/error.log\n@@nginx502 log-size 300\n"
                + "2026/11/21 11:48:22 [error] 10766#10766: *20 upstream sent too big header while reading response header "
                + "from upstream, client: 127.0.0.1, server: shop.example.com, request: \"GET / HTTP/1.1\", upstream: "
                + "\"http://127.0.0.1:28027/\", host: \"shop.example.com\"\n"
                + "@@nginx502 log-window total=1 kept=1 first=2026/11/21 11:48:22 last=2026/11/21 11:48:22\n";
        assertTrue(nginx.stdout().contains(quietLog));
        Map<String, ProbeResult> probes = new LinkedHashMap<>(real.probes());
        probes.put(Nginx502Probes.NGINX, new ProbeResult(nginx.command(), nginx.exit(),
                nginx.stdout().replace(quietLog, oneLine), nginx.stderr(), nginx.ms(), nginx.truncated()));
        Diagnosis d = check.diagnose(new Evidence(real.check(), real.host(), real.collectedAt(), real.window(), probes));
        List<String> ids = d.causes().stream().map(c -> c.id()).toList();
        assertTrue(ids.contains("buffer-too-small"), ids.toString());
        assertEquals("upstream-down", ids.get(0), d.summary());
        assertTrue(d.summary().startsWith("/tmp/nginx502-lab/master-b/nginx.conf (master pid "), d.summary());
    }

    @Test
    void quotedLines_areRedacted() {
        Diagnosis d = check.diagnose(Fixtures.evidence("upstream-down-tcp"));
        EvidenceLine line = d.causes().get(0).evidence().get(0);
        assertTrue(Fixtures.text("evidence/upstream-down-tcp.json").contains("session_id=abc123def456"));
        assertFalse(line.text().contains("abc123def456"), line.text());
        assertTrue(line.text().contains("session_id=[REDACTED]"), line.text());
    }

    @Test
    void clientsStatus_isTheOneTheAccessLogShows() {
        Diagnosis timeout = check.diagnose(Fixtures.evidence("upstream-timeout"));
        assertTrue(timeout.summary().endsWith("· 6× 504 in 15 min"), timeout.summary());
        Diagnosis fd = check.diagnose(Fixtures.evidence("fd-exhausted"));
        assertTrue(fd.summary().endsWith("· 10× 500 in 15 min"), fd.summary());
        Diagnosis notHttp = check.diagnose(Fixtures.evidence("protocol-mismatch-not-http"));
        assertTrue(notHttp.summary().endsWith("· 5× 009 in 15 min"), notHttp.summary());
        Diagnosis ipv6 = check.diagnose(Fixtures.evidence("upstream-wrong-address-ipv6"));
        assertTrue(ipv6.summary().contains("clients got no 5xx"), ipv6.summary());
    }

    @Test
    void silentErrorLog_upstreamCheckedDirectly() {
        Diagnosis d = check.diagnose(Fixtures.evidence("upstream-down-quiet-error-log"));
        assertEquals("upstream-down", d.causes().get(0).id(), d.summary());
        assertTrue(d.causes().get(0).confidence() < 0.8, "read from the host, not from the log");
        assertTrue(d.notes().stream().anyMatch(n -> n.startsWith("error_log at level crit (")), d.notes().toString());
    }

    @Test
    void inconclusive_saysWhatWasSeen() {
        // the same recording, as a host where nothing could list the listeners or reach the upstream
        Evidence real = Fixtures.evidence("upstream-down-quiet-error-log");
        Map<String, ProbeResult> probes = new LinkedHashMap<>(real.probes());
        probes.put(Nginx502Probes.LISTEN_TCP, failed("sudo: a password is required"));
        probes.put(Nginx502Probes.LISTEN_UNIX, failed("sudo: a password is required"));
        probes.put(Nginx502Probes.LISTEN_FALLBACK, failed("sh: 1: ss: not found"));
        probes.remove(Nginx502Probes.UPSTREAMS);
        Diagnosis d = check.diagnose(new Evidence(real.check(), real.host(), real.collectedAt(), real.window(), probes));
        assertEquals(Verdict.INCONCLUSIVE, d.verdict(), d.summary());
        assertEquals("7× 502/504 in the access log in the last 15 min but no upstream error in the error log: look at "
                + "the error_log level and at what the access log's upstream fields say", d.summary());
        assertTrue(d.notes().contains("could not list listening sockets (no ss, netstat or /proc/net access)"),
                d.notes().toString());
    }

    @Test
    void noSs_netstatTellsWhatListens() {
        // the same recording, as a host without ss: netstat's listing of the same sockets
        Evidence real = Fixtures.evidence("upstream-down-tcp");
        Map<String, ProbeResult> probes = new LinkedHashMap<>(real.probes());
        probes.put(Nginx502Probes.LISTEN_TCP, new ProbeResult("sudo -n ss -ltnp", 1, "", "sudo: ss: command not found", 3,
                false));
        probes.put(Nginx502Probes.LISTEN_UNIX, new ProbeResult("sudo -n ss -lxnp", 1, "", "sudo: ss: command not found", 3,
                false));
        probes.put(Nginx502Probes.LISTEN_FALLBACK, new ProbeResult("listeners.sh", 0, """
                @@nginx502 netstat
                Active Internet connections (only servers)
                Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name
                tcp        0      0 127.0.0.1:28002         0.0.0.0:*               LISTEN      2206/python3
                tcp        0      0 127.0.0.1:28080         0.0.0.0:*               LISTEN      2261/nginx: master
                """, "", 5, false));
        Diagnosis d = check.diagnose(new Evidence(real.check(), real.host(), real.collectedAt(), real.window(), probes));
        Cause c = d.causes().get(0);
        assertEquals("upstream-down", c.id());
        assertTrue(c.evidence().stream().anyMatch(e -> e.source().equals("netstat -ltnp")
                && e.text().equals("nothing listens on 127.0.0.1:28001")), c.evidence().toString());
    }

    @Test
    void oneSsForBothKinds_sameDiagnosisAsTwo() {
        // the recording's two ss listings as the one ss -ltxnp prints them (a Netid column first)
        Evidence real = Fixtures.evidence("upstream-down-tcp");
        Map<String, ProbeResult> probes = new LinkedHashMap<>(real.probes());
        ProbeResult tcp = probes.remove(Nginx502Probes.LISTEN_TCP);
        ProbeResult unix = probes.remove(Nginx502Probes.LISTEN_UNIX);
        StringBuilder both = new StringBuilder("Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n");
        unix.stdout().lines().filter(l -> l.contains("LISTEN")).forEach(l -> both.append(l).append('\n'));
        tcp.stdout().lines().filter(l -> l.startsWith("LISTEN")).forEach(l -> both.append("tcp   ").append(l).append('\n'));
        assertTrue(both.toString().contains("tcp   LISTEN"), both.toString());
        probes.put(Nginx502Probes.LISTEN, new ProbeResult("sudo -n ss -ltxnp", 0, both.toString(), "", 3, false));
        Diagnosis one = check.diagnose(new Evidence(real.check(), real.host(), real.collectedAt(), real.window(), probes));
        Diagnosis two = check.diagnose(real);
        assertEquals(two.summary(), one.summary());
        assertEquals(two.causes(), one.causes());
        assertEquals(two.notes(), one.notes());
    }

    @Test
    void ssNotAllowed_theHostProbesOwnListingIsUsed() {
        // the first batch as it is now: the listeners as the user sees them come with the host probe
        Evidence real = Fixtures.evidence("upstream-down-tcp");
        Map<String, ProbeResult> probes = new LinkedHashMap<>(real.probes());
        probes.remove(Nginx502Probes.LISTEN_TCP);
        probes.remove(Nginx502Probes.LISTEN_UNIX);
        probes.remove(Nginx502Probes.LISTEN_FALLBACK);
        ProbeResult processes = probes.remove(Nginx502Probes.PROCESSES);
        probes.put(Nginx502Probes.LISTEN, new ProbeResult("sudo -n ss -ltxnp", 1, "", "sudo: a password is required",
                3, false));
        ProbeResult host = probes.get(Nginx502Probes.HOST);
        probes.put(Nginx502Probes.HOST, new ProbeResult(host.command(), 0, host.stdout()
                + "@@nginx502 processes\n" + processes.stdout()
                + "@@nginx502 ss-listen\nNetid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
                + "tcp   LISTEN 0      511        127.0.0.1:28080        0.0.0.0:*\n", "", host.ms(), false));
        Diagnosis d = check.diagnose(new Evidence(real.check(), real.host(), real.collectedAt(), real.window(), probes));
        Cause c = d.causes().get(0);
        assertEquals("upstream-down", c.id());
        assertTrue(c.evidence().stream().anyMatch(e -> e.text().equals("nothing listens on 127.0.0.1:28001")),
                c.evidence().toString());
        assertTrue(d.notes().stream().anyMatch(n -> n.startsWith("ss -ltxnp did not run as root (sudo: a password is "
                + "required)")), d.notes().toString());
    }

    @Test
    void dmesgNotAllowed_theReportSaysWhatItCouldNotSee() {
        Evidence real = Fixtures.evidence("upstream-down-tcp");
        Map<String, ProbeResult> probes = new LinkedHashMap<>(real.probes());
        probes.put(Nginx502Probes.KERNEL_LOG, new ProbeResult("dmesg", 1, "",
                "dmesg: read kernel buffer failed: Operation not permitted", 2, false));
        Diagnosis d = check.diagnose(new Evidence(real.check(), real.host(), real.collectedAt(), real.window(), probes));
        assertEquals("upstream-down", d.causes().get(0).id());
        assertTrue(d.notes().contains("kernel log not readable (dmesg: read kernel buffer failed: Operation not "
                + "permitted): OOM kills and AppArmor denials could not be checked"), d.notes().toString());
    }

    private static ProbeResult failed(String stderr) {
        return new ProbeResult("", 1, "", stderr, 1, false);
    }

    @Test
    void lint_notesBelongToNotes() {
        Diagnosis d = check.diagnose(Fixtures.evidence("upstream-down-tcp"));
        assertTrue(d.notes().stream().anyMatch(n -> n.startsWith("access log format combined has no $upstream_addr")),
                d.notes().toString());
    }
}
