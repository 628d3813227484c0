package dev.chatops.checks.nginx502.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.Fixtures;
import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Confidence;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.incident.Backends;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Location;
import dev.chatops.nginx.config.Endpoint;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The last look at fixes before they are offered, and restarts of what already runs. */
class FixCheckTest {

    private static final String SITE = "/tmp/nginx502-lab/ssl-handshake/conf.d/site.conf";

    private static Incident incident(String evidence) {
        HostEvidence host = HostEvidence.from(Fixtures.evidence(evidence));
        return new Incident(host, host.nginx().instances().get(0));
    }

    @Test
    void inEffect_sameDirectiveAndValueWhereItGoes() {
        Incident in = incident("upstream-ssl-handshake");
        // line 6 is proxy_pass in the location, line 7 its proxy_ssl_protocols TLSv1.2
        assertTrue(FixCheck.inEffect(in, Fix.directive("proxy_ssl_protocols TLSv1.2;", new Location(SITE, 6))));
        assertTrue(FixCheck.inEffect(in, Fix.directive("proxy_ssl_protocols  \"TLSv1.2\" ;", new Location(SITE, 7))));
        assertFalse(FixCheck.inEffect(in, Fix.directive("proxy_ssl_protocols TLSv1.2 TLSv1.3;", new Location(SITE, 7))));
        // inherited from the http block: keepalive_timeout 65 is in effect in the location
        assertTrue(FixCheck.inEffect(in, Fix.directive("keepalive_timeout 65;", new Location(SITE, 6))));
        // several statements: all must be in effect
        assertFalse(FixCheck.inEffect(in, Fix.directive("proxy_ssl_protocols TLSv1.2; proxy_ssl_server_name on;",
                new Location(SITE, 6))));
    }

    @Test
    void inEffect_aQuoteOfTheLineWithANoteIsAPointer() {
        Incident in = incident("upstream-ssl-handshake");
        assertFalse(FixCheck.inEffect(in, Fix.directive("proxy_pass https://127.0.0.1:28009;    # sends these "
                + "requests to 127.0.0.1:28009", new Location(SITE, 6))));
        // the same text without a note asks for what is there
        assertTrue(FixCheck.inEffect(in, Fix.directive("proxy_pass https://127.0.0.1:28009;", new Location(SITE, 6))));
        // placeholders, notes alone, commands and unknown places are never "in effect"
        assertFalse(FixCheck.inEffect(in, Fix.directive("proxy_ssl_name <the backend's host name>;",
                new Location(SITE, 6))));
        assertFalse(FixCheck.inEffect(in, Fix.directive("# delete: proxy_ssl_protocols TLSv1.2;", new Location(SITE, 7))));
        assertFalse(FixCheck.inEffect(in, Fix.command("proxy_ssl_protocols TLSv1.2;")));
        assertFalse(FixCheck.inEffect(in, Fix.directive("proxy_ssl_protocols TLSv1.2;", new Location("/elsewhere", 7))));
    }

    @Test
    void inEffect_phpFpmPoolSetting() {
        Incident in = incident("socket-permission");
        String pool = "/tmp/nginx502-lab/socket-permission/pool.d/www.conf";
        assertTrue(FixCheck.inEffect(in, Fix.directive("listen.mode = 0660", new Location(pool, 8))));
        assertFalse(FixCheck.inEffect(in, Fix.directive("listen.owner = www-data", new Location(pool, 6))));
    }

    @Test
    void vet_dropsOnlyTheFixesAlreadyInEffect() {
        Incident in = incident("upstream-ssl-handshake");
        Finding f = Finding.of(CauseId.SSL_HANDSHAKE, Confidence.PROBABLE)
                .fix(Fix.directive("proxy_ssl_protocols TLSv1.2;", new Location(SITE, 7)))
                .fix(Fix.directive("proxy_ssl_server_name on;", new Location(SITE, 6)))
                .build();
        Cause c = FixCheck.vet(in, List.of(f)).get(0).cause();
        assertEquals(List.of("proxy_ssl_server_name on;"), c.fixes().stream().map(Fix::text).toList());
        assertEquals(f.headline(), FixCheck.vet(in, List.of(f)).get(0).headline());
    }

    @Test
    void statements_quotedSemicolonsAndUnfinishedText() {
        assertEquals(List.of(List.of("proxy_set_header", "Connection", ""), List.of("add_header", "X", "a;b")),
                FixCheck.statements("proxy_set_header Connection \"\"; add_header X \"a;b\";"));
        assertTrue(FixCheck.statements("proxy_ssl_name backend").isEmpty(), "no ';': not a directive as written");
        assertTrue(FixCheck.statements("upstream a { server b; }").isEmpty(), "blocks are not compared");
        assertEquals("a b;", FixCheck.body("a b;    # note with \"quotes\""));
        assertEquals("add_header X \"#1\";", FixCheck.body("add_header X \"#1\";"));
    }

    @Test
    void bringBack_serviceThatRunsAndListensElsewhere_isNotRestarted() {
        HostEvidence host = HostEvidence.from(Fixtures.evidence("upstream-wrong-address-socket"));
        Endpoint stale = Endpoint.unix("/tmp/nginx502-lab/wrong-socket/php7.4-fpm.sock");
        List<Fix> fixes = Backends.bringBack(host, Optional.of("php8.2-fpm"), stale);
        assertEquals(1, fixes.size(), fixes.toString());
        assertTrue(fixes.get(0).text().startsWith("php-fpm runs and listens on /tmp/nginx502-lab/wrong-socket/"
                + "php8.2-fpm.sock: restarting it changes nothing"), fixes.get(0).text());
        // where php-fpm does not run, it is brought back
        HostEvidence down = HostEvidence.from(Fixtures.evidence("upstream-down-unix"));
        List<Fix> restart = Backends.bringBack(down, Optional.of("php8.2-fpm"),
                Endpoint.unix("/tmp/nginx502-lab/upstream-down-unix/php-fpm.sock"));
        assertEquals("sudo service php8.2-fpm restart", restart.get(0).text());
    }
}
