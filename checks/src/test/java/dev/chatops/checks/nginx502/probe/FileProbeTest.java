package dev.chatops.checks.nginx502.probe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.Fixtures;
import dev.chatops.checks.nginx502.evidence.FollowUp;
import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The follow-up looks for the certificate files a TLS fix may name, with validated, quoted paths. */
class FileProbeTest {

    @Test
    void followUp_statsTheCertificateFilesOfTheConfig() {
        Probe up = upstreams(Fixtures.evidence("upstream-ssl-verify"));
        assertTrue(up.command().contains("file_probe 'file:/etc/ssl/certs/ca-certificates.crt' "
                + "'/etc/ssl/certs/ca-certificates.crt'\n"), up.command());
        assertTrue(up.command().contains("file_probe 'file:/tmp/nginx502-lab/ssl-verify/ssl/upstream-ca.pem' "
                + "'/tmp/nginx502-lab/ssl-verify/ssl/upstream-ca.pem'\n"), up.command());
    }

    @Test
    void followUp_pathsThatAreNotPlainPathsAreNotStatted() {
        Evidence real = Fixtures.evidence("upstream-ssl-verify");
        Map<String, ProbeResult> probes = new LinkedHashMap<>(real.probes());
        ProbeResult nginx = probes.get(Nginx502Probes.NGINX);
        String hostile = nginx.stdout().replace("proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;",
                "proxy_ssl_trusted_certificate \"/etc/x'$(id)`id`.pem\";");
        assertFalse(hostile.equals(nginx.stdout()));
        probes.put(Nginx502Probes.NGINX, new ProbeResult(nginx.command(), nginx.exit(), hostile, nginx.stderr(),
                nginx.ms(), nginx.truncated()));
        Probe up = upstreams(new Evidence(real.check(), real.host(), real.collectedAt(), real.window(), probes));
        assertFalse(up.command().contains("$(id)"), up.command());
        assertFalse(up.command().contains("`id`"), up.command());
        assertTrue(up.command().contains("file_probe 'file:/etc/ssl/certs/ca-certificates.crt'"), up.command());
    }

    private static Probe upstreams(Evidence e) {
        List<Probe> more = FollowUp.probes(HostEvidence.from(e), CheckOptions.defaults());
        return more.stream().filter(p -> p.name().equals(Nginx502Probes.UPSTREAMS)).findFirst().orElseThrow();
    }
}
