package dev.chatops.checks.tls.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.tls.target.Targets;
import dev.chatops.checks.tls.target.UpstreamTls;
import dev.chatops.core.spi.Probe;
import dev.chatops.nginx.config.ConfigDump;
import dev.chatops.nginx.config.NginxConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follow-up probes' real scripts, run with sh on files this test writes. */
class CertsProbeTest {

    @TempDir
    Path dir;

    private static String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static Targets targets(String conf) {
        return Targets.of(List.of(NginxConfig.from(ConfigDump.parse("# configuration file /etc/nginx/nginx.conf:\n"
                + conf), "/etc/nginx/")));
    }

    private static Probe named(List<Probe> probes, String name) {
        return probes.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void certs_fileWithCertAndKey_printsTheCertificateOnly_andMarksMissingFiles() throws Exception {
        Path combined = dir.resolve("combined.pem");
        String cert = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
        Files.writeString(combined, "-----BEGIN PRIVATE KEY-----\nSECRETSECRET\n-----END PRIVATE KEY-----\r\n"
                + cert.replace("\n", "\r\n") + "trailing text\n-----BEGIN EC PRIVATE KEY-----\nSECRET2\n"
                + "-----END EC PRIVATE KEY-----\n");
        Targets t = targets("events {}\nhttp {\n"
                + "server { listen 443 ssl; ssl_certificate " + combined + "; ssl_certificate_key " + combined + "; }\n"
                + "server { listen 8443 ssl; ssl_certificate " + dir.resolve("gone.crt") + "; }\n}\n");

        String out = sh(named(TlsProbes.followUp(t), TlsProbes.CERTS).command());

        assertEquals("@@tls file " + combined + "\n" + cert + "@@tls file " + dir.resolve("gone.crt") + "\n"
                + "@@tls missing\n", out);
        assertFalse(out.contains("SECRET"));
    }

    @Test
    void followUp_rootProbes_keepTheSudoRule_andQuoteThePath() {
        Targets t = targets("events {}\nhttp {\n"
                + "server { listen 443 ssl; ssl_certificate /etc/ssl/a.crt; ssl_certificate_key /etc/ssl/private/a+b@c.key; }\n"
                + "}\n");

        Probe key = named(TlsProbes.followUp(t), "key.0");

        assertTrue(key.sudo());
        assertEquals("openssl pkey -in '/etc/ssl/private/a+b@c.key' -pubout", key.command());
        assertTrue(key.sudoProblem().isEmpty(), key.sudoProblem().toString());
    }

    @Test
    void upstream_ipAddress_sendsNoName_hostName_sendsItOnlyWhenNginxDoes() {
        Targets t = targets("events {}\nhttp {\nupstream api { server api.internal:8443; }\n"
                + "server { listen 80;\n"
                + "  location /a { proxy_pass https://127.0.0.1:9443; proxy_ssl_server_name on; }\n"
                + "  location /b { proxy_pass https://api; proxy_ssl_server_name on; proxy_ssl_name api.example.test; }\n"
                + "  location /c { proxy_pass https://api.internal:8443; }\n"
                + "}\n}\n");

        List<UpstreamTls> u = t.upstreams();

        assertEquals(3, u.size(), u.toString());
        assertTrue(TlsProbes.upstreamScript(u.get(0)).contains("-connect '127.0.0.1:9443' -noservername"));
        assertTrue(TlsProbes.upstreamScript(u.get(1)).contains("-connect 'api.internal:8443' -servername "
                + "'api.example.test'"));
        assertTrue(TlsProbes.upstreamScript(u.get(2)).contains("-connect 'api.internal:8443' -noservername"));
        assertEquals("api.internal", u.get(2).name());
    }

    @Test
    void upstream_hostileNamesFromTheConfig_areNotProbed() {
        Targets t = targets("events {}\nhttp {\nserver { listen 80;\n"
                + "  location /a { proxy_pass https://127.0.0.1:9443; proxy_ssl_name \"x';reboot;'\"; }\n"
                + "  location /b { proxy_pass https://$http_host; }\n"
                + "}\n}\n");

        assertEquals(List.of(), t.upstreams());
        assertEquals(2, t.notes().size(), t.notes().toString());
    }

    @Test
    void targets_aConfigOfManyCertificates_isCappedWithOneNote() {
        StringBuilder conf = new StringBuilder("events {}\nhttp {\n");
        for (int i = 0; i < 200; i++) {
            conf.append("server { listen 443 ssl; ssl_certificate /etc/ssl/c").append(i).append(".crt; }\n");
        }
        for (int i = 0; i < 50; i++) {
            conf.append("server { listen 443 ssl; ssl_certificate /etc/ssl/$v").append(i).append(".crt; }\n");
        }

        Targets t = targets(conf.append("}\n").toString());

        assertEquals(Targets.MAX_CERTS, t.served().size());
        assertEquals(13, t.notes().size(), t.notes().toString());
        assertTrue(t.notes().get(0).startsWith("more than 32 certificates are configured; /etc/ssl/c32.crt"));
        assertEquals("39 more directives were not checked for the same reasons", t.notes().get(12));
    }
}
