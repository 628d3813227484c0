package dev.chatops.adapters.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.config.SshSettings;
import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportException.Reason;
import dev.chatops.core.transport.TransportSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A jump host, served by the same real sshd: the target's connection must run inside a
 * direct-tcpip channel of the jump host's session (sshd logs each such request).
 */
class SshJumpHostTest extends RealSshdTest {

    private static SshSettings viaJump(Path knownHosts) {
        return new SshSettings("root", sshd.userKey(), Optional.empty(), knownHosts, Duration.ofSeconds(5),
                Duration.ofSeconds(20), Duration.ofSeconds(60), false, Optional.of("root@127.0.0.1:" + sshd.port()));
    }

    @Test
    void open_viaJumpHost_tunnelsThroughDirectTcpip() throws Exception {
        // the target is "localhost", the jump host "127.0.0.1": both must be known
        Path known = sshd.knownHosts("known_hosts_jump", "[127.0.0.1]:" + sshd.port() + ",[localhost]:" + sshd.port()
                + " ssh-ed25519 " + sshd.hostKeyBlob() + "\n");
        String requestLine = "target localhost port " + sshd.port();
        long before = directTcpipRequests(requestLine);

        try (TransportSession s = new SshTransport(viaJump(known)).open(
                Host.ssh("web-behind", "localhost", sshd.port(), Set.of()))) {
            assertEquals("through\n", s.run(List.of(Probe.of("hi", "echo through"))).get("hi").stdout());
            assertTrue(s.hostKeyFingerprint().orElseThrow().contains(sshd.hostKeyFingerprintByKeygen()));
        }

        long after = directTcpipRequests(requestLine);
        assertEquals(before + 1, after, "one direct-tcpip request for the target in:\n" + sshd.log());
    }

    private static long directTcpipRequests(String target) {
        return sshd.log().lines().filter(l -> l.contains("server_request_direct_tcpip: originator")
                && l.contains(target)).count();
    }

    @Test
    void open_jumpHostKeyUnknown_refusedNamingTheJumpHost() {
        Path onlyTarget = sshd.knownHosts("known_hosts_target_only", "[localhost]:" + sshd.port() + " ssh-ed25519 "
                + sshd.hostKeyBlob() + "\n");

        TransportException e = assertThrows(TransportException.class, () -> new SshTransport(viaJump(onlyTarget))
                .open(Host.ssh("web-behind", "localhost", sshd.port(), Set.of())));

        assertEquals(Reason.HOST_KEY_UNKNOWN, e.reason());
        assertTrue(e.getMessage().startsWith("jump host 127.0.0.1 (127.0.0.1:" + sshd.port() + ") offered the unknown "
                + "host key"), e.getMessage());
    }

    @Test
    void open_targetKeyUnknownBehindJumpHost_refusedNamingTheTarget() {
        Path onlyJump = sshd.knownHosts("known_hosts_jump_only", "[127.0.0.1]:" + sshd.port() + " ssh-ed25519 "
                + sshd.hostKeyBlob() + "\n");

        TransportException e = assertThrows(TransportException.class, () -> new SshTransport(viaJump(onlyJump))
                .open(Host.ssh("web-behind", "localhost", sshd.port(), Set.of())));

        assertEquals(Reason.HOST_KEY_UNKNOWN, e.reason());
        assertTrue(e.getMessage().startsWith("web-behind (localhost:" + sshd.port() + ") offered the unknown host key"),
                e.getMessage());
    }

    @Test
    void open_targetPortClosedBehindJumpHost_unreachableNamingBoth() throws Exception {
        int closed = OpenSshServer.freePort();

        TransportException e = assertThrows(TransportException.class, () -> new SshTransport(viaJump(sshd.knownHosts()))
                .open(Host.ssh("web-behind", "127.0.0.1", closed, Set.of())));

        assertEquals(Reason.UNREACHABLE, e.reason());
        assertTrue(e.getMessage().startsWith("jump host 127.0.0.1 (127.0.0.1:" + sshd.port() + ") could not open a "
                + "connection to web-behind (127.0.0.1:" + closed + ")"), e.getMessage());
    }
}
