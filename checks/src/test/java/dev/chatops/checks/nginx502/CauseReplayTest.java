package dev.chatops.checks.nginx502;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Verdict;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cause of nginx502-causes.md, replayed from an evidence file: the first cause, the first fix's
 * text and where it goes.
 *
 * <p>Recorded from real faults (checks/src/test/lab/record-evidence.sh: real nginx 1.22, php-fpm 8.2,
 * curl and backends on loopback, saved by the real CLI): every file except those marked composed.
 * Composed (checks/src/test/lab/compose-evidence.py, from a real recording plus the exact log formats
 * of the catalogue, because this machine has no SELinux, no AppArmor, no OOM to provoke, no disk to
 * fill, no port range to exhaust, no DNS to change and no systemd): selinux-denied, apparmor-denied,
 * oom-killed, resources-exhausted, ephemeral-ports-exhausted, upstream-stale-dns,
 * upstream-wrong-address-localhost, upstream-down-systemd.
 */
class CauseReplayTest {

    private static final String LAB = "/tmp/nginx502-lab/";

    static Stream<Arguments> causes() {
        return Stream.of(
                // id, evidence, first fix text (prefix), where it goes ("" for a command)
                Arguments.of("upstream-down", "upstream-down-tcp",
                        "start the service that should listen on 127.0.0.1:28001", ""),
                Arguments.of("upstream-down", "upstream-down-unix", "sudo service php8.2-fpm restart", ""),
                Arguments.of("upstream-down", "upstream-down-systemd", "sudo systemctl restart shop.service", ""),
                Arguments.of("upstream-down", "upstream-down-quiet-error-log",
                        "start the service that should listen on 127.0.0.1:28031", ""),
                Arguments.of("upstream-down", "no-live-upstreams-backends-down",
                        "start the service that should listen on 127.0.0.1:28020", ""),
                Arguments.of("upstream-wrong-address", "upstream-wrong-address-socket",
                        "fastcgi_pass unix:" + LAB + "wrong-socket/php8.2-fpm.sock;", LAB + "wrong-socket/conf.d/site.conf:10"),
                Arguments.of("upstream-wrong-address", "upstream-wrong-address-port",
                        "proxy_pass http://127.0.0.1:28012;", LAB + "wrong-port/conf.d/site.conf:6"),
                Arguments.of("upstream-wrong-address", "upstream-wrong-address-ipv6",
                        "# delete: server [::1]:28013;", LAB + "ipv6-peer/conf.d/site.conf:2"),
                Arguments.of("upstream-wrong-address", "upstream-wrong-address-localhost",
                        "server 127.0.0.1:28013;", LAB + "ipv6-peer/conf.d/site.conf:2"),
                Arguments.of("upstream-stale-dns", "upstream-stale-dns",
                        "sudo /usr/sbin/nginx -p " + LAB + "upstream-down-tcp -c " + LAB
                                + "upstream-down-tcp/nginx.conf -s reload", ""),
                Arguments.of("upstream-invalid-header", "upstream-invalid-header",
                        "curl -sS -D - -o /dev/null http://127.0.0.1:28007/", ""),
                Arguments.of("upstream-timeout", "upstream-timeout", "proxy_read_timeout 60s;",
                        LAB + "timeout/conf.d/site.conf:11"),
                Arguments.of("upstream-connect-timeout", "upstream-connect-timeout",
                        "restart the backend on 127.0.0.1:28003", ""),
                Arguments.of("upstream-closed-early", "upstream-closed-early",
                        "curl -sv http://127.0.0.1:28004/checkout", ""),
                Arguments.of("upstream-closed-early", "upstream-closed-early-reset",
                        "curl -sv http://127.0.0.1:28005/checkout", ""),
                Arguments.of("buffer-too-small", "buffer-too-small",
                        "proxy_buffer_size 16k; proxy_buffers 8 16k; proxy_busy_buffers_size 32k;",
                        LAB + "big-header/conf.d/site.conf:6"),
                Arguments.of("upstream-ssl-verify", "upstream-ssl-verify", "proxy_ssl_trusted_certificate ",
                        LAB + "ssl-verify/conf.d/site.conf:8"),
                Arguments.of("upstream-ssl-handshake", "upstream-ssl-handshake", "proxy_ssl_protocols TLSv1.2 TLSv1.3;",
                        LAB + "ssl-handshake/conf.d/site.conf:7"),
                Arguments.of("protocol-mismatch", "protocol-mismatch-http-to-tls", "proxy_pass https://127.0.0.1:28010;",
                        LAB + "http-to-tls/conf.d/site.conf:6"),
                Arguments.of("protocol-mismatch", "protocol-mismatch-https-to-plain", "proxy_pass http://127.0.0.1:28014;",
                        LAB + "https-to-plain/conf.d/site.conf:6"),
                Arguments.of("protocol-mismatch", "protocol-mismatch-fastcgi-to-http",
                        "proxy_pass http://127.0.0.1:28015;", LAB + "fastcgi-to-http/conf.d/site.conf:9"),
                Arguments.of("protocol-mismatch", "protocol-mismatch-not-http", "proxy_pass http://127.0.0.1:28016;",
                        LAB + "not-http/conf.d/site.conf:6"),
                Arguments.of("dns-resolution", "dns-resolution-no-resolver", "resolver 10.255.255.53 valid=30s;",
                        LAB + "no-resolver/conf.d/site.conf:7"),
                Arguments.of("dns-resolution", "dns-resolution-host-not-found", "server api-2.internal.invalid:8080;",
                        LAB + "host-not-found/conf.d/site.conf:3"),
                Arguments.of("no-live-upstreams", "no-live-upstreams",
                        "server 127.0.0.1:28018 max_fails=3 fail_timeout=10s;", LAB + "no-live/conf.d/site.conf:2"),
                Arguments.of("socket-permission", "socket-permission", "listen.owner = www-data",
                        LAB + "socket-permission/pool.d/www.conf:6"),
                Arguments.of("selinux-denied", "selinux-denied", "sudo setsebool -P httpd_can_network_connect 1", ""),
                Arguments.of("apparmor-denied", "apparmor-denied", "sudo aa-complain /etc/apparmor.d/usr.sbin.nginx", ""),
                Arguments.of("php-fpm-saturated", "php-fpm-saturated", "pm.max_children = ",
                        LAB + "fpm-saturated/pool.d/www.conf:9"),
                Arguments.of("worker-connections", "worker-connections", "worker_connections 1024;",
                        LAB + "worker-connections/nginx.conf:8"),
                Arguments.of("fd-exhausted", "fd-exhausted", "worker_rlimit_nofile 65535;",
                        LAB + "fd-exhausted/nginx.conf:5"),
                Arguments.of("ephemeral-ports-exhausted", "ephemeral-ports-exhausted", "keepalive 32;",
                        LAB + "healthy/conf.d/site.conf:1"),
                Arguments.of("oom-killed", "oom-killed", "start the service that should listen on 127.0.0.1:28001", ""),
                Arguments.of("resources-exhausted", "resources-exhausted", "sudo du -xh / --max-depth=2", ""),
                Arguments.of("config-invalid", "config-invalid", "proxy_buffer 16k;",
                        LAB + "config-invalid/conf.d/site.conf:7"));
    }

    @ParameterizedTest(name = "{1} → {0}")
    @MethodSource("causes")
    void replay_namesTheCauseAndTheFix(String id, String evidence, String fix, String at) {
        Diagnosis d = new Nginx502Check().diagnose(Fixtures.evidence(evidence));
        assertEquals(Verdict.CAUSE_FOUND, d.verdict(), d.summary() + " " + d.notes());
        Cause first = d.causes().get(0);
        assertEquals(id, first.id(), d.summary() + "\n" + d.causes());
        Fix f = first.fixes().get(0);
        assertTrue(f.text().startsWith(fix), "fix was: " + f.text());
        assertEquals(at, f.at().map(Object::toString).orElse(""), "fix " + f.text());
        assertTrue(!first.evidence().isEmpty(), "a cause quotes its evidence");
        assertTrue(first.evidence().size() <= 5, "at most a few lines");
    }

    @Test
    void catalogue_everyCauseHasAReplay() {
        Set<String> covered = new HashSet<>();
        causes().forEach(a -> covered.add((String) a.get()[0]));
        assertEquals(CauseId.ids(), covered);
    }

    @Test
    void catalogue_idsAreTheContract() {
        // nginx502-causes.md's ids, in its order
        List<String> ids = List.of("upstream-down", "upstream-wrong-address", "upstream-stale-dns",
                "upstream-invalid-header", "upstream-timeout", "upstream-connect-timeout", "upstream-closed-early",
                "buffer-too-small", "upstream-ssl-verify", "upstream-ssl-handshake", "protocol-mismatch",
                "dns-resolution", "no-live-upstreams", "socket-permission", "selinux-denied", "apparmor-denied",
                "php-fpm-saturated", "worker-connections", "fd-exhausted", "ephemeral-ports-exhausted", "oom-killed",
                "resources-exhausted", "config-invalid");
        assertEquals(Set.copyOf(ids), CauseId.ids());
    }

    /** Causes whose remedy is in the backend still say which directive sends the requests there. */
    @ParameterizedTest(name = "{0} → {2}")
    @CsvSource({
            "upstream-down-tcp, server 127.0.0.1:28001;, upstream-down-tcp/conf.d/site.conf:2",
            "no-live-upstreams-backends-down, server 127.0.0.1:28020;, no-live-down/conf.d/site.conf:2",
            "upstream-closed-early, proxy_pass http://127.0.0.1:28004;, closed-early/conf.d/site.conf:6",
            "upstream-invalid-header, proxy_pass http://127.0.0.1:28007;, invalid-header/conf.d/site.conf:6"})
    void replay_backendCause_pointsAtWhereTheAddressIsWritten(String evidence, String directive, String at) {
        Cause first = new Nginx502Check().diagnose(Fixtures.evidence(evidence)).causes().get(0);

        Fix reference = first.fixes().stream().filter(f -> f.kind() == Fix.Kind.DIRECTIVE).findFirst()
                .orElseThrow(() -> new AssertionError("no directive fix in " + first.fixes()));
        assertTrue(reference.text().startsWith(directive + "    # sends these requests to "), reference.text());
        assertEquals(LAB + at, reference.at().orElseThrow().toString());
    }
}
