package dev.chatops.checks.nginx502.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.Fixtures;
import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.evidence.NginxInstance;
import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cause catalogue held together: every cause id is declared by a rule and has a recorded fixture in which a
 * rule that declares it names it, and no rule names a cause it does not declare.
 */
class CauseCatalogueTest {

    /** The evidence file that shows each cause (src/test/resources/evidence). */
    private static final Map<CauseId, String> FIXTURES = new EnumMap<>(Map.ofEntries(
            Map.entry(CauseId.UPSTREAM_DOWN, "upstream-down-tcp"),
            Map.entry(CauseId.WRONG_ADDRESS, "upstream-wrong-address-socket"),
            Map.entry(CauseId.STALE_DNS, "upstream-stale-dns"),
            Map.entry(CauseId.INVALID_HEADER, "upstream-invalid-header"),
            Map.entry(CauseId.TIMEOUT, "upstream-timeout"),
            Map.entry(CauseId.CONNECT_TIMEOUT, "upstream-connect-timeout"),
            Map.entry(CauseId.CLOSED_EARLY, "upstream-closed-early"),
            Map.entry(CauseId.BUFFER_TOO_SMALL, "buffer-too-small"),
            Map.entry(CauseId.SSL_VERIFY, "upstream-ssl-verify"),
            Map.entry(CauseId.SSL_HANDSHAKE, "upstream-ssl-handshake"),
            Map.entry(CauseId.PROTOCOL_MISMATCH, "protocol-mismatch-http-to-tls"),
            Map.entry(CauseId.DNS_RESOLUTION, "dns-resolution-no-resolver"),
            Map.entry(CauseId.NO_LIVE_UPSTREAMS, "no-live-upstreams"),
            Map.entry(CauseId.SOCKET_PERMISSION, "socket-permission"),
            Map.entry(CauseId.SELINUX_DENIED, "selinux-denied"),
            Map.entry(CauseId.APPARMOR_DENIED, "apparmor-denied"),
            Map.entry(CauseId.PHP_FPM_SATURATED, "php-fpm-saturated"),
            Map.entry(CauseId.WORKER_CONNECTIONS, "worker-connections"),
            Map.entry(CauseId.FD_EXHAUSTED, "fd-exhausted"),
            Map.entry(CauseId.EPHEMERAL_PORTS, "ephemeral-ports-exhausted"),
            Map.entry(CauseId.OOM_KILLED, "oom-killed"),
            Map.entry(CauseId.RESOURCES_EXHAUSTED, "resources-exhausted"),
            Map.entry(CauseId.CONFIG_INVALID, "config-invalid")));

    @Test
    void catalogue_everyCauseHasAFixture() {
        assertEquals(Set.of(CauseId.values()), FIXTURES.keySet());
    }

    @ParameterizedTest
    @EnumSource(CauseId.class)
    void cause_aRuleDeclaresItAndNamesItInItsFixture(CauseId id) {
        List<Rule> declaring = Rules.ALL.stream().filter(r -> r.produces().contains(id)).toList();
        assertFalse(declaring.isEmpty(), "no rule declares " + id);
        List<Finding> found = incidents(FIXTURES.get(id)).flatMap(in -> declaring.stream()
                .flatMap(r -> r.apply(in).stream())).toList();
        assertTrue(found.stream().anyMatch(f -> f.id().equals(id.id())),
                "no rule that declares " + id + " names it in " + FIXTURES.get(id) + ": " + found);
    }

    @Test
    void rules_nameOnlyTheCausesTheyDeclare() throws IOException {
        Path dir;
        try {
            dir = Path.of(Fixtures.class.getClassLoader().getResource("evidence").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
        }
        assertTrue(names.size() >= FIXTURES.size(), "evidence files: " + names);
        int findings = 0;
        for (String name : names) {
            for (Incident in : incidents(name).toList()) {
                for (Rule r : Rules.ALL) {
                    for (Finding f : r.apply(in)) {
                        findings++;
                        assertTrue(r.produces().stream().anyMatch(id -> id.id().equals(f.id())),
                                r.getClass().getSimpleName() + " named " + f.id() + " in " + name);
                    }
                }
            }
        }
        assertTrue(findings >= FIXTURES.size(), "the fixtures gave " + findings + " findings");
    }

    /** The incidents the diagnosis looks at: each running master (inside its container), else the installed one. */
    private static Stream<Incident> incidents(String fixture) {
        if (!Fixtures.evidence(fixture).probe(Nginx502Probes.NGINX).map(p -> !p.stdout().isBlank()).orElse(false)) {
            return Stream.empty();
        }
        HostEvidence host = HostEvidence.from(Fixtures.evidence(fixture));
        List<NginxInstance> running = host.nginx().instances().stream().filter(NginxInstance::running).toList();
        List<NginxInstance> looked = running.isEmpty() ? host.nginx().instances().stream().limit(1).toList() : running;
        return looked.stream().map(i -> new Incident(i.container().isPresent() ? host.insideContainer() : host, i));
    }
}
