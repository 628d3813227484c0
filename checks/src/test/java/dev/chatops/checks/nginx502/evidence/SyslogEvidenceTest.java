package dev.chatops.checks.nginx502.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.Fixtures;
import dev.chatops.checks.nginx502.Nginx502Check;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.EvidenceLine;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * nginx logging to syslog. Recorded on this machine: nginx 1.22 with
 * {@code error_log syslog:server=unix:…} and {@code access_log syslog:…,tag=nginx_access}, Debian 12's
 * rsyslogd 8 (its default file format) on a private socket writing a private file that stands in for
 * /var/log/syslog, 7 requests to a stopped backend; the probes ran for real (evidence/syslog-error-log.json,
 * raw file syslog/rsyslog-debian12.log).
 */
class SyslogEvidenceTest {

    private final Nginx502Check check = new Nginx502Check();

    @Test
    void syslogErrorLog_readOnTheHost_causeFound() {
        Diagnosis d = check.diagnose(Fixtures.evidence("syslog-error-log"));
        assertEquals(Verdict.CAUSE_FOUND, d.verdict(), d.summary() + " " + d.notes());
        assertEquals("upstream-down", d.causes().get(0).id(), d.summary());
        EvidenceLine first = d.causes().get(0).evidence().get(0);
        assertEquals(7, first.count(), d.causes().get(0).evidence().toString());
        assertEquals("/var/log/syslog (syslog tag nginx)", first.source());
        assertTrue(d.summary().endsWith("7× 502 in 15 min"), d.summary());
    }

    @Test
    void syslogFile_unreadable_rereadAsRootAndStrippedOfItsPrefix() {
        Evidence real = Fixtures.evidence("syslog-error-log");
        Evidence first = withNginxOut(real, BlindSpotsTest.replaceLogs(stdout(real), "@@nginx502 log-unreadable"));
        List<Probe> more = FollowUp.probes(HostEvidence.from(first), CheckOptions.defaults());
        List<Probe> reads = more.stream().filter(p -> p.name().startsWith(Nginx502Probes.READ_LOG)).toList();
        assertEquals(1, reads.size(), "one read of the syslog file for both tags: " + more);
        assertEquals("tail -c 4194304 '/var/log/syslog'", reads.get(0).command());
        assertTrue(reads.get(0).sudo());

        String raw = Fixtures.text("syslog/rsyslog-debian12.log");
        assertTrue(raw.contains(" vm vm nginx: 20"), "rsyslog keeps nginx's own host name from /dev/log");
        Map<String, ProbeResult> all = new LinkedHashMap<>(first.probes());
        all.put(reads.get(0).name(), new ProbeResult("sudo -n " + reads.get(0).command(), 0, raw, "", 4, false));
        Diagnosis d = check.diagnose(new Evidence(real.check(), real.host(), real.collectedAt(), real.window(), all));
        assertEquals("upstream-down", d.causes().get(0).id(), d.summary() + " " + d.notes());
        assertEquals(7, d.causes().get(0).evidence().get(0).count());
        assertTrue(d.summary().endsWith("7× 502 in 15 min"), d.summary());
    }

    @Test
    void rootRead_isTheLogTheFollowUpAskedFor_notWhatItsCommandSays() {
        Evidence real = Fixtures.evidence("syslog-error-log");
        Evidence first = withNginxOut(real, BlindSpotsTest.replaceLogs(stdout(real), "@@nginx502 log-unreadable"));
        Probe read = FollowUp.probes(HostEvidence.from(first), CheckOptions.defaults()).stream()
                .filter(p -> p.name().startsWith(Nginx502Probes.READ_LOG)).findFirst().orElseThrow();
        Map<String, ProbeResult> all = new LinkedHashMap<>(first.probes());
        // a recorded command is text; what the probe read is known from the first batch by the probe's number
        all.put(read.name(), new ProbeResult("sudo -n tail -c 4194304 /etc/elsewhere", 0,
                Fixtures.text("syslog/rsyslog-debian12.log"), "", 4, false));
        Diagnosis d = check.diagnose(new Evidence(real.check(), real.host(), real.collectedAt(), real.window(), all));
        assertEquals("upstream-down", d.causes().get(0).id(), d.summary() + " " + d.notes());
        assertEquals(7, d.causes().get(0).evidence().get(0).count());
    }

    @Test
    void syslogFile_unreadableAndSudoRefused_inconclusiveNamingTheFix() {
        Evidence real = Fixtures.evidence("syslog-error-log");
        Evidence first = withNginxOut(real, BlindSpotsTest.replaceLogs(stdout(real), "@@nginx502 log-unreadable"));
        Map<String, ProbeResult> all = new LinkedHashMap<>(first.probes());
        all.put(Nginx502Probes.READ_LOG + "0", new ProbeResult("sudo -n tail -c 4194304 /var/log/syslog", 1, "",
                "sudo: a password is required", 3, false));
        Diagnosis d = check.diagnose(new Evidence(real.check(), real.host(), real.collectedAt(), real.window(), all));
        assertEquals(Verdict.INCONCLUSIVE, d.verdict(), d.summary());
        assertTrue(d.summary().contains("/var/log/syslog (syslog tag nginx) is not readable by the bot's user and sudo -n "
                + "tail was refused: add the user to group adm (sudo usermod -aG adm chatops), or allow in sudoers, "
                + "NOPASSWD, exactly: /usr/bin/tail -c 4194304 /var/log/syslog"), d.summary());
    }

    @Test
    void messages_keepOnlyTheTaggedProgramWithoutItsPrefix() {
        String raw = String.join("\n",
                "2026-11-30T20:17:13.210870+00:00 vm vm nginx: 2026/11/30 20:17:13 [error] 8#8: *1 connect() failed",
                "2026-11-30T20:17:13+0000 web-03 nginx[8676]: 2026/11/30 20:17:13 [error] 8#8: *2 journal line",
                "Nov 30 20:17:13 web-03 nginx: 2026/11/30 20:17:13 [error] 8#8: *3 traditional line",
                "Nov  3 20:17:13 web-03 nginx_access: 127.0.0.1 - - [03/Nov/2026:20:17:13 +0000] \"GET / HTTP/1.1\" 502",
                "2026-11-30T20:17:12.683147+00:00 vm CRON: (root) CMD (run-parts /etc/cron.hourly)",
                "2026-11-30T20:17:12.683147+00:00 vm evil: nginx: 2026/11/30 20:17:13 [error] forged by another program",
                "garbage nginx: 2026/11/30 20:17:13 [error] no prefix");
        assertEquals(List.of("2026/11/30 20:17:13 [error] 8#8: *1 connect() failed",
                "2026/11/30 20:17:13 [error] 8#8: *2 journal line",
                "2026/11/30 20:17:13 [error] 8#8: *3 traditional line"), SyslogLines.messages(raw, "nginx"));
        assertEquals(1, SyslogLines.messages(raw, "nginx_access").size());
        assertEquals(List.of(), SyslogLines.messages(raw, "nginx;rm"), "a tag is letters, digits and _ only");
    }

    @Test
    void journal_unreadable_rereadAsRootWithFixedArguments() {
        String out = String.join("\n",
                "@@nginx502 clock now=1796069834 tz=+0000 cut=20261130200214",
                "@@nginx502 processes",
                "  100     1 root     nginx: master process /usr/sbin/nginx -g daemon on; master_process on;",
                "@@nginx502 instance pid=100 user=root exe=verified id=1:2 bin=/usr/sbin/nginx prefix= conf=",
                "@@nginx502 unit name=nginx.service",
                "@@nginx502 paths prefix=/usr/share/nginx/ conf=/etc/nginx/nginx.conf",
                "@@nginx502 dump exit=0",
                "nginx: configuration file /etc/nginx/nginx.conf test is successful",
                "# configuration file /etc/nginx/nginx.conf:",
                "error_log stderr;",
                "http { access_log /var/log/nginx/access.log; server { location / { proxy_pass http://127.0.0.1:8080; } } }",
                "@@nginx502 dump-end",
                "@@nginx502 log kind=error source=journal unit=nginx.service tag=nginx path=journal -u nginx.service",
                "@@nginx502 log-unreadable",
                "@@nginx502 log kind=access path=/var/log/nginx/access.log",
                "@@nginx502 log-size 0",
                "@@nginx502 log-recent",
                "@@nginx502 log-window total=0 kept=0 candidates=0 first= last=",
                "@@nginx502 log-older count=0");
        Evidence e = new Evidence("nginx502", "web-03", java.time.Instant.ofEpochSecond(1796069834),
                java.time.Duration.ofMinutes(15), Map.of(Nginx502Probes.NGINX, new ProbeResult("nginx.sh", 0, out, "", 1,
                false)));
        List<Probe> more = FollowUp.probes(HostEvidence.from(e), CheckOptions.defaults());
        Probe journal = more.stream().filter(p -> p.name().startsWith(Nginx502Probes.READ_JOURNAL)).findFirst()
                .orElseThrow(() -> new AssertionError(more.toString()));
        assertEquals("journalctl -u nginx.service --since -900s -n 20000 --no-pager -o short-iso", journal.command());
        assertTrue(journal.sudo());
        // sudo refused: not healthy, and the summary names the journal and the fix
        Map<String, ProbeResult> all = new LinkedHashMap<>(e.probes());
        all.put(journal.name(), new ProbeResult("sudo -n " + journal.command(), 1, "", "sudo: a password is required", 2,
                false));
        Diagnosis d = check.diagnose(new Evidence(e.check(), e.host(), e.collectedAt(), e.window(), all));
        assertEquals(Verdict.INCONCLUSIVE, d.verdict(), d.summary());
        assertTrue(d.summary().contains("the journal of nginx.service is not readable by the bot's user"), d.summary());
        assertTrue(d.summary().contains("NOPASSWD, exactly: /usr/bin/journalctl -u nginx.service --since -900s "
                + "-n 20000 --no-pager -o short-iso"), d.summary());
        // read as root: the journal's lines, stripped, are the error log
        all.put(journal.name(), new ProbeResult("sudo -n " + journal.command(), 0, String.join("\n",
                "2026-11-30T20:17:13+0000 web-03 nginx[100]: 2026/11/30 20:17:13 [error] 101#101: *1 connect() failed "
                        + "(111: Connection refused) while connecting to upstream, client: 10.0.0.9, server: _, request: "
                        + "\"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:8080/\", host: \"web-03\"",
                "2026-11-30T20:17:14+0000 web-03 systemd[1]: Reloading nginx.service"), "", 2, false));
        Diagnosis read = check.diagnose(new Evidence(e.check(), e.host(), e.collectedAt(), e.window(), all));
        assertEquals(Verdict.CAUSE_FOUND, read.verdict(), read.summary() + " " + read.notes());
        assertEquals("journal -u nginx.service", read.causes().get(0).evidence().get(0).source());
    }

    private static String stdout(Evidence e) {
        return e.probe(Nginx502Probes.NGINX).orElseThrow().stdout();
    }

    private static Evidence withNginxOut(Evidence real, String out) {
        Map<String, ProbeResult> probes = new LinkedHashMap<>(real.probes());
        ProbeResult r = probes.get(Nginx502Probes.NGINX);
        probes.put(Nginx502Probes.NGINX, new ProbeResult(r.command(), r.exit(), out, r.stderr(), r.ms(), r.truncated()));
        return new Evidence(real.check(), real.host(), real.collectedAt(), real.window(), probes);
    }
}
