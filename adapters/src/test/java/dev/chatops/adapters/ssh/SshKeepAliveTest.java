package dev.chatops.adapters.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.Session;
import dev.chatops.config.SshSettings;
import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ssh.keepAlive against a real sshd: the bot connects through relays in front of it, which count
 * the TCP connections made, and a fake ticker stands in for the idle time.
 */
class SshKeepAliveTest extends RealSshdTest {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(60);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private TcpRelay relay;
    private TcpRelay otherRelay;
    private Path knownHosts;
    private SshTransport transport;

    @BeforeEach
    void start() throws Exception {
        relay = new TcpRelay(sshd.port());
        otherRelay = new TcpRelay(sshd.port());
        knownHosts = sshd.knownHosts("known_hosts_keepalive_" + relay.port(), line(relay) + line(otherRelay));
        transport = transport(KEEP_ALIVE);
    }

    @AfterEach
    void stop() throws Exception {
        transport.close();
        relay.close();
        otherRelay.close();
    }

    private String line(TcpRelay r) {
        return "[127.0.0.1]:" + r.port() + " ssh-ed25519 " + sshd.hostKeyBlob() + "\n";
    }

    private SshTransport transport(Duration keepAlive) {
        SshSettings settings = new SshSettings("root", sshd.userKey(), Optional.empty(), knownHosts,
                Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(60), false, Optional.empty(),
                keepAlive);
        return new SshTransport(settings, Optional.empty(), nanos::get);
    }

    private static Host host(String name, TcpRelay via) {
        return Host.ssh(name, "127.0.0.1", via.port(), Set.of());
    }

    /** One run of a probe; returns the JSch session it ran on. */
    private Session runOnce(SshTransport t, Host host) throws Exception {
        try (SshSession session = (SshSession) t.open(host)) {
            ProbeResult r = session.run(List.of(Probe.of("whoami", "whoami"))).get("whoami");
            assertEquals(0, r.exit(), r.stderr());
            assertEquals("root\n", r.stdout());
            return session.jschSession();
        }
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void open_secondRunWithinKeepAlive_makesNoNewConnection() throws Exception {
        Session first = runOnce(transport, host("web-a", relay));
        advance(KEEP_ALIVE.minusSeconds(1));
        transport.closeIdle();
        Session second = runOnce(transport, host("web-a", relay));

        assertEquals(1, relay.accepted(), "TCP connections made for two runs within ssh.keepAlive");
        assertTrue(first == second && second.isConnected(), "the second run used the first run's connection");
        assertEquals(1, transport.keptConnections());
    }

    @Test
    void open_keepAliveOff_connectsForEveryRunAndKeepsNothing() throws Exception {
        SshTransport off = transport(Duration.ZERO);
        Session first = runOnce(off, host("web-a", relay));
        runOnce(off, host("web-a", relay));

        assertEquals(2, relay.accepted());
        assertFalse(first.isConnected(), "the run's connection was closed at its end");
        assertEquals(0, off.keptConnections());
    }

    @Test
    void closeIdle_idleForKeepAlive_closesConnectionAndNextRunConnects() throws Exception {
        Session first = runOnce(transport, host("web-a", relay));
        advance(KEEP_ALIVE);
        transport.closeIdle();

        assertFalse(first.isConnected(), "the connection idle for ssh.keepAlive was closed");
        assertEquals(0, transport.keptConnections());
        runOnce(transport, host("web-a", relay));
        assertEquals(2, relay.accepted());
    }

    @Test
    void open_keptConnectionIdlePastKeepAliveBeforeTimerRan_isNotReused() throws Exception {
        Session first = runOnce(transport, host("web-a", relay));
        advance(KEEP_ALIVE.plusSeconds(5));
        Session second = runOnce(transport, host("web-a", relay));

        assertEquals(2, relay.accepted());
        assertFalse(first.isConnected());
        assertTrue(first != second);
    }

    @Test
    void open_keptConnectionKilled_runConnectsAgainTransparently() throws Exception {
        runOnce(transport, host("web-a", relay));
        relay.drop();

        Session second = runOnce(transport, host("web-a", relay));

        assertEquals(2, relay.accepted(), "the killed connection was replaced by a new one");
        assertTrue(second.isConnected());
        assertEquals(1, transport.keptConnections());
    }

    @Test
    void open_otherHostEntry_neverReusesTheConnection() throws Exception {
        Session a = runOnce(transport, host("web-a", relay));
        Session b = runOnce(transport, host("web-b", relay));
        Session a2 = runOnce(transport, host("web-a", relay));

        assertEquals(2, relay.accepted(), "web-b got a connection of its own, web-a reused its own");
        assertTrue(a != b && a == a2);
        assertEquals(2, transport.keptConnections());
    }

    @Test
    void open_hostEntryNowNamesAnotherPort_closesTheOldConnection() throws Exception {
        Session before = runOnce(transport, host("web-a", relay));
        Session after = runOnce(transport, host("web-a", otherRelay));

        assertFalse(before.isConnected(), "the connection made for the old port was closed");
        assertTrue(after.isConnected());
        assertEquals(1, otherRelay.accepted());
        assertEquals(1, transport.keptConnections());
    }

    @Test
    void open_hostKeyNoLongerInKnownHosts_refusesInsteadOfReusing() throws Exception {
        Session kept = runOnce(transport, host("web-a", relay));
        Files.writeString(knownHosts, line(otherRelay));

        TransportException e = assertThrows(TransportException.class, () -> transport.open(host("web-a", relay)));

        assertEquals(Reason.HOST_KEY_UNKNOWN, e.reason(), e.getMessage());
        assertFalse(kept.isConnected(), "the connection verified with a key no longer listed was closed");
        assertEquals(2, relay.accepted(), "the new connection's host key was checked, and refused");
    }

    @Test
    void open_twoRunsOfOneHostAtOnce_eachGetsItsOwnConnectionAndOneIsKept() throws Exception {
        runOnce(transport, host("web-a", relay));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch bothOpen = new CountDownLatch(2);
            List<Future<Session>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    try (SshSession session = (SshSession) transport.open(host("web-a", relay))) {
                        bothOpen.countDown();
                        assertTrue(bothOpen.await(10, TimeUnit.SECONDS), "the other run did not open");
                        ProbeResult r = session.run(List.of(Probe.of("id", "id -u"))).get("id");
                        assertEquals("0\n", r.stdout(), r.stderr());
                        return session.jschSession();
                    }
                }));
            }
            Session one = runs.get(0).get(30, TimeUnit.SECONDS);
            Session two = runs.get(1).get(30, TimeUnit.SECONDS);

            assertTrue(one != two, "two runs at once shared a connection");
            assertEquals(2, relay.accepted(), "one run reused the kept connection, the other connected");
            assertEquals(1, transport.keptConnections());
            assertTrue(one.isConnected() != two.isConnected(), "one connection kept, the other closed");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void close_transportClosed_closesKeptConnections() throws Exception {
        Session kept = runOnce(transport, host("web-a", relay));

        transport.close();

        assertFalse(kept.isConnected());
        assertEquals(0, transport.keptConnections());
    }
}
