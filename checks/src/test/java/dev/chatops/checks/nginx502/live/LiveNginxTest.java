package dev.chatops.checks.nginx502.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chatops.checks.nginx502.Nginx502Check;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.checks.nginx502.probe.RootHelper;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Verdict;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real probe scripts against a real nginx with a real fault and a huge log: the check runs its
 * probes through /bin/sh on this machine (without sudo), and the nginx probe's output stays small
 * although the logs hold hundreds of MiB of old errors, because the host cuts them by bytes and time.
 */
class LiveNginxTest {

    private static final boolean REQUIRED = Boolean.getBoolean("chatops.requireRealServices");
    private static final long OLD_BYTES = 48L * 1024 * 1024;
    private static final Path HELPER = Path.of("src/main/resources/dev/chatops/checks/nginx502/probe/nginx502-root");

    @TempDir
    Path dir;

    @Test
    void realNginx_hugeLogs_upstreamDownFoundAndOutputBounded() throws Exception {
        Path nginx = Path.of("/usr/sbin/nginx");
        if (!Files.isExecutable(nginx)) {
            if (REQUIRED) {
                fail("nginx is not installed at /usr/sbin/nginx; run scripts/install-os-packages");
            }
            Assumptions.abort("nginx is not installed here");
        }
        try (LabLock lock = LabLock.acquire(REQUIRED)) {
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
                        upstream shop_app {
                            server 127.0.0.1:%3$d;
                        }
                        server {
                            listen 127.0.0.1:%2$d;
                            server_name shop.example.com;
                            location / {
                                proxy_pass http://shop_app;
                            }
                        }
                    }
                    """.formatted(dir, port, dead));
            writeOldLogs(dead);
            Process start = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf")
                    .toString()).redirectErrorStream(true).start();
            assertEquals(0, start.waitFor(), new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            try {
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < 12; i++) {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cart"))
                            .build(), HttpResponse.BodyHandlers.discarding());
                    assertEquals(502, r.statusCode());
                }
                Nginx502Check check = new Nginx502Check();
                CheckOptions options = CheckOptions.defaults();
                long t0 = System.nanoTime();
                Evidence first = new Evidence("nginx502", "localhost", Instant.now(), options.window(),
                        ShellRunner.run(check.probes(options)));
                Evidence all = ShellRunner.followUps(check, first, options, List.of(), new ArrayList<>());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                ProbeResult probe = all.probe(Nginx502Probes.NGINX).orElseThrow();
                assertEquals(0, probe.exit(), probe.stderr());
                assertFalse(probe.truncated());
                assertTrue(probe.stdout().length() < 512 * 1024,
                        "the nginx probe sent " + probe.stdout().length() + " bytes for " + 2 * OLD_BYTES + " bytes of logs");
                assertTrue(probe.stdout().contains("@@nginx502 instance pid="), probe.stdout());
                Diagnosis d = check.diagnose(all);
                assertEquals(Verdict.CAUSE_FOUND, d.verdict(), d.summary() + " " + d.notes());
                assertEquals("upstream-down", d.causes().get(0).id(), d.summary());
                assertTrue(d.causes().get(0).evidence().stream().anyMatch(e -> e.count() == 12), d.causes().toString());
                assertTrue(d.notes().stream().anyMatch(n -> n.startsWith("past incident, not the current cause")),
                        d.notes().toString());
                for (Map.Entry<String, ProbeResult> e : all.probes().entrySet()) {
                    assertTrue(e.getValue().exit() != ProbeResult.TIMED_OUT, e.getKey() + " timed out");
                }
                System.out.println("live nginx502 run: " + ms + " ms, nginx probe " + probe.stdout().length()
                        + " bytes for " + 2 * OLD_BYTES / (1024 * 1024) + " MiB of logs");
            } finally {
                Pids.stop(dir.resolve("nginx.pid"));
            }
        }
    }

    @Test
    void realNginx_unprivilegedUser_readsTheConfigFilesAndTestsAsRoot() throws Exception {
        Path nginx = Path.of("/usr/sbin/nginx");
        Path runuser = Path.of("/usr/sbin/runuser");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!Files.isExecutable(nginx) || !Files.isExecutable(runuser) || !root) {
            if (REQUIRED && root) {
                fail("nginx or runuser is missing; run scripts/install-os-packages");
            }
            Assumptions.abort("needs root, nginx and runuser to act as an unprivileged SSH user");
        }
        try (LabLock lock = LabLock.acquire(REQUIRED)) {
            int port = Pids.freePort();
            int dead = Pids.freePort();
            Files.createDirectories(dir.resolve("logs"));
            Files.createDirectories(dir.resolve("conf.d"));
            Files.writeString(dir.resolve("nginx.conf"), """
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log logs/error.log;
                    events { worker_connections 64; }
                    http {
                        access_log logs/access.log;
                        include conf.d/*.conf;
                    }
                    """.formatted(dir));
            Files.writeString(dir.resolve("conf.d/shop.conf"), """
                    server {
                        listen 127.0.0.1:%1$d;
                        server_name shop.example.com;
                        location / {
                            proxy_pass http://127.0.0.1:%2$d;
                        }
                    }
                    """.formatted(port, dead));
            // like /etc/nginx: readable by everyone, the pid file writable by root only
            new ProcessBuilder("chmod", "-R", "a+rX", dir.toString()).start().waitFor();
            Process start = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf")
                    .toString()).redirectErrorStream(true).start();
            assertEquals(0, start.waitFor(), new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            try {
                new ProcessBuilder("chmod", "-R", "a+rX", dir.resolve("logs").toString()).start().waitFor();
                HttpClient http = HttpClient.newHttpClient();
                for (int i = 0; i < 5; i++) {
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                            HttpResponse.BodyHandlers.discarding());
                }
                Nginx502Check check = new Nginx502Check();
                CheckOptions options = CheckOptions.defaults();
                List<String> nobody = List.of(runuser.toString(), "-u", "nobody", "--");
                // without the root helper (not installed): its root commands run one by one
                List<Probe> asked = new ArrayList<>();
                Evidence all = ShellRunner.runCheck(check, options, nobody, dir.resolve("not-installed"), asked);
                String out = all.probe(Nginx502Probes.NGINX).orElseThrow().stdout();
                assertTrue(out.contains("(13: Permission denied)") && out.contains("@@nginx502 walk"), out);
                assertTrue(asked.stream().anyMatch(p -> p.sudo() && p.command().startsWith("'/usr/sbin/nginx' -t -p ")),
                        asked.toString());
                assertTrue(asked.stream().anyMatch(p -> p.sudo() && p.command().equals("ss -ltxnp")), asked.toString());
                Diagnosis d = check.diagnose(all);
                assertEquals("upstream-down", d.causes().get(0).id(), d.summary() + " " + d.notes());
                assertTrue(d.notes().stream().noneMatch(n -> n.contains("nginx -T could not run")), d.notes().toString());

                // with it: one root call for those commands, and the same diagnosis
                List<Probe> viaHelper = new ArrayList<>();
                Evidence helped = ShellRunner.runCheck(check, options, nobody, HELPER.toAbsolutePath(), viaHelper);
                assertEquals(0, helped.probe(RootHelper.PROBE).orElseThrow().exit(), helped.probe(RootHelper.PROBE)
                        .orElseThrow().stderr());
                assertTrue(viaHelper.stream().noneMatch(p -> p.command().equals("ss -ltxnp") || p.command().equals("dmesg")),
                        viaHelper.toString());
                assertTrue(viaHelper.stream().anyMatch(p -> p.sudo() && p.command().startsWith("'/usr/sbin/nginx' -t -p ")),
                        viaHelper.toString());
                assertTrue(viaHelper.stream().filter(Probe::sudo).count() < asked.stream().filter(Probe::sudo).count(),
                        viaHelper + " against " + asked);
                Diagnosis h = check.diagnose(helped);
                assertEquals(d.verdict(), h.verdict());
                assertEquals(d.summary(), h.summary());
                assertEquals(d.causes().stream().map(c -> c.id()).toList(), h.causes().stream().map(c -> c.id()).toList());
                assertEquals(d.notes(), h.notes());
            } finally {
                Pids.stop(dir.resolve("nginx.pid"));
            }
        }
    }

    private void writeOldLogs(int dead) throws IOException {
        String err = "2026/01/02 03:04:05 [error] 811#811: *%d connect() failed (111: Connection refused) while connecting "
                + "to upstream, client: 10.0.0.9, server: shop.example.com, request: \"GET /cart HTTP/1.1\", upstream: "
                + "\"http://127.0.0.1:" + dead + "/cart\", host: \"shop.example.com\"\n";
        String acc = "10.0.0.9 - - [02/Jan/2026:03:04:05 +0000] \"GET /cart HTTP/1.1\" 502 157 \"-\" \"curl/7.88.1\"\n";
        fill(dir.resolve("logs/error.log"), err);
        fill(dir.resolve("logs/access.log"), acc);
    }

    private static void fill(Path file, String template) throws IOException {
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < 4000; i++) {
            chunk.append(template.contains("%d") ? String.format(template, i) : template);
        }
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
        try (BufferedWriter unused = Files.newBufferedWriter(file)) {
            // created empty; filled below in binary
        }
        try (var out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            for (long written = 0; written < OLD_BYTES; written += bytes.length) {
                out.write(bytes);
            }
        }
    }


}
