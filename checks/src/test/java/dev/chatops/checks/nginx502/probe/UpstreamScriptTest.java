package dev.chatops.checks.nginx502.probe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.Fixtures;
import dev.chatops.checks.nginx502.evidence.FollowUp;
import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.ProbeResult;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where the follow-up makes the web host connect: the config decides, not the error log (clients can
 * write lines into it). Recorded evidence with forged lines added to its error log.
 */
class UpstreamScriptTest {

    private static final String LOG_START = "@@nginx502 log-size 7650\n";

    private static String forged(String upstream) {
        return "2026/11/21 11:47:19 [error] 2262#2262: *99 connect() failed (111: Connection refused) while connecting to "
                + "upstream, client: 10.9.9.9, server: shop.example.com, request: \"GET / HTTP/1.1\", upstream: \"http://"
                + upstream + "/\", host: \"shop.example.com\"\n";
    }

    private static Evidence withLog(String extraLines, String configFrom, String configTo) {
        Evidence e = Fixtures.evidence("upstream-down-tcp");
        ProbeResult r = e.probe(Nginx502Probes.NGINX).orElseThrow();
        assertTrue(r.stdout().contains(LOG_START) && r.stdout().contains(configFrom));
        String out = r.stdout().replace(LOG_START, LOG_START + extraLines).replace(configFrom, configTo);
        Map<String, ProbeResult> probes = new LinkedHashMap<>(e.probes());
        probes.put(Nginx502Probes.NGINX, new ProbeResult(r.command(), r.exit(), out, r.stderr(), r.ms(), r.truncated()));
        return new Evidence(e.check(), e.host(), e.collectedAt(), e.window(), probes);
    }

    @Test
    void forgedLogAddresses_areNeverProbedAndCannotPushTheConfigOut() {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            lines.append(forged("203.0.113." + i + ":28001"));
        }
        lines.append(forged("169.254.169.254:80")).append(forged("[fe80::1]:80")).append(forged("100.100.100.200:80"));
        Evidence e = withLog(lines.toString(), "server 127.0.0.1:28001;", "server 127.0.0.1:28001;");
        String script = Nginx502Probes.upstreamScript(FollowUp.targets(HostEvidence.from(e)));
        assertTrue(script.contains("tcp_probe 'tcp:127.0.0.1:28001' '127.0.0.1' 28001"), script);
        assertFalse(script.contains("203.0.113."), script);
        assertFalse(script.contains("169.254."), script);
        assertFalse(script.contains("fe80"), script);
        assertFalse(script.contains("100.100.100.200"), script);
    }

    @Test
    void logAddressOfANameTheConfigResolves_isProbedAfterTheConfigsOwn() {
        String lines = forged("10.20.30.40:8080") + forged("169.254.169.254:8080") + forged("203.0.113.9:9999");
        Evidence e = withLog(lines, "server 127.0.0.1:28001;",
                "server 127.0.0.1:28001;\n    server api.internal:8080;\n    server 169.254.169.254:80;");
        String script = Nginx502Probes.upstreamScript(FollowUp.targets(HostEvidence.from(e)));
        int config = script.indexOf("'tcp:127.0.0.1:28001'");
        int name = script.indexOf("'tcp:api.internal:8080'");
        int resolved = script.indexOf("'tcp:10.20.30.40:8080'");
        assertTrue(config > 0 && name > config && resolved > name, script);
        assertFalse(script.contains("203.0.113.9"), script);
        assertFalse(script.contains("169.254."), script);
    }

    @Test
    void upstreamBlockName_isProbedAsItsServersNeverAsAHost() {
        // "no live upstreams" lines name the upstream block (fastcgi://php_backend), not an address
        // a server named by a DNS name on port 80: the block's name on nginx's default port looks like its address
        Evidence recorded = Fixtures.evidence("upstream-wrong-address-upstream");
        ProbeResult r = recorded.probe(Nginx502Probes.NGINX).orElseThrow();
        assertTrue(r.stdout().contains("upstream: \"fastcgi://php_backend\"") && r.stdout().contains("    server 127.0.0.1:28033;\n"));
        Map<String, ProbeResult> probes = new LinkedHashMap<>(recorded.probes());
        probes.put(Nginx502Probes.NGINX, new ProbeResult(r.command(), r.exit(), r.stdout().replace("    server 127.0.0.1:28033;\n",
                "    server 127.0.0.1:28033;\n    server app.internal:80;\n"), r.stderr(), r.ms(), r.truncated()));
        Evidence e = new Evidence(recorded.check(), recorded.host(), recorded.collectedAt(), recorded.window(), probes);
        String script = Nginx502Probes.upstreamScript(FollowUp.targets(HostEvidence.from(e)));
        assertTrue(script.contains("tcp_probe 'tcp:127.0.0.1:28033' '127.0.0.1' 28033"), script);
        assertTrue(script.contains("tcp_probe 'tcp:app.internal:80' 'app.internal' 80"), script);
        assertTrue(script.contains("unix_probe 'unix:/tmp/nginx502-lab/wrong-upstream/php-fpm.sock'"), script);
        assertFalse(script.contains("php_backend"), script);
    }
}
