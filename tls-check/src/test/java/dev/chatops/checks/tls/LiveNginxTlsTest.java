package dev.chatops.checks.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Verdict;
import dev.chatops.testkit.CheckHarness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tls check on this machine, against a real nginx serving certificates openssl made for this run: found
 * through ps and nginx -T as on a host, the files read by the probes, the key's public half through openssl,
 * an HTTPS upstream's chain through openssl s_client. Holds /tmp/nginx-lab.lock while nginx runs (the check
 * sees every nginx master on the machine).
 */
class LiveNginxTlsTest {

    @TempDir
    static Path dir;
    static TestCerts certs;
    static Process lock;
    static Path conf;
    static Report report;

    @BeforeAll
    static void startNginx() throws Exception {
        needs(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed");
        needs("root".equals(System.getProperty("user.name")), "the check reads root's nginx masters: run as root");
        lock = new ProcessBuilder("flock", "-w", "300", "/tmp/nginx-lab.lock", "sh", "-c", "echo locked; exec cat")
                .redirectErrorStream(true).start();
        String first = new BufferedReader(new InputStreamReader(lock.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (!"locked".equals(first)) {
            lock.destroy();
            lock = null;
            needs(false, "another nginx lab held /tmp/nginx-lab.lock for 5 minutes");
        }
        certs = TestCerts.make(dir.resolve("certs"));
        Map<String, Integer> port = Map.of("expired", free(), "expiring", free(), "wrongname", free(),
                "nochain", free(), "healthy", free());
        StringBuilder servers = new StringBuilder();
        for (String s : List.of("expired", "expiring", "wrongname", "nochain", "healthy")) {
            servers.append("    server {\n")
                    .append("        listen 127.0.0.1:").append(port.get(s)).append(" ssl;\n")
                    .append("        server_name ").append(TestCerts.NAME).append(";\n")
                    .append("        ssl_certificate certs/").append(s).append(".crt;\n")
                    .append("        ssl_certificate_key ").append(certs.path(s + ".key")).append(";\n");
            if (s.equals("healthy")) {
                // nginx asks the upstream serving the other name for this one: a mismatch, with SNI
                servers.append("        location /api/ {\n")
                        .append("            proxy_pass https://127.0.0.1:").append(port.get("wrongname")).append(";\n")
                        .append("            proxy_ssl_server_name on;\n")
                        .append("            proxy_ssl_name ").append(TestCerts.NAME).append(";\n")
                        .append("        }\n");
            }
            servers.append("    }\n");
        }
        conf = dir.resolve("nginx.conf");
        Files.writeString(conf, "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + ";\n"
                + "events { worker_connections 64; }\n"
                + "http {\n"
                + "    access_log off;\n"
                + "    client_body_temp_path " + dir + "/tmp-body;\n"
                + "    proxy_temp_path " + dir + "/tmp-proxy;\n"
                + servers
                + "}\n");
        TestCerts.run(List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c", conf.toString()));
        report = CheckHarness.of(new TlsCheck()).runHere().report();
    }

    /** Skipped where the real services are missing, except on CI (-Dchatops.requireRealServices=true). */
    private static void needs(boolean present, String why) {
        if (Boolean.getBoolean("chatops.requireRealServices")) {
            assertTrue(present, why);
        }
        Assumptions.assumeTrue(present, why);
    }

    private static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @AfterAll
    static void stopNginx() throws Exception {
        try {
            if (conf != null && Files.exists(dir.resolve("nginx.pid"))) {
                TestCerts.run(List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c", conf.toString(), "-s", "stop"));
            }
        } finally {
            if (lock != null) {
                lock.getOutputStream().close();
                lock.waitFor();
            }
        }
    }

    private Cause cause(String id, String file) {
        return report.causes().stream().filter(c -> c.id().equals(id) && c.detail().contains(file)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " for " + file + " in " + report.summary() + "\n"
                        + report.causes().stream().map(c -> c.id() + ": " + c.detail()).collect(Collectors.joining("\n"))
                        + "\n" + report.notes()));
    }

    @Test
    void runHere_realNginx_namesEachBrokenCertificate() {
        assertEquals(Verdict.CAUSE_FOUND, report.verdict(), report.summary() + report.notes());
        cause("cert-expired", certs.path("expired.crt").toString());
        cause("cert-expiring", certs.path("expiring.crt").toString());
        cause("name-mismatch", certs.path("wrongname.crt").toString());
        cause("chain-incomplete", certs.path("nochain.crt").toString());
        assertTrue(report.summary().contains("1 certificate has expired"), report.summary());
    }

    @Test
    void runHere_relativeCertificatePath_isResolvedAgainstTheConfigDirectory() {
        Cause c = cause("cert-expired", certs.path("expired.crt").toString());

        assertTrue(c.fixes().stream().anyMatch(f -> f.text().equals("ssl_certificate certs/expired.crt;")
                && f.at().orElseThrow().toString().equals(conf + ":11")), c.fixes().toString());
    }

    @Test
    void runHere_httpsUpstreamWithAnotherName_isUpstreamNameMismatchSeenThroughOpensslWithSni() {
        Cause c = cause("upstream-name-mismatch", "(name " + TestCerts.NAME + ")");

        assertTrue(c.detail().contains("presented a certificate for other-" + TestCerts.NAME), c.detail());
        assertEquals(0.5, c.confidence(), "nginx does not verify it (proxy_ssl_verify off)");
    }

    @Test
    void runHere_healthyCertificate_isNotACause_andNoPrivateKeyReachesTheEvidence() {
        assertTrue(report.causes().stream().noneMatch(c -> c.detail().contains(certs.path("healthy.crt").toString())),
                report.causes().toString());
        assertFalse(report.causes().toString().contains("PRIVATE KEY"));
    }
}
