package dev.chatops.checks.nginx502.parse.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.Fixtures;
import dev.chatops.checks.nginx502.evidence.HostEvidence;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host facts fixes are checked against: /etc/hosts names and whether certificate files exist. */
class HostFilesTest {

    @Test
    void etcHosts_namesAndAddresses_hostileLinesIgnored() {
        HostFacts h = HostFacts.parse("""
                now=1795261663
                @@nginx502 etc-hosts
                127.0.0.1\tlocalhost
                ::1     localhost ip6-localhost
                10.20.0.7 API.internal.example. api # the API box, with a comment
                10.20.0.8 api.internal.example
                not-an-ip some.name
                999.1.1.1x bad.address
                10.0.0.9 $(reboot) ok.name `id`
                @@nginx502 df
                """);
        HostFacts.HostsFile f = h.hostsFile().orElseThrow();
        assertEquals(List.of("10.20.0.7", "10.20.0.8"), f.addresses("api.internal.example"));
        assertEquals(List.of("127.0.0.1", "::1"), f.addresses("localhost"));
        assertEquals(List.of("10.20.0.7"), f.addresses("api"));
        assertEquals(List.of("10.0.0.9"), f.addresses("ok.name"));
        assertTrue(f.addresses("some.name").isEmpty());
        assertTrue(f.addresses("bad.address").isEmpty());
        assertTrue(f.addresses("the").isEmpty(), "words of a comment are not names");
        assertTrue(f.byName().keySet().stream().noneMatch(n -> n.contains("$") || n.contains("`")), f.byName().toString());
    }

    @Test
    void etcHosts_notCollected_isUnknownNotEmpty() {
        HostFacts old = HostFacts.parse("now=1795261663\n@@nginx502 df\n");
        assertTrue(old.hostsFile().isEmpty());
        HostFacts none = HostFacts.parse("now=1795261663\n@@nginx502 etc-hosts\n@@nginx502 df\n");
        assertTrue(none.hostsFile().orElseThrow().byName().isEmpty());
    }

    @Test
    void fileChecks_existsMissingOrUnknown() {
        UpstreamChecks u = UpstreamChecks.parse("file:/etc/a stat type=regular file size=12\n"
                + "file:/etc/b stat: cannot statx '/etc/b': No such file or directory\n"
                + "file:/etc/c stat: cannot statx '/etc/c': Permission denied\n"
                + "file:/etc/e stat type=regular file size=12 and more\n");
        assertTrue(u.file("/etc/a").orElseThrow().exists());
        assertTrue(u.file("/etc/b").orElseThrow().missing());
        assertFalse(u.file("/etc/c").orElseThrow().exists() || u.file("/etc/c").orElseThrow().missing());
        assertFalse(u.file("/etc/e").orElseThrow().exists(), "a line that is not stat's exact answer proves nothing");
        assertTrue(u.file("/etc/d").isEmpty());
        assertEquals("/etc/ssl/certs/ca-certificates.crt", TrustFiles.systemBundle(UpstreamChecks.parse(
                "file:/etc/ssl/certs/ca-certificates.crt stat type=regular file size=219342\n")).orElseThrow());
    }

    @Test
    void trustFiles_theConfigsOwnFirstThenTheProposedOneAndTheBundles() {
        HostEvidence host = HostEvidence.from(Fixtures.evidence("upstream-ssl-verify"));
        List<String> files = TrustFiles.toCheck(host.nginx().instances().get(0).config());
        assertEquals(List.of("/etc/ssl/certs/ca-certificates.crt", "/tmp/nginx502-lab/ssl-verify/ssl/upstream-ca.pem",
                "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/ca-bundle.pem"), files);
        // no TLS to any backend: nothing to look for
        HostEvidence plain = HostEvidence.from(Fixtures.evidence("upstream-down-tcp"));
        assertTrue(TrustFiles.toCheck(plain.nginx().instances().get(0).config()).isEmpty());
    }
}
