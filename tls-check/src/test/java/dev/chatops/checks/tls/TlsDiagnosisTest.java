package dev.chatops.checks.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.tls.probe.TlsProbes;
import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.Settings;
import dev.chatops.core.spi.Verdict;
import dev.chatops.testkit.CheckHarness;
import dev.chatops.testkit.FakeHost;
import dev.chatops.testkit.TestedCheck;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tls check against a scripted host: a recorded {@code nginx -T}, and certificates openssl made for this
 * run (so their dates are relative to now, which is also when the harness stamps the evidence).
 */
@TestedCheck(TlsCheck.class)
class TlsDiagnosisTest {

    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void makeCerts() throws Exception {
        certs = TestCerts.make(dir);
    }

    /** nginx -T of one TLS server on {@code cert}/{@code key}, as the nginx probe prints it. */
    private static String nginxDump(String cert, String key, String extra) {
        return "@@tls instance pid=4242 bin=/usr/sbin/nginx prefix= conf=\n"
                + "@@tls paths prefix=/usr/share/nginx/ conf=/etc/nginx/nginx.conf\n"
                + "@@tls dump exit=0\n"
                + "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
                + "# configuration file /etc/nginx/nginx.conf:\n"
                + "events {}\n"
                + "http {\n"
                + "    include /etc/nginx/conf.d/*.conf;\n"
                + "}\n"
                + "\n"
                + "# configuration file /etc/nginx/conf.d/shop.conf:\n"
                + "server {\n"
                + "    listen 443 ssl;\n"
                + "    server_name " + TestCerts.NAME + ";\n"
                + "    ssl_certificate " + certs.path(cert) + ";\n"
                + "    ssl_certificate_key " + certs.path(key) + ";\n"
                + extra
                + "}\n"
                + "\n"
                + "@@tls dump-end\n";
    }

    private static String certsOutput(String... files) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String f : files) {
            sb.append("@@tls file ").append(certs.path(f)).append('\n').append(certs.text(f));
        }
        return sb.toString();
    }

    private static FakeHost served(String cert, String key) throws Exception {
        return FakeHost.script().probe(TlsProbes.NGINX, nginxDump(cert, key, ""))
                .probe(TlsProbes.CERTS, certsOutput(cert))
                .probe(TlsProbes.KEY + 0, certs.publicHalf(key));
    }

    private static Cause only(Report r) {
        assertEquals(Verdict.CAUSE_FOUND, r.verdict(), r.summary() + " " + r.notes());
        assertEquals(1, r.causes().size(), r.causes().toString());
        return r.causes().get(0);
    }

    @Test
    void run_healthyCertWithChain_isHealthyAndSaysWhenTheFirstExpires(CheckHarness harness) throws Exception {
        Report r = harness.run(served("healthy.crt", "healthy.key")).report();

        assertEquals(Verdict.HEALTHY, r.verdict(), r.summary() + " " + r.causes() + " " + r.notes());
        assertTrue(r.summary().startsWith("1 certificate checked: valid for more than 14 days, chains complete, "
                + "names covered; the first to expire is "), r.summary());
    }

    @Test
    void run_asksForCertsAndTheKeysPublicHalfAsRootWithAnExactCommand(CheckHarness harness) throws Exception {
        FakeHost host = served("healthy.crt", "healthy.key");

        harness.run(host);

        List<String> names = host.asked().stream().map(Probe::name).toList();
        assertEquals(List.of("nginx", "certs", "key.0"), names);
        Probe key = host.asked().get(2);
        assertTrue(key.sudo());
        assertTrue(key.sudoProblem().isEmpty(), key.sudoProblem().toString());
        assertEquals("openssl pkey -in '" + certs.path("healthy.key") + "' -pubout", key.command());
        assertTrue(host.asked().get(1).command().contains("'" + certs.path("healthy.crt") + "'"));
    }

    @Test
    void run_expiredCert_isCertExpiredWithTheDirectiveLine(CheckHarness harness) throws Exception {
        Report r = harness.run(served("expired.crt", "expired.key")).report();

        Cause c = only(r);
        assertEquals("cert-expired", c.id());
        assertEquals("1 certificate has expired", r.summary());
        assertTrue(c.detail().contains(certs.path("expired.crt") + ")") && c.detail().contains("(3 days ago)"),
                c.detail());
        Fix directive = c.fixes().stream().filter(f -> f.kind() == Fix.Kind.DIRECTIVE).findFirst().orElseThrow();
        assertEquals("/etc/nginx/conf.d/shop.conf:4", directive.at().orElseThrow().toString());
        assertTrue(c.fixes().get(0).text().startsWith("openssl req -new -key '" + certs.path("expired.key") + "'"),
                c.fixes().get(0).text());
    }

    @Test
    void run_expiringCert_isCertExpiringWithinWarnDays_andHealthyBelowASmallerSetting(CheckHarness harness)
            throws Exception {
        Report r = harness.run(served("expiring.crt", "expiring.key")).report();

        assertEquals("cert-expiring", only(r).id());
        assertEquals("1 certificate expires within 14 days", r.summary());

        CheckOptions three = CheckOptions.defaults().withSettings(Settings.of(new TlsCheck().settings(),
                Map.of(TlsCheck.WARN_DAYS, 3)));
        Report later = harness.run(served("expiring.crt", "expiring.key"), three).report();
        assertEquals(Verdict.HEALTHY, later.verdict(), later.summary() + later.causes());
    }

    @Test
    void run_certForAnotherName_isNameMismatchAtServerName(CheckHarness harness) throws Exception {
        Report r = harness.run(served("wrongname.crt", "wrongname.key")).report();

        Cause c = only(r);
        assertEquals("name-mismatch", c.id());
        assertTrue(c.detail().contains("is valid for other-" + TestCerts.NAME + ", but nginx serves it for "
                + TestCerts.NAME), c.detail());
        assertTrue(c.evidence().stream().anyMatch(e -> e.text().equals("server_name " + TestCerts.NAME
                + "; (/etc/nginx/conf.d/shop.conf:3)")), c.evidence().toString());
        assertTrue(c.fixes().get(0).text().contains("subjectAltName=DNS:other-" + TestCerts.NAME + ",DNS:"
                + TestCerts.NAME), c.fixes().get(0).text());
    }

    @Test
    void run_leafWithoutIntermediate_isChainIncompleteWithConcatenateFix(CheckHarness harness) throws Exception {
        Report r = harness.run(served("nochain.crt", "nochain.key")).report();

        Cause c = only(r);
        assertEquals("chain-incomplete", c.id());
        assertTrue(c.detail().contains("CN=Chatops Lab Intermediate CA is not in it"), c.detail());
        assertEquals("cat '" + certs.path("nochain.crt") + "' intermediate.pem > '" + certs.path("nochain.fullchain.pem")
                + "'   # intermediate.pem: the issuer's certificate from the CA", c.fixes().get(0).text());
        assertEquals("ssl_certificate " + certs.path("nochain.fullchain.pem") + ";", c.fixes().get(1).text());
    }

    @Test
    void run_keyOfAnotherCert_isKeyMismatch(CheckHarness harness) throws Exception {
        FakeHost host = FakeHost.script().probe(TlsProbes.NGINX, nginxDump("healthy.crt", "other.key", ""))
                .probe(TlsProbes.CERTS, certsOutput("healthy.crt"))
                .probe(TlsProbes.KEY + 0, certs.publicHalf("other.key"));

        Cause c = only(harness.run(host).report());

        assertEquals("key-mismatch", c.id());
        assertEquals("ssl_certificate_key " + certs.path("other.key") + ";", c.fixes().get(1).text());
        assertEquals("/etc/nginx/conf.d/shop.conf:5", c.fixes().get(1).at().orElseThrow().toString());
    }

    @Test
    void run_certUnreadable_isInconclusiveSayingWhatToFix(CheckHarness harness) throws Exception {
        FakeHost host = FakeHost.script().probe(TlsProbes.NGINX, nginxDump("healthy.crt", "healthy.key", ""))
                .probe(TlsProbes.CERTS, "@@tls file " + certs.path("healthy.crt") + "\n@@tls unreadable\n")
                .probe(TlsProbes.KEY + 0, certs.publicHalf("healthy.key"));

        Report r = harness.run(host).report();

        assertEquals(Verdict.INCONCLUSIVE, r.verdict());
        assertTrue(r.summary().startsWith("1 certificate could not be read: certificate " + certs.path("healthy.crt")
                + " (ssl_certificate at /etc/nginx/conf.d/shop.conf:4): the bot's user may not read it"), r.summary());
    }

    @Test
    void run_keyNotReadable_isHealthyOnTheCertButNotesTheSudoersLine(CheckHarness harness) throws Exception {
        FakeHost host = FakeHost.script().probe(TlsProbes.NGINX, nginxDump("healthy.crt", "healthy.key", ""))
                .probe(TlsProbes.CERTS, certsOutput("healthy.crt"))
                .probe(TlsProbes.KEY + 0, 1, "", "sudo: a password is required");

        Report r = harness.run(host).report();

        assertEquals(Verdict.HEALTHY, r.verdict());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("was not compared with its certificate: sudo: a "
                + "password is required. Allow reading its public half: chatops ALL=(root) NOPASSWD: /usr/bin/openssl "
                + "pkey -in " + certs.path("healthy.key") + " -pubout")), r.notes().toString());
    }

    @Test
    void run_httpsUpstreamWithWrongName_isUpstreamNameMismatchAtTheProxyPass(CheckHarness harness) throws Exception {
        String location = "    location / {\n"
                + "        proxy_pass https://127.0.0.1:8443;\n"
                + "        proxy_ssl_name api.example.test;\n"
                + "        proxy_ssl_verify on;\n"
                + "    }\n";
        FakeHost host = FakeHost.script().probe(TlsProbes.NGINX, nginxDump("healthy.crt", "healthy.key", location))
                .probe(TlsProbes.CERTS, certsOutput("healthy.crt"))
                .probe(TlsProbes.KEY + 0, certs.publicHalf("healthy.key"))
                .probe(TlsProbes.UPSTREAM + 0, "@@tls connect\nCONNECTED(00000003)\n---\nCertificate chain\n"
                        + certs.text("wrongname.crt") + "---\nVerify return code: 19 (self-signed certificate in "
                        + "certificate chain)\n@@tls connect-end\n");

        Report r = harness.run(host).report();

        Cause c = only(r);
        assertEquals("upstream-name-mismatch", c.id());
        assertTrue(c.detail().startsWith("https://127.0.0.1:8443 (name api.example.test) presented a certificate for "
                + "other-" + TestCerts.NAME + ", not api.example.test (nginx sends no name"), c.detail());
        assertEquals("proxy_ssl_server_name on;", c.fixes().get(0).text());
        assertEquals("/etc/nginx/conf.d/shop.conf:7", c.fixes().get(0).at().orElseThrow().toString());
        assertEquals(0.85, c.confidence());
        Probe asked = host.asked().get(host.asked().size() - 1);
        assertEquals("upstream.0", asked.name());
        assertFalse(asked.sudo());
        assertTrue(asked.command().contains("-connect '127.0.0.1:8443' -noservername -showcerts"), asked.command());
    }

    @Test
    void run_upstreamRefusing_isInconclusiveForIt(CheckHarness harness) throws Exception {
        String location = "    location / { proxy_pass https://127.0.0.1:8443; }\n";
        FakeHost host = FakeHost.script().probe(TlsProbes.NGINX, nginxDump("healthy.crt", "healthy.key", location))
                .probe(TlsProbes.CERTS, certsOutput("healthy.crt"))
                .probe(TlsProbes.KEY + 0, certs.publicHalf("healthy.key"))
                .probe(TlsProbes.UPSTREAM + 0, "@@tls connect\n4087F0A7:error:8000006F:system library:BIO_connect:"
                        + "Connection refused:../crypto/bio/bio_sock2.c:114:calling connect()\nconnect:errno=111\n"
                        + "@@tls connect-end\n");

        Report r = harness.run(host).report();

        assertEquals(Verdict.INCONCLUSIVE, r.verdict());
        assertTrue(r.summary().contains("upstream https://127.0.0.1:8443 (proxy_pass at /etc/nginx/conf.d/shop.conf:6): "
                + "openssl s_client: "), r.summary());
    }

    @Test
    void run_noNginx_isInconclusive_never_healthy(CheckHarness harness) {
        Report r = harness.run(FakeHost.script().probe(TlsProbes.NGINX, "@@tls not-installed\n")).report();

        assertEquals(Verdict.INCONCLUSIVE, r.verdict());
        assertEquals("No nginx is installed where this check looks, so it found no certificate to check.", r.summary());
    }

    @Test
    void run_masterNotRunByRoot_isIgnoredWithANote(CheckHarness harness) throws Exception {
        FakeHost host = served("healthy.crt", "healthy.key");
        host.probe(TlsProbes.NGINX, "@@tls ignored pid=666 why=not run by root\n" + nginxDump("healthy.crt",
                "healthy.key", ""));

        Report r = harness.run(host).report();

        assertEquals(Verdict.HEALTHY, r.verdict());
        assertTrue(r.notes().contains("a process 666 calls itself an nginx master but root does not run it, so its "
                + "config was not read"), r.notes().toString());
    }

    @Test
    void run_configWithoutTls_isInconclusiveNothingToCheck(CheckHarness harness) {
        String dump = "@@tls instance pid=7 bin=/usr/sbin/nginx prefix= conf=\n@@tls paths prefix=/etc/nginx/ "
                + "conf=/etc/nginx/nginx.conf\n@@tls dump exit=0\n# configuration file /etc/nginx/nginx.conf:\n"
                + "events {}\nhttp { server { listen 80; location / { proxy_pass http://127.0.0.1:3000; } } }\n"
                + "@@tls dump-end\n";

        Report r = harness.run(FakeHost.script().probe(TlsProbes.NGINX, dump)).report();

        assertEquals(Verdict.INCONCLUSIVE, r.verdict());
        assertTrue(r.summary().startsWith("nginx serves no certificate and proxies to no HTTPS upstream"), r.summary());
    }

    @Test
    void followUp_hostilePathsAndVariables_areNotProbed(CheckHarness harness) {
        String dump = "@@tls instance pid=7 bin=/usr/sbin/nginx prefix= conf=\n@@tls paths prefix=/etc/nginx/ "
                + "conf=/etc/nginx/nginx.conf\n@@tls dump exit=0\n# configuration file /etc/nginx/nginx.conf:\n"
                + "events {}\nhttp {\n"
                + "server { listen 443 ssl; ssl_certificate \"/etc/ssl/x'$(reboot)'.crt\"; ssl_certificate_key /k; }\n"
                + "server { listen 443 ssl; ssl_certificate /etc/ssl/$ssl_server_name.crt; ssl_certificate_key /k; }\n"
                + "server { listen 443 ssl; ssl_certificate ../../etc/shadow; ssl_certificate_key /k; }\n"
                + "server { listen 80; location / { proxy_pass https://$host; } }\n"
                + "}\n@@tls dump-end\n";
        FakeHost host = FakeHost.script().probe(TlsProbes.NGINX, dump);

        Report r = harness.run(host).report();

        assertEquals(List.of("nginx"), host.asked().stream().map(Probe::name).toList());
        assertEquals(Verdict.INCONCLUSIVE, r.verdict());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("is chosen per request")), r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("names a path with characters this check does not "
                + "read")), r.notes().toString());
    }

    @Test
    void sweepSummary_twoExpiring_readsAsTheMorningLine(CheckHarness harness) throws Exception {
        String second = "}\nserver {\n    listen 8443 ssl;\n    server_name " + TestCerts.NAME + ";\n"
                + "    ssl_certificate " + certs.path("expiring.crt").toString().replace("expiring.crt", "exp2.crt")
                + ";\n    ssl_certificate_key " + certs.path("expiring.key") + ";\n";
        java.nio.file.Files.copy(certs.path("expiring.crt"), certs.path("exp2.crt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        FakeHost host = FakeHost.script().probe(TlsProbes.NGINX, nginxDump("expiring.crt", "expiring.key", second))
                .probe(TlsProbes.CERTS, certsOutput("expiring.crt", "exp2.crt"))
                .probe(TlsProbes.KEY + 0, certs.publicHalf("expiring.key"));

        Report r = harness.run(host).report();

        assertEquals("2 certificates expire within 14 days", r.summary());
        assertEquals("🔴 web-03  cert-expiring: 2 certificates expire within 14 days",
                dev.chatops.core.sweep.SweepSummary.line(new dev.chatops.core.sweep.SweepLine("web-03", r)));
    }

    @Test
    void diagnose_isPure_replayGivesTheSameReport(CheckHarness harness) throws Exception {
        CheckHarness.Run run = harness.withClock(java.time.Clock.fixed(Instant.now(), java.time.ZoneOffset.UTC))
                .run(served("expired.crt", "expired.key"));

        Report again = harness.replay(run.evidence());

        assertEquals(run.report().summary(), again.summary());
        assertEquals(run.report().causes(), again.causes());
    }
}
