package dev.chatops.checks.nginx502.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.Fixtures;
import dev.chatops.checks.nginx502.evidence.FollowUp;
import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The probes are fixed, bounded and read-only; values taken from a host are validated and quoted. */
class ProbesTest {

    /** What {@code sudo -n <command>} may run: one program with plain arguments, no shell syntax. */
    private static final Pattern SINGLE_PROGRAM = Pattern.compile("('[^']*'|[A-Za-z0-9_./-]+)( ('[^']*'|[A-Za-z0-9_./=:-]+))*");

    @Test
    void firstBatch_isFixedAndBounded() {
        List<Probe> probes = Nginx502Probes.first(CheckOptions.defaults());
        assertEquals(probes.size(), new HashSet<>(probes.stream().map(Probe::name).toList()).size(), "unique names");
        for (Probe p : probes) {
            assertFalse(p.command().contains("@WINDOW@") || p.command().contains("@LOG_BYTES@"), p.name());
            assertTrue(p.maxBytes() <= 24 * 1024 * 1024, p.name());
            assertTrue(p.timeout().compareTo(Duration.ofSeconds(20)) <= 0, p.name());
            if (p.sudo()) {
                assertTrue(SINGLE_PROGRAM.matcher(p.command()).matches(), "root probe must be one program: " + p.command());
            }
        }
        // the root commands: one call of the fixed helper, no arguments
        assertEquals(List.of(RootHelper.PATH), probes.stream().filter(Probe::sudo).map(Probe::command).toList());
        // the first batch fits the eight channels an SSH connection runs at once, so none waits for another
        assertTrue(probes.size() <= 8, probes.size() + " probes");
        // without the helper, the same commands one by one, each one program with fixed arguments
        List<Probe> fallback = RootHelper.perProbe();
        for (Probe p : fallback) {
            assertTrue(p.sudo() && SINGLE_PROGRAM.matcher(p.command()).matches(), p.command());
        }
        assertTrue(fallback.stream().anyMatch(p -> p.command().equals("dmesg")));
        // one sudo ss for TCP and unix listeners
        assertTrue(fallback.stream().anyMatch(p -> p.command().equals("ss -ltxnp")));
        assertFalse(fallback.stream().anyMatch(p -> p.command().equals("ss -ltnp") || p.command().equals("ss -lxnp")));
        assertTrue(fallback.stream().anyMatch(p -> p.name().equals(Nginx502Probes.NGINX_EXE)
                && p.command().equals("find /proc -mindepth 2 -maxdepth 2 -name exe -ls")));
    }

    @Test
    void followUp_sudoGetsOnlyCanonicalPathsAndOnlyAVerifiedBinary() {
        String out = String.join("\n",
                "@@nginx502 clock now=1795258000 tz=+0000 cut=20261121104000",
                "@@nginx502 processes",
                "  100     1 root     nginx: master process nginx -c /etc/nginx/nginx.conf",
                "@@nginx502 instance pid=100 user=root exe=assumed id=1:2 bin=/usr/sbin/nginx prefix= "
                        + "conf=/etc/nginx/nginx.conf",
                "@@nginx502 paths prefix=/usr/share/nginx/ conf=/etc/nginx/nginx.conf",
                "@@nginx502 dump exit=1",
                "2026/11/21 10:29:45 [emerg] 13095#13095: open() \"/run/nginx.pid\" failed (13: Permission denied)",
                "nginx: configuration file /etc/nginx/nginx.conf test failed",
                "@@nginx502 dump-end",
                "@@nginx502 walk",
                "# configuration file /etc/nginx/nginx.conf:",
                "error_log /var/log/nginx/../../../etc/shadow;",
                "@@nginx502 walk-end",
                "@@nginx502 log kind=error path=/var/log/nginx/../../../etc/shadow",
                "@@nginx502 log-unreadable",
                "@@nginx502 log kind=access path=/var/log/nginx//access.log",
                "@@nginx502 log-unreadable",
                "@@nginx502 log kind=access path=/var/log/nginx/shop.access.log",
                "@@nginx502 log-unreadable");
        Evidence e = new Evidence("nginx502", "web-03", Instant.parse("2026-11-21T10:55:00Z"), Duration.ofMinutes(15),
                Map.of(Nginx502Probes.NGINX, new ProbeResult("nginx.sh", 0, out, "", 1, false)));
        List<Probe> more = FollowUp.probes(HostEvidence.from(e), CheckOptions.defaults());
        List<String> sudo = more.stream().filter(Probe::sudo).map(Probe::command).toList();
        assertEquals(List.of("tail -c 4194304 '/var/log/nginx/shop.access.log'"), sudo,
                "no .., no //, and no root nginx -t for a binary nobody verified");

        // root's list of executables says pid 100 runs /usr/sbin/nginx: now root may test its config
        Map<String, ProbeResult> probes = new LinkedHashMap<>(e.probes());
        probes.put(Nginx502Probes.NGINX_EXE, new ProbeResult("find", 0, String.join("\n",
                "       99      0 lrwxrwxrwx   1 root     root            0 Nov 30 19:48 /proc/99/exe -> /usr/bin/sleep",
                "    13704      0 lrwxrwxrwx   1 root     root            0 Nov 30 19:52 /proc/100/exe -> /usr/sbin/nginx"),
                "", 3, false));
        Evidence verified = new Evidence(e.check(), e.host(), e.collectedAt(), e.window(), probes);
        assertEquals("verified", HostEvidence.from(verified).nginx().instances().get(0).exe());
        assertTrue(FollowUp.probes(HostEvidence.from(verified), CheckOptions.defaults()).stream()
                .anyMatch(p -> p.sudo() && p.command().equals("'/usr/sbin/nginx' -t -c '/etc/nginx/nginx.conf'")));
    }

    @Test
    void rootOwnedLookAlike_runningAnotherProgram_isIgnored() {
        String out = String.join("\n",
                "@@nginx502 clock now=1795258000 tz=+0000 cut=20261121104000",
                "@@nginx502 processes",
                "  100     1 root     nginx: master process /usr/sbin/nginx -c /etc/shadow",
                "  200     1 nobody   nginx: master process /tmp/x/nginx",
                "@@nginx502 ignored pid=200 user=nobody why=not run by root",
                "@@nginx502 instance pid=100 user=root exe=assumed id=1:2 bin=/usr/sbin/nginx prefix= conf=/etc/shadow",
                "@@nginx502 paths prefix=/usr/share/nginx/ conf=/etc/shadow",
                "@@nginx502 dump exit=1",
                "nginx: [emerg] open() \"/etc/shadow\" failed (13: Permission denied)",
                "@@nginx502 dump-end");
        Map<String, ProbeResult> probes = new LinkedHashMap<>();
        probes.put(Nginx502Probes.NGINX, new ProbeResult("nginx.sh", 0, out, "", 1, false));
        probes.put(Nginx502Probes.NGINX_EXE, new ProbeResult("find", 0,
                "    13704      0 lrwxrwxrwx   1 root     root            0 Nov 30 19:52 /proc/100/exe -> /usr/bin/passwd",
                "", 3, false));
        Evidence e = new Evidence("nginx502", "web-03", Instant.parse("2026-11-21T10:55:00Z"), Duration.ofMinutes(15),
                probes);
        HostEvidence host = HostEvidence.from(e);
        assertTrue(host.nginx().instances().isEmpty(), host.nginx().instances().toString());
        assertEquals(List.of("pid 200 (user nobody) calls itself an nginx master but is not run by root",
                "pid 100 (user root) calls itself an nginx master but runs /usr/bin/passwd"), host.nginx().ignored());
        assertTrue(FollowUp.probes(host, CheckOptions.defaults()).stream().noneMatch(Probe::sudo));
    }

    @Test
    void firstBatch_carriesTheWindowAndTheByteCap() {
        String nginx = Nginx502Probes.first(new CheckOptions(Duration.ofMinutes(5))).stream()
                .filter(p -> p.name().equals(Nginx502Probes.NGINX)).findFirst().orElseThrow().command();
        assertTrue(nginx.contains("W=300\n"), "window in seconds");
        assertTrue(nginx.contains("LOGCAP=" + Nginx502Probes.LOG_BYTES + "\n"));
        assertTrue(nginx.contains("tail -c \"$LOGCAP\""), "logs are read from their end, by bytes");
    }

    @Test
    void followUp_triesTheUpstreamsOfTheRecordedConfig() {
        Evidence e = Fixtures.evidence("upstream-down-tcp");
        List<Probe> more = FollowUp.probes(HostEvidence.from(e), CheckOptions.defaults());
        Probe up = more.stream().filter(p -> p.name().equals(Nginx502Probes.UPSTREAMS)).findFirst().orElseThrow();
        assertTrue(up.command().contains("tcp_probe 'tcp:127.0.0.1:28001' '127.0.0.1' 28001 '' 0 &"), up.command());
        assertTrue(up.command().contains("user_probe 'user:www-data' 'www-data'"));
        assertFalse(up.sudo());
    }

    @Test
    void followUp_refusesValuesThatAreNotAddressesOrPaths() {
        String dump = String.join("\n",
                "@@nginx502 clock now=1795258000 tz=+0000 cut=20261121104000",
                "@@nginx502 processes",
                "  100     1 root     nginx: master process /usr/sbin/nginx -c /etc/nginx/nginx.conf",
                "  101   100 www-data nginx: worker process",
                "@@nginx502 instance pid=100 user=root bin=/usr/sbin/nginx prefix= conf=/etc/nginx/nginx.conf",
                "@@nginx502 paths prefix=/usr/share/nginx/ conf=/etc/nginx/nginx.conf",
                "@@nginx502 dump exit=0",
                "nginx: configuration file /etc/nginx/nginx.conf test is successful",
                "# configuration file /etc/nginx/nginx.conf:",
                "http {",
                "  upstream u { server \"evil$(touch /tmp/pwned):80\"; server 10.0.0.7:8080; }",
                "  server { listen 80; location / { proxy_pass http://u; }",
                "           location /s { proxy_pass \"http://unix:/tmp/a';rm -rf /;':/\"; }",
                "           location /ok { fastcgi_pass unix:/run/php/php8.2-fpm.sock; } }",
                "}",
                "@@nginx502 dump-end",
                "@@nginx502 log kind=error path=/var/log/nginx/error.log'; reboot; '",
                "@@nginx502 log-unreadable");
        Map<String, ProbeResult> probes = new LinkedHashMap<>();
        probes.put(Nginx502Probes.NGINX, new ProbeResult("nginx.sh", 0, dump, "", 1, false));
        Evidence e = new Evidence("nginx502", "web-03", Instant.parse("2026-11-21T10:55:00Z"), Duration.ofMinutes(15),
                probes);
        List<Probe> more = FollowUp.probes(HostEvidence.from(e), CheckOptions.defaults());
        String all = String.join("\n", more.stream().map(Probe::command).toList());
        assertFalse(all.contains("touch"), all);
        assertFalse(all.contains("rm -rf"), all);
        assertFalse(all.contains("reboot"), all);
        assertTrue(all.contains("'tcp:10.0.0.7:8080' '10.0.0.7' 8080"), all);
        assertTrue(all.contains("unix_probe 'unix:/run/php/php8.2-fpm.sock' '/run/php/php8.2-fpm.sock'"), all);
    }

    @Test
    void followUp_rereadsUnreadableLogsAsRootWithOneProgram() {
        String out = String.join("\n",
                "@@nginx502 clock now=1795258000 tz=+0000 cut=20261121104000",
                "@@nginx502 processes",
                "  100     1 root     nginx: master process /usr/sbin/nginx",
                "@@nginx502 instance pid=100 user=root bin=/usr/sbin/nginx prefix= conf=",
                "@@nginx502 paths prefix=/usr/share/nginx/ conf=/etc/nginx/nginx.conf",
                "@@nginx502 dump exit=1",
                "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok",
                "2026/11/21 10:29:45 [emerg] 13095#13095: open() \"/run/nginx.pid\" failed (13: Permission denied)",
                "nginx: configuration file /etc/nginx/nginx.conf test failed",
                "@@nginx502 dump-end",
                "@@nginx502 walk",
                "# configuration file /etc/nginx/nginx.conf:",
                "error_log /var/log/nginx/error.log;",
                "@@nginx502 walk-end",
                "@@nginx502 log kind=error path=/var/log/nginx/error.log",
                "@@nginx502 log-unreadable");
        Evidence e = new Evidence("nginx502", "web-03", Instant.parse("2026-11-21T10:55:00Z"), Duration.ofMinutes(15),
                Map.of(Nginx502Probes.NGINX, new ProbeResult("nginx.sh", 0, out, "", 1, false)));
        List<Probe> more = FollowUp.probes(HostEvidence.from(e), CheckOptions.defaults());
        Optional<Probe> read = more.stream().filter(p -> p.name().startsWith(Nginx502Probes.READ_LOG)).findFirst();
        assertEquals("tail -c 4194304 '/var/log/nginx/error.log'", read.orElseThrow().command());
        assertTrue(read.get().sudo());
        Probe test = more.stream().filter(p -> p.name().startsWith(Nginx502Probes.NGINX_TEST)).findFirst().orElseThrow();
        assertEquals("'/usr/sbin/nginx' -t", test.command());
        assertTrue(test.sudo());
        for (Probe p : more) {
            if (p.sudo()) {
                assertTrue(SINGLE_PROGRAM.matcher(p.command()).matches(), p.command());
            }
        }
        // what read-log.0 read is known as data, from the same first batch, never taken back from its command
        assertEquals(List.of("/var/log/nginx/error.log"),
                Nginx502Probes.logsReadAsRoot(HostEvidence.from(e).nginx().unreadableLogs()));
        assertEquals(0, Nginx502Probes.index(read.get().name(), Nginx502Probes.READ_LOG).orElseThrow());
    }

    @Test
    void logsReadAsRoot_onlyCanonicalPlainPathsInProbeOrder() {
        assertEquals(List.of("/var/log/nginx/error.log", "/var/log/syslog"), Nginx502Probes.logsReadAsRoot(List.of(
                "/var/log/nginx/error.log", "/var/log/../../etc/shadow", "var/log/x", "/var/log/a b",
                "/var/log/syslog")));
        assertEquals(8, Nginx502Probes.logsReadAsRoot(java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> "/var/log/nginx/" + i + ".log").toList()).size());
        assertEquals(3, Nginx502Probes.index("read-log.3", Nginx502Probes.READ_LOG).orElseThrow());
        assertTrue(Nginx502Probes.index("read-log.3 x", Nginx502Probes.READ_LOG).isEmpty());
        assertTrue(Nginx502Probes.index("read-journal.3", Nginx502Probes.READ_LOG).isEmpty());
    }
}
