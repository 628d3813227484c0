package dev.chatops.checks.nginx502;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.evidence.NginxInstance;
import dev.chatops.checks.nginx502.parse.host.HostFacts;
import dev.chatops.checks.nginx502.parse.host.Listener;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpmPool;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Location;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.LocationBlock;
import dev.chatops.nginx.config.NginxConfig;
import dev.chatops.nginx.config.ServerBlock;
import dev.chatops.nginx.config.UpstreamBlock;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fix the report offers fits the host it is for: checked here against the config and the host facts
 * of each evidence file, with the config's own inheritance rules (not the check's), so a rule that forgets
 * to look is caught. Then the faults where fixes did not fit: recorded from real faults by
 * checks/src/test/lab/record-evidence.sh (upstream-ssl-handshake-sni-upstream, upstream-wrong-address-upstream),
 * or composed by checks/src/test/lab/compose-evidence.py from a real recording where this machine cannot
 * produce them (a backend named by a DNS name, a name in /etc/hosts, certificate files looked for):
 * upstream-ssl-handshake-sni, upstream-ssl-verify-no-ca-file, dns-resolution-etc-hosts, and
 * upstream-wrong-address-quiet-error-log (a recorded fault with its error-log lines removed).
 */
class FixFitTest {

    private static final String LAB = "/tmp/nginx502-lab/";
    private static final Pattern SYSTEMCTL = Pattern.compile("systemctl (?:restart|start) (\\S+)");
    private static final Pattern SERVICE = Pattern.compile("\\bservice (\\S+) (?:restart|start)");
    private static final Pattern FPM_START = Pattern.compile("sudo (php-fpm\\S*) --fpm-config (\\S+)");
    private static final Pattern START_ON = Pattern.compile("^(?:start the service that should listen on|restart the "
            + "backend on) (\\S+)");

    private final Nginx502Check check = new Nginx502Check();

    static Stream<String> evidenceFiles() throws IOException, URISyntaxException {
        Path dir = Path.of(Fixtures.class.getClassLoader().getResource("evidence").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("evidenceFiles")
    void everyFix_fitsTheHost(String name) {
        HostEvidence host = HostEvidence.from(Fixtures.evidence(name));
        Diagnosis d = check.diagnose(Fixtures.evidence(name));
        for (Cause c : d.causes()) {
            for (Fix f : c.fixes()) {
                if (f.kind() == Fix.Kind.DIRECTIVE) {
                    assertFalse(alreadyInEffect(host, f), c.id() + " offers what " + f.at().orElseThrow()
                            + " already has: " + f.text());
                } else {
                    assertFalse(restartsWhatServes(host, c, f), c.id() + " restarts or starts a service that runs "
                            + "and listens: " + f.text());
                }
            }
        }
    }

    @Test
    void walker_catchesADirectiveAlreadyInEffect() {
        // the location of upstream-ssl-handshake sets proxy_ssl_protocols TLSv1.2 at line 7
        HostEvidence host = HostEvidence.from(Fixtures.evidence("upstream-ssl-handshake"));
        Location pass = new Location(LAB + "ssl-handshake/conf.d/site.conf", 6);
        assertTrue(alreadyInEffect(host, Fix.directive("proxy_ssl_protocols TLSv1.2;", pass)));
        assertFalse(alreadyInEffect(host, Fix.directive("proxy_ssl_protocols TLSv1.2 TLSv1.3;", pass)));
        assertFalse(alreadyInEffect(host, Fix.directive("proxy_ssl_server_name on;", pass)));
        // a quote of the line as it stands, with a note, points at it
        assertFalse(alreadyInEffect(host, Fix.directive("proxy_pass https://127.0.0.1:28009;    # sends these "
                + "requests there", pass)));
    }

    @Test
    void walker_catchesARestartOfWhatRunsAndListens() {
        HostEvidence host = HostEvidence.from(Fixtures.evidence("upstream-wrong-address-socket"));
        Cause bare = new Cause("upstream-down", "t", 0.9, "", List.of(), List.of());
        assertTrue(restartsWhatServes(host, bare, Fix.command("sudo php-fpm --fpm-config " + LAB
                + "wrong-socket/php-fpm.conf")));
        assertTrue(restartsWhatServes(host, bare, Fix.command("start the service that should listen on unix:" + LAB
                + "wrong-socket/php8.2-fpm.sock")));
        assertFalse(restartsWhatServes(host, bare, Fix.command("start the service that should listen on unix:" + LAB
                + "wrong-socket/php7.4-fpm.sock")));
    }

    @Test
    void sni_backendNamedAndSniOff_firstFixTurnsSniOn() {
        Diagnosis d = check.diagnose(Fixtures.evidence("upstream-ssl-handshake-sni"));
        Cause c = d.causes().get(0);
        assertEquals("upstream-ssl-handshake", c.id(), d.summary());
        assertEquals("proxy_ssl_server_name on;", c.fixes().get(0).text());
        assertEquals(LAB + "ssl-handshake/conf.d/site.conf:6", c.fixes().get(0).at().orElseThrow().toString());
        // the location already allows TLSv1.2 TLSv1.3 and the backend speaks TLSv1.3: no protocol fix at all
        assertTrue(c.fixes().stream().noneMatch(f -> f.text().startsWith("proxy_ssl_protocols")), c.fixes().toString());
        assertTrue(c.detail().contains("already allows TLSv1.2 TLSv1.3"), c.detail());
        assertTrue(c.evidence().stream().anyMatch(e -> e.source().equals("openssl s_client -servername "
                + "origin.example.net origin.example.net:28009")), c.evidence().toString());
    }

    @Test
    void sni_explicitlyOff_turnedOnWhereItIsWritten() {
        Evidence e = replaced("upstream-ssl-handshake-sni", "        proxy_ssl_protocols TLSv1.2 TLSv1.3;\n",
                "        proxy_ssl_protocols TLSv1.2 TLSv1.3;\n        proxy_ssl_server_name off;\n", "", "");
        Cause c = check.diagnose(e).causes().get(0);
        assertEquals("proxy_ssl_server_name on;", c.fixes().get(0).text());
        assertEquals(LAB + "ssl-handshake/conf.d/site.conf:8", c.fixes().get(0).at().orElseThrow().toString());
        assertTrue(c.detail().contains("(it is off at " + LAB + "ssl-handshake/conf.d/site.conf:8)"), c.detail());
        // on already: nothing to turn on, and the protocols are ruled out: what is left is to look at the backend
        Evidence on = replaced("upstream-ssl-handshake-sni", "        proxy_ssl_protocols TLSv1.2 TLSv1.3;\n",
                "        proxy_ssl_protocols TLSv1.2 TLSv1.3;\n        proxy_ssl_server_name on;\n", "", "");
        Cause o = check.diagnose(on).causes().get(0);
        assertEquals(1, o.fixes().size(), o.fixes().toString());
        assertTrue(o.fixes().get(0).text().startsWith("openssl s_client -connect '127.0.0.1:28009' -servername "
                + "'origin.example.net'"), o.fixes().get(0).text());
    }

    @Test
    void sni_upstreamBlockNamedLikeTheOrigin_firstFixTurnsSniOn() {
        // recorded: an origin that refuses handshakes naming no host, behind upstream origin.example.net
        Diagnosis d = check.diagnose(Fixtures.evidence("upstream-ssl-handshake-sni-upstream"));
        Cause c = d.causes().get(0);
        assertEquals("upstream-ssl-handshake", c.id(), d.summary());
        assertEquals("proxy_ssl_server_name on;", c.fixes().get(0).text());
        assertEquals(LAB + "ssl-sni/conf.d/site.conf:10", c.fixes().get(0).at().orElseThrow().toString());
        assertTrue(c.fixes().stream().noneMatch(f -> f.text().startsWith("proxy_ssl_protocols")), c.fixes().toString());
    }

    @Test
    void protocol_backendAnswersWithoutSni_noSniFix() {
        Cause c = check.diagnose(Fixtures.evidence("upstream-ssl-handshake")).causes().get(0);
        assertEquals("proxy_ssl_protocols TLSv1.2 TLSv1.3;", c.fixes().get(0).text());
        // openssl's handshake to the bare address (no SNI) completed: SNI is ruled out
        assertTrue(c.fixes().stream().noneMatch(f -> f.text().contains("ssl_server_name")
                || f.text().contains("ssl_name")), c.fixes().toString());
    }

    @Test
    void verify_caFileMissing_theFixSaysSo() {
        Cause c = check.diagnose(Fixtures.evidence("upstream-ssl-verify-no-ca-file")).causes().get(0);
        assertEquals("upstream-ssl-verify", c.id());
        Fix f = c.fixes().get(0);
        assertTrue(f.text().startsWith("proxy_ssl_trusted_certificate " + LAB + "ssl-verify/ssl/upstream-ca.pem;"),
                f.text());
        assertTrue(f.text().contains("does not exist on this host yet"), f.text());
        assertTrue(c.evidence().stream().anyMatch(e -> e.text().equals(LAB + "ssl-verify/ssl/upstream-ca.pem does "
                + "not exist")), c.evidence().toString());
        // the bundle the location already trusts exists, and is not offered again
        assertTrue(c.fixes().stream().noneMatch(x -> x.text().contains("/etc/ssl/certs/ca-certificates.crt")));
    }

    @Test
    void verify_issuerUnknown_theHostsOwnBundleFirstWhenTheLocationDoesNotUseIt() {
        // the same recording, as nginx logs a chain whose issuer it cannot find, with no trusted file set yet
        Evidence e = replaced("upstream-ssl-verify-no-ca-file", "(18:self-signed certificate)",
                "(20:unable to get local issuer certificate)", "        proxy_ssl_trusted_certificate "
                        + "/etc/ssl/certs/ca-certificates.crt;\n", "");
        Cause c = check.diagnose(e).causes().get(0);
        assertEquals("upstream-ssl-verify", c.id());
        assertTrue(c.fixes().get(0).text().startsWith("proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;"
                + "    # exists on this host"), c.fixes().get(0).text());
        assertTrue(c.fixes().get(1).text().contains("does not exist on this host yet"), c.fixes().toString());
    }

    @Test
    void verify_expired_noCaOrNameFix() {
        Evidence e = replaced("upstream-ssl-verify-no-ca-file", "(18:self-signed certificate)",
                "(10:certificate has expired)", "", "");
        Cause c = check.diagnose(e).causes().get(0);
        assertEquals(1, c.fixes().size(), c.fixes().toString());
        assertTrue(c.fixes().get(0).text().startsWith("renew the certificate of 127.0.0.1:28008"), c.fixes().toString());
    }

    @Test
    void verify_chainTooLong_deeperVerifyDepthOnly() {
        Evidence e = replaced("upstream-ssl-verify-no-ca-file", "(18:self-signed certificate)",
                "(22:certificate chain too long)", "", "");
        Cause c = check.diagnose(e).causes().get(0);
        assertTrue(c.fixes().get(0).text().startsWith("proxy_ssl_verify_depth 3;"), c.fixes().toString());
        assertTrue(c.fixes().stream().noneMatch(f -> f.text().startsWith("proxy_ssl_trusted_certificate")),
                c.fixes().toString());
    }

    /** A recorded evidence file with text of the nginx probe replaced, as another fault would log it. */
    private static Evidence replaced(String name, String from, String to, String from2, String to2) {
        Evidence real = Fixtures.evidence(name);
        Map<String, ProbeResult> probes = new LinkedHashMap<>(real.probes());
        ProbeResult n = probes.get(Nginx502Probes.NGINX);
        String out = n.stdout().replace(from, to);
        assertFalse(out.equals(n.stdout()), from);
        if (!from2.isEmpty()) {
            assertTrue(out.contains(from2), from2);
            out = out.replace(from2, to2);
        }
        probes.put(Nginx502Probes.NGINX, new ProbeResult(n.command(), n.exit(), out, n.stderr(), n.ms(), n.truncated()));
        return new Evidence(real.check(), real.host(), real.collectedAt(), real.window(), probes);
    }

    @Test
    void verify_notLookedFor_theFixDoesNotClaimTheFileExists() {
        Fix f = check.diagnose(Fixtures.evidence("upstream-ssl-verify")).causes().get(0).fixes().get(0);
        assertTrue(f.text().endsWith("create the file if it does not exist"), f.text());
    }

    @Test
    void dns_nameOnlyInEtcHosts_noResolverFix() {
        Diagnosis d = check.diagnose(Fixtures.evidence("dns-resolution-etc-hosts"));
        Cause c = d.causes().get(0);
        assertEquals("dns-resolution", c.id());
        assertTrue(d.summary().contains("it is in /etc/hosts, which nginx's resolver never reads"), d.summary());
        assertTrue(c.fixes().stream().noneMatch(f -> f.text().startsWith("resolver ")), c.fixes().toString());
        assertTrue(c.fixes().get(0).text().startsWith("upstream api.internal.example { server 10.20.0.7:8080; }"),
                c.fixes().get(0).text());
        assertTrue(c.fixes().stream().anyMatch(f -> f.text().equals("set $backend 10.20.0.7;")
                && f.at().orElseThrow().toString().equals(LAB + "no-resolver/conf.d/site.conf:6")), c.fixes().toString());
        assertTrue(c.fixes().stream().anyMatch(f -> f.kind() == Fix.Kind.COMMAND
                && f.text().startsWith("add api.internal.example (10.20.0.7) to the DNS zone")), c.fixes().toString());
        // the same failure on a host whose /etc/hosts does not list it still gets the resolver
        Cause plain = check.diagnose(Fixtures.evidence("dns-resolution-no-resolver")).causes().get(0);
        assertEquals("resolver 10.255.255.53 valid=30s;", plain.fixes().get(0).text());
    }

    @Test
    void dns_resolverAlreadyThatServer_notOfferedAgain() {
        // the same recording, as a location that already asks the host's DNS server, which does not know the name
        Evidence e = replaced("dns-resolution-no-resolver", "no resolver defined to resolve api.internal.example",
                "api.internal.example could not be resolved (3: Host not found)", "        proxy_pass http://$backend:8080;",
                "        resolver 10.255.255.53;\n        proxy_pass http://$backend:8080;");
        Cause c = check.diagnose(e).causes().get(0);
        assertEquals("dns-resolution", c.id());
        assertTrue(c.fixes().stream().noneMatch(f -> f.text().startsWith("resolver ")), c.fixes().toString());
        assertTrue(c.fixes().get(0).text().startsWith("getent ahosts api.internal.example"), c.fixes().toString());
    }

    @Test
    void noLive_allServersDeadWhilePhpFpmListensElsewhere_isAWrongAddressNotARestart() {
        Diagnosis d = check.diagnose(Fixtures.evidence("upstream-wrong-address-upstream"));
        Cause c = d.causes().get(0);
        assertEquals("upstream-wrong-address", c.id(), d.summary());
        assertEquals("server unix:" + LAB + "wrong-upstream/php8.2-fpm.sock;", c.fixes().get(0).text());
        assertEquals(LAB + "wrong-upstream/conf.d/site.conf:2", c.fixes().get(0).at().orElseThrow().toString());
        assertEquals("# delete: server 127.0.0.1:28033;    (nothing listens on 127.0.0.1:28033)",
                c.fixes().get(1).text());
        assertEquals(LAB + "wrong-upstream/conf.d/site.conf:3", c.fixes().get(1).at().orElseThrow().toString());
        assertTrue(d.causes().stream().flatMap(x -> x.fixes().stream()).map(Fix::text)
                .noneMatch(t -> t.contains("restart") || t.contains("--fpm-config") || t.startsWith("start ")),
                d.causes().toString());
        assertTrue(d.causes().stream().noneMatch(x -> x.id().equals("upstream-down")), d.causes().toString());
    }

    @Test
    void silentLog_phpFpmListensElsewhere_isAWrongAddressNotAStart() {
        Diagnosis d = check.diagnose(Fixtures.evidence("upstream-wrong-address-quiet-error-log"));
        Cause c = d.causes().get(0);
        assertEquals("upstream-wrong-address", c.id(), d.summary());
        assertEquals("fastcgi_pass unix:" + LAB + "wrong-socket/php8.2-fpm.sock;", c.fixes().get(0).text());
        assertEquals(LAB + "wrong-socket/conf.d/site.conf:10", c.fixes().get(0).at().orElseThrow().toString());
        assertTrue(d.causes().stream().noneMatch(x -> x.id().equals("upstream-down")), d.causes().toString());
    }

    @Test
    void socketPermission_runningPhpFpm_isRestartedNotStartedAgain() {
        Cause c = check.diagnose(Fixtures.evidence("socket-permission")).causes().get(0);
        List<String> commands = c.fixes().stream().filter(f -> f.kind() == Fix.Kind.COMMAND).map(Fix::text).toList();
        assertEquals(1, commands.size(), commands.toString());
        assertTrue(commands.get(0).startsWith("sudo kill -QUIT "), commands.get(0));
        // listen.mode is 0660 already: only owner and group change
        assertTrue(c.fixes().stream().noneMatch(f -> f.text().startsWith("listen.mode")), c.fixes().toString());
    }

    // ---- the walker's own reading of the evidence ---------------------------------------------------------

    /** The fix's statements are all in effect where it goes, and it is not a quote of that line. */
    static boolean alreadyInEffect(HostEvidence host, Fix fix) {
        Location at = fix.at().orElseThrow();
        String text = fix.text();
        int hash = text.indexOf('#');
        String body = (hash < 0 ? text : text.substring(0, hash)).strip();
        boolean noted = hash >= 0;
        if (body.isEmpty() || body.contains("<")) {
            return false;
        }
        for (PhpFpmPool p : host.phpFpm().pools()) {
            if (p.settings().values().stream().anyMatch(s -> s.file().equals(at.file()))) {
                String[] kv = body.split("=", 2);
                return !noted && kv.length == 2 && p.value(kv[0].strip()).map(v -> v.strip().equals(kv[1].strip()))
                        .orElse(false);
            }
        }
        for (NginxInstance i : host.nginx().instances()) {
            Optional<List<Directive>> scope = scopeOf(i.config(), at);
            if (scope.isEmpty()) {
                continue;
            }
            List<List<String>> statements = new ArrayList<>();
            for (String s : body.split(";")) {
                List<String> words = new ArrayList<>();
                for (String w : s.strip().split("\\s+")) {
                    if (!w.isEmpty()) {
                        words.add(w.replaceAll("^\"|\"$", ""));
                    }
                }
                if (!words.isEmpty()) {
                    statements.add(words);
                }
            }
            Optional<Directive> line = directiveAt(i.config().main(), at);
            if (noted && statements.size() == 1 && line.isPresent() && matches(line.get(), statements.get(0))) {
                return false;
            }
            return !statements.isEmpty() && statements.stream().allMatch(s -> NginxConfig.effectiveAll(scope.get(),
                    s.get(0)).stream().anyMatch(d -> matches(d, s)) || scope.get().isEmpty()
                    && i.config().mainDirective(s.get(0)).map(d -> matches(d, s)).orElse(false));
        }
        return false;
    }

    private static boolean matches(Directive d, List<String> statement) {
        return d.name().equals(statement.get(0)) && d.args().equals(statement.subList(1, statement.size()));
    }

    /** The config's scope (innermost first) of a place: a location, a server, an upstream, or main (empty). */
    private static Optional<List<Directive>> scopeOf(NginxConfig c, Location at) {
        Optional<List<Directive>> found = Optional.empty();
        for (ServerBlock s : c.servers()) {
            for (LocationBlock l : s.allLocations()) {
                if (holds(l.directive(), at)) {
                    found = Optional.of(l.scope());
                }
            }
            if (found.isEmpty() && holds(s.directive(), at)) {
                found = Optional.of(s.scope());
            }
        }
        for (UpstreamBlock u : c.upstreams().values()) {
            if (holds(u.directive(), at)) {
                found = Optional.of(List.of(u.directive()));
            }
        }
        if (found.isEmpty() && c.main().stream().anyMatch(d -> at(d, at))) {
            found = Optional.of(List.of());
        }
        return found;
    }

    private static boolean holds(Directive block, Location at) {
        return at(block, at) || block.children().stream().anyMatch(d -> at(d, at));
    }

    private static boolean at(Directive d, Location at) {
        return d.file().equals(at.file()) && d.line() == at.line();
    }

    private static Optional<Directive> directiveAt(List<Directive> level, Location at) {
        for (Directive d : level) {
            Optional<Directive> inner = directiveAt(d.children(), at);
            if (inner.isPresent()) {
                return inner;
            }
            if (at(d, at)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * A restart or start of a service whose process runs and serves: php-fpm running with every pool
     * listening, a unit whose main process listens, or something accepting connections on the address the
     * fix names. Restarting to apply a change the same cause makes to that service's config is fine.
     */
    static boolean restartsWhatServes(HostEvidence host, Cause cause, Fix fix) {
        String t = fix.text();
        boolean appliesAChange = cause.fixes().indexOf(fix) > 0 && cause.fixes().subList(0, cause.fixes().indexOf(fix))
                .stream().anyMatch(f -> f.kind() == Fix.Kind.DIRECTIVE && f.at().map(a -> host.nginx().instances()
                        .stream().noneMatch(i -> i.config().files().contains(a.file()))).orElse(false));
        Matcher addr = START_ON.matcher(t);
        if (addr.find()) {
            Optional<Endpoint> e = Endpoint.parse(addr.group(1).replaceFirst("[,:]$", "").replaceFirst("\\)$", ""), 80);
            return e.isPresent() && serves(host, e.get());
        }
        Optional<String> service = Optional.empty();
        for (Pattern p : List.of(SYSTEMCTL, SERVICE, FPM_START)) {
            Matcher m = p.matcher(t);
            if (m.find()) {
                service = Optional.of(m.group(1));
                break;
            }
        }
        if (service.isEmpty() || appliesAChange) {
            return false;
        }
        if (service.get().contains("fpm")) {
            List<PhpFpmPool> pools = host.phpFpm().pools().stream().filter(p -> host.phpFpm().running(p.config()))
                    .toList();
            return !pools.isEmpty() && pools.stream().allMatch(p -> p.listen().flatMap(l -> Endpoint.parse(
                    l.startsWith("/") ? "unix:" + l : l.contains(":") ? l : "127.0.0.1:" + l, 80))
                    .map(e -> serves(host, e)).orElse(false));
        }
        Optional<HostFacts.Unit> unit = host.facts().unit(service.get());
        Optional<String> pid = unit.map(u -> u.details().getOrDefault("MainPID", "0"));
        return pid.filter(p -> !p.equals("0")).map(p -> host.listeners().all().stream()
                .anyMatch(l -> l.pids().contains(Integer.parseInt(p)))).orElse(false);
    }

    /** Something listens there, its queue is not full, and the follow-up's own connect was not refused. */
    private static boolean serves(HostEvidence host, Endpoint e) {
        List<Listener> ls = host.listeners().serving(e);
        if (ls.isEmpty() || ls.stream().allMatch(Listener::queueFull)) {
            return false;
        }
        return e.isUnix() ? host.upstreams().unix(e).map(u -> u.connectExit().orElse(0) != 7).orElse(true)
                : host.upstreams().tcp(e).map(r -> !r.unreachable()).orElse(true);
    }
}
