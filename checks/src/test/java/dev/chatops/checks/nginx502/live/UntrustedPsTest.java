package dev.chatops.checks.nginx502.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chatops.checks.nginx502.Nginx502Check;
import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.evidence.NginxInstance;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Verdict;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The real nginx probe, run as an unprivileged user the way an SSH login with an empty ~/.profile runs
 * it (PATH=/usr/local/bin:/usr/bin:/bin:/usr/games): ps text written by another user's process never
 * makes it run a program, and an nginx started by its bare name is still found with its config and logs.
 */
class UntrustedPsTest {

    private static final boolean REQUIRED = Boolean.getBoolean("chatops.requireRealServices");
    /** Debian's PATH for a login whose ~/.profile is empty: no /usr/sbin. */
    private static final List<String> AS_SSH_USER = List.of("/usr/sbin/runuser", "-u", "nobody", "--", "env", "-i",
            "PATH=/usr/local/bin:/usr/bin:/bin:/usr/games", "HOME=/nonexistent");
    /** The same, as a user other than the look-alike's (uid 65533, no passwd entry needed). */
    private static final List<String> AS_OTHER_USER = List.of("/usr/bin/setpriv", "--reuid=65533", "--regid=65533",
            "--clear-groups", "env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin:/usr/games", "HOME=/nonexistent");

    @Test
    void lookAlikeMaster_ofAnotherUser_isNeverRunAndReportedIgnored() throws Exception {
        requireRootTools();
        try (LabLock lock = LabLock.acquire(REQUIRED)) {
            Path x = Files.createTempDirectory(Path.of("/tmp"), "lookalike-");
            Process nobodys = null;
            Process roots = null;
            try {
                run("chmod", "1777", x.toString());
                Path marker = x.resolve("ran");
                // the planted "nginx": if anything ever runs it, the marker appears
                Files.writeString(x.resolve("nginx"), "#!/bin/sh\necho \"$(id -un) $*\" >> " + marker + "\n");
                Files.writeString(x.resolve("evil.conf"), "error_log " + x + "/../../../etc/shadow;\n");
                run("chmod", "0755", x.resolve("nginx").toString());
                run("chown", "nobody", x.resolve("nginx").toString(), x.resolve("evil.conf").toString());
                String fake = "nginx: master process " + x + "/nginx -c " + x + "/evil.conf";
                nobodys = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                        "bash", "-c", "exec -a \"$0\" sleep 600", fake).start();
                // root's own look-alike (as a setuid program started with exec -a would be)
                roots = new ProcessBuilder("bash", "-c", "exec -a \"$0\" sleep 600",
                        "nginx: master process /usr/sbin/nginx -c /etc/shadow").start();
                waitForPs(fake);

                Nginx502Check check = new Nginx502Check();
                CheckOptions options = CheckOptions.defaults();
                Evidence first = new Evidence("nginx502", "localhost", Instant.now(), options.window(),
                        ShellRunner.run(check.probes(options), AS_OTHER_USER));
                List<Probe> more = new ArrayList<>();
                Evidence all = ShellRunner.followUps(check, first, options, AS_OTHER_USER, more);
                String out = all.probe(Nginx502Probes.NGINX).orElseThrow().stdout();

                assertFalse(Files.exists(marker), "the planted binary ran: " + (Files.exists(marker)
                        ? Files.readString(marker) : ""));
                assertTrue(out.contains("@@nginx502 ignored pid=" + nobodys.pid() + " user=nobody why=not run by root"),
                        out);
                assertFalse(out.contains("root:"), "nothing of /etc/shadow reaches the evidence");
                for (Probe p : more) {
                    assertFalse(p.command().contains("shadow") || p.command().contains(x.toString()), p.command());
                }
                long nobodyPid = nobodys.pid();
                long rootPid = roots.pid();
                HostEvidence host = HostEvidence.from(all);
                assertTrue(host.nginx().instances().stream().noneMatch(i -> i.pid() == rootPid
                        || i.pid() == nobodyPid), host.nginx().instances().toString());
                assertTrue(host.nginx().ignored().stream().anyMatch(s -> s.startsWith("pid " + nobodyPid
                        + " (user nobody) calls itself an nginx master but is not run by root")), host.nginx().ignored()
                        .toString());
                assertTrue(host.nginx().ignored().stream().anyMatch(s -> s.startsWith("pid " + rootPid
                        + " (user root) calls itself an nginx master but runs /usr/bin/sleep")), host.nginx().ignored()
                        .toString());
                Diagnosis d = check.diagnose(all);
                assertTrue(d.notes().stream().anyMatch(n -> n.contains("ignored a look-alike: pid " + nobodyPid)),
                        d.summary() + " " + d.notes());
                assertFalse(Files.exists(marker), "the planted binary ran");
            } finally {
                if (nobodys != null) {
                    nobodys.destroyForcibly().waitFor();
                }
                if (roots != null) {
                    roots.destroyForcibly().waitFor();
                }
                run("rm", "-rf", x.toString());
            }
        }
    }

    @Test
    void bareNameMaster_unprivilegedUserWithoutSbinInPath_findsItsConfigAndLogs() throws Exception {
        requireRootTools();
        try (LabLock lock = LabLock.acquire(REQUIRED)) {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "bare-");
            run("chmod", "0755", dir.toString());
            int port = Pids.freePort();
            int dead = Pids.freePort();
            Files.createDirectories(dir.resolve("logs"));
            Files.writeString(dir.resolve("nginx.conf"), """
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log logs/error.log;
                    events { worker_connections 64; }
                    http {
                        access_log logs/access.log;
                        server {
                            listen 127.0.0.1:%2$d;
                            server_name shop.example.com;
                            location / { proxy_pass http://127.0.0.1:%3$d; }
                        }
                    }
                    """.formatted(dir, port, dead));
            // started as "sudo nginx" would: bare name, relative -c, from /
            Process start = new ProcessBuilder("sh", "-c", "cd / && PATH=/usr/sbin:/usr/bin:/bin exec nginx -p \"$0\" "
                    + "-c nginx.conf", dir.toString()).redirectErrorStream(true).start();
            assertEquals(0, start.waitFor(), new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            try {
                run("chmod", "-R", "a+rX", dir.toString());
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < 6; i++) {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .build(), HttpResponse.BodyHandlers.discarding());
                    assertEquals(502, r.statusCode());
                }
                Nginx502Check check = new Nginx502Check();
                CheckOptions options = CheckOptions.defaults();
                Evidence first = new Evidence("nginx502", "localhost", Instant.now(), options.window(),
                        ShellRunner.run(check.probes(options), AS_SSH_USER));
                String out = first.probe(Nginx502Probes.NGINX).orElseThrow().stdout();
                assertTrue(out.contains("nginx: master process nginx -p " + dir + " -c nginx.conf"), out);
                assertTrue(out.contains("exe=assumed") && out.contains("bin=/usr/sbin/nginx prefix=" + dir + " conf="
                        + dir + "/nginx.conf"), out);
                assertTrue(out.contains("@@nginx502 log kind=error path=" + dir + "/logs/error.log"), out);
                Evidence all = ShellRunner.followUps(check, first, options, AS_SSH_USER, new ArrayList<>());
                NginxInstance n = HostEvidence.from(all).nginx().instances().get(0);
                assertEquals(NginxInstance.VERIFIED, n.exe(), "root's list of executables names the running binary");
                Diagnosis d = check.diagnose(all);
                assertEquals(Verdict.CAUSE_FOUND, d.verdict(), d.summary() + " " + d.notes());
                assertEquals("upstream-down", d.causes().get(0).id(), d.summary());

                // without sudo: the same master, its binary assumed and said so, the cause still found
                Map<String, ProbeResult> refused = new LinkedHashMap<>(first.probes());
                for (Probe p : check.probes(options)) {
                    if (p.sudo()) {
                        refused.put(p.name(), new ProbeResult("sudo -n " + p.command(), 1, "",
                                "sudo: a password is required", 2, false));
                    }
                }
                Evidence userOnly = new Evidence("nginx502", "localhost", first.collectedAt(), options.window(), refused);
                Diagnosis without = check.diagnose(ShellRunner.followUps(check, userOnly, options, UntrustedPsTest::sudoRefused,
                        new ArrayList<>()));
                assertEquals("upstream-down", without.causes().get(0).id(), without.summary());
                assertTrue(without.notes().stream().anyMatch(s -> s.startsWith("nginx master ")
                        && s.contains("is assumed to run /usr/sbin/nginx (could not verify")), without.notes().toString());

                // the logs root's alone (as www-data:adm 0640 is to a user outside adm) and sudo refused: never healthy
                run("chmod", "0600", dir.resolve("logs/error.log").toString(), dir.resolve("logs/access.log").toString());
                Map<String, ProbeResult> blind = new LinkedHashMap<>(ShellRunner.run(check.probes(options), AS_SSH_USER));
                for (Probe p : check.probes(options)) {
                    if (p.sudo()) {
                        blind.put(p.name(), new ProbeResult("sudo -n " + p.command(), 1, "",
                                "sudo: a password is required", 2, false));
                    }
                }
                Evidence unreadable = new Evidence("nginx502", "localhost", Instant.now(), options.window(), blind);
                Diagnosis d2 = check.diagnose(ShellRunner.followUps(check, unreadable, options, UntrustedPsTest::sudoRefused,
                        new ArrayList<>()));
                assertEquals(Verdict.INCONCLUSIVE, d2.verdict(), d2.summary());
                assertTrue(d2.summary().contains(dir + "/logs/error.log is not readable by the bot's user and sudo -n "
                        + "tail was refused"), d2.summary());
            } finally {
                Pids.stop(dir.resolve("nginx.pid"));
                run("rm", "-rf", dir.toString());
            }
        }
    }

    /** The probes run as the SSH user, with sudo refusing every one that needs root. */
    private static Map<String, ProbeResult> sudoRefused(List<Probe> probes) {
        Map<String, ProbeResult> out = new LinkedHashMap<>(ShellRunner.run(probes.stream().filter(p -> !p.sudo()).toList(),
                AS_SSH_USER));
        probes.stream().filter(Probe::sudo).forEach(p -> out.put(p.name(), new ProbeResult("sudo -n " + p.command(), 1, "",
                "sudo: a password is required", 2, false)));
        return out;
    }

    private static void requireRootTools() {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean tools = Files.isExecutable(Path.of("/usr/sbin/nginx")) && Files.isExecutable(Path.of("/usr/sbin/runuser"))
                && Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/bin/bash"));
        if (!root || !tools) {
            if (REQUIRED && root) {
                fail("nginx, runuser, setpriv or bash is missing; run scripts/install-os-packages");
            }
            Assumptions.abort("needs root, nginx, runuser, setpriv and bash to act as an unprivileged SSH user");
        }
    }

    private static void waitForPs(String args) throws Exception {
        for (int i = 0; i < 50; i++) {
            Process ps = new ProcessBuilder("ps", "-eo", "args").start();
            if (new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains(args)) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the look-alike process did not start");
    }

    private static void run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
    }


}
