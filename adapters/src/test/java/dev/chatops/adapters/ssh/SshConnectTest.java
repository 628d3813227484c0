package dev.chatops.adapters.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.OpenSSHConfig;
import com.jcraft.jsch.Session;
import dev.chatops.config.SshSettings;
import dev.chatops.core.error.BotException;
import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportException.Reason;
import dev.chatops.core.transport.TransportSession;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Connecting to a real sshd: host key verification, user keys, and every way a connection fails. */
class SshConnectTest extends RealSshdTest {

    private static SshSettings with(String user, Path key, Path knownHosts) {
        return sshd.settings(user, key, knownHosts);
    }

    private static TransportException refused(SshSettings settings) {
        return assertThrows(TransportException.class,
                () -> new SshTransport(settings).open(sshd.host("web-test")).close());
    }

    private static void assertConnects(SshTransport transport) throws Exception {
        try (TransportSession s = transport.open(sshd.host("web-test"))) {
            assertEquals("ok\n", s.run(List.of(Probe.of("ok", "echo ok"))).get("ok").stdout());
        }
    }

    @Test
    void open_unknownHostKey_refusedWithFingerprintAndKeyscanLine() throws Exception {
        Path empty = sshd.knownHosts("known_hosts_empty", "# nothing trusted yet\n");

        TransportException e = refused(with("root", sshd.userKey(), empty));

        assertEquals(Reason.HOST_KEY_UNKNOWN, e.reason());
        assertEquals(4, e.category().exitCode());
        String m = e.getMessage();
        assertTrue(m.startsWith("web-test (127.0.0.1:" + sshd.port() + ") offered the unknown host key ssh-ed25519 "
                + sshd.hostKeyFingerprintByKeygen()), m);
        assertTrue(m.contains("ssh-keyscan -p " + sshd.port() + " -t ed25519 127.0.0.1 >> " + empty), m);
        assertFalse(m.contains("\n"), "one sentence, one line: " + m);
    }

    @Test
    void open_knownHostsFileMissing_refusedSayingSo() {
        Path missing = sshd.dir().resolve("no_such_known_hosts");

        TransportException e = refused(with("root", sshd.userKey(), missing));

        assertEquals(Reason.HOST_KEY_UNKNOWN, e.reason());
        assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());
    }

    @Test
    void open_changedHostKey_refusedNamingBothKeys() throws Exception {
        Path changed = sshd.knownHostsWithChangedKey();

        TransportException e = refused(with("root", sshd.userKey(), changed));

        assertEquals(Reason.HOST_KEY_CHANGED, e.reason());
        String m = e.getMessage();
        assertTrue(m.contains("has CHANGED"), m);
        assertTrue(m.contains("offered ssh-ed25519 " + sshd.hostKeyFingerprintByKeygen()), m);
        assertTrue(m.contains(sshd.impostorFingerprintByKeygen()), m);
        assertTrue(m.contains("ssh-keygen -R '[127.0.0.1]:" + sshd.port() + "'"), m);
    }

    @Test
    void open_changedHostKey_refusedEvenWhenConfigSaysAcceptNew() throws Exception {
        // OpenSSH's accept-new is not a value JSch knows: left in place it accepts changed keys
        OpenSSHConfig config = OpenSSHConfig.parse("Host *\n  StrictHostKeyChecking accept-new\n");
        String globalBefore = JSch.getConfig("StrictHostKeyChecking");
        JSch.setConfig("StrictHostKeyChecking", "no");
        try {
            SshTransport transport = new SshTransport(with("root", sshd.userKey(), sshd.knownHostsWithChangedKey()),
                    Optional.of(config));
            TransportException changed = assertThrows(TransportException.class,
                    () -> transport.open(sshd.host("web-test")).close());
            assertEquals(Reason.HOST_KEY_CHANGED, changed.reason());

            SshTransport unknown = new SshTransport(with("root", sshd.userKey(),
                    sshd.knownHosts("known_hosts_none", "")), Optional.of(config));
            TransportException notKnown = assertThrows(TransportException.class,
                    () -> unknown.open(sshd.host("web-test")).close());
            assertEquals(Reason.HOST_KEY_UNKNOWN, notKnown.reason());
        } finally {
            JSch.setConfig("StrictHostKeyChecking", globalBefore);
        }
    }

    @Test
    void jsch_acceptNew_silentlyAcceptsAChangedKey() throws Exception {
        // the trap itself, shown on plain JSch: this is why the transport forces "yes" last
        JSch jsch = new JSch();
        jsch.setConfigRepository(OpenSSHConfig.parse("Host *\n  StrictHostKeyChecking accept-new\n"));
        jsch.setKnownHosts(sshd.knownHostsWithChangedKey().toString());
        jsch.addIdentity(sshd.userKey().toString());
        Session session = jsch.getSession("root", "127.0.0.1", sshd.port());
        try {
            session.connect(5000);
            assertTrue(session.isConnected(), "JSch connected despite the changed host key");
        } finally {
            session.disconnect();
        }
    }

    @Test
    void harden_afterAnySshConfig_forcesStrictCheckingAndOurHost() throws Exception {
        JSch jsch = new JSch();
        jsch.setConfigRepository(OpenSSHConfig.parse(String.join("\n", "Host *",
                "  StrictHostKeyChecking accept-new", "  Hostname elsewhere.example", "  Port 2222",
                "  HostKeyAlias trusted-anyway", "")));
        Session session = jsch.getSession("root", "127.0.0.1", 22);
        assertEquals("accept-new", session.getConfig("StrictHostKeyChecking"));
        assertEquals("elsewhere.example", session.getHost());

        Endpoint to = new Endpoint("web-test", "127.0.0.1", sshd.port(), "root");
        KnownHostsCheck check = KnownHostsCheck.load(sshd.knownHosts());
        SshConnector.harden(session, to, check);

        assertEquals("yes", session.getConfig("StrictHostKeyChecking"));
        assertEquals("127.0.0.1", session.getHost());
        assertEquals(sshd.port(), session.getPort());
        assertEquals(null, session.getHostKeyAlias());
        assertEquals(check, session.getHostKeyRepository());
        assertEquals("publickey", session.getConfig("PreferredAuthentications"));
        assertTrue(session.getConfig("kex").startsWith("curve25519-sha256"));
        assertTrue(session.getConfig("server_host_key").startsWith("ssh-ed25519"));
    }

    @Test
    void open_hashedKnownHostsEntry_accepted() throws Exception {
        assertConnects(new SshTransport(with("root", sshd.userKey(), sshd.knownHostsHashedByKeyscan())));
    }

    @Test
    void open_bracketedHostPortEntryAmongOthers_accepted() throws Exception {
        Path file = sshd.knownHosts("known_hosts_mixed", String.join("\n",
                "# a comment, a blank line, another host and a plain-name entry for the same address",
                "",
                "other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK64UI6a+LJy8dfFYDXHYm+9bKrHZ9HViEXhZZjm4Pit",
                "127.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK64UI6a+LJy8dfFYDXHYm+9bKrHZ9HViEXhZZjm4Pit",
                "[127.0.0.1]:" + sshd.port() + ",[localhost]:" + sshd.port() + " ssh-ed25519 " + sshd.hostKeyBlob(),
                ""));

        assertConnects(new SshTransport(with("root", sshd.userKey(), file)));
    }

    @Test
    void open_rsaUserKey_accepted() throws Exception {
        assertConnects(new SshTransport(with("root", sshd.rsaUserKey(), sshd.knownHosts())));
    }

    @Test
    void open_wrongUserKey_refusedNamingUserAndKey() throws Exception {
        TransportException e = refused(with("root", sshd.strangerKey(), sshd.knownHosts()));

        assertEquals(Reason.AUTH_FAILED, e.reason());
        String m = e.getMessage();
        assertTrue(m.startsWith("web-test (127.0.0.1:" + sshd.port() + ") refused the bot's key " + sshd.strangerKey()),
                m);
        assertTrue(m.contains("for user root"), m);
        String strangerFingerprint = OpenSshServer.run("ssh-keygen", "-lf", sshd.strangerKey() + ".pub").split(" ")[1];
        assertTrue(m.contains(strangerFingerprint), m);
        assertTrue(m.contains("authorized_keys"), m);
    }

    @Test
    void open_missingUserKeyFile_refusedBeforeConnecting() {
        TransportException e = refused(with("root", sshd.dir().resolve("no_such_key"), sshd.knownHosts()));

        assertEquals(Reason.AUTH_FAILED, e.reason());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("ssh-keygen -t ed25519"), e.getMessage());
    }

    @Test
    void open_closedPort_refusedWellUnderTheConnectTimeout() throws Exception {
        int closed = OpenSshServer.freePort();
        SshSettings settings = new SshSettings("root", sshd.userKey(), Optional.empty(), sshd.knownHosts(),
                Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(60), false, Optional.empty());

        long start = System.nanoTime();
        TransportException e = assertThrows(TransportException.class,
                () -> new SshTransport(settings).open(Host.ssh("web-closed", "127.0.0.1", closed, Set.of())));
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertEquals(Reason.CONNECTION_REFUSED, e.reason());
        assertEquals(4, e.category().exitCode());
        assertTrue(ms < 5000, "refused after " + ms + " ms; the connect timeout is 20 s");
        assertEquals("web-closed (127.0.0.1:" + closed + ") refused the connection: nothing listens on port " + closed
                + "; check that sshd runs there and that the port in the config is right", e.getMessage());
    }

    @Test
    void open_serverThatNeverSpeaks_timesOutAtTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> {
                try (Socket held = silent.accept()) {
                    Thread.sleep(10_000);
                } catch (Exception e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SshSettings settings = new SshSettings("root", sshd.userKey(), Optional.empty(), sshd.knownHosts(),
                    Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofSeconds(60), false, Optional.empty());

            long start = System.nanoTime();
            TransportException e = assertThrows(TransportException.class, () -> new SshTransport(settings)
                    .open(Host.ssh("web-silent", "127.0.0.1", silent.getLocalPort(), Set.of())));
            long ms = (System.nanoTime() - start) / 1_000_000;

            assertEquals(Reason.TIMEOUT, e.reason());
            assertTrue(e.getMessage().startsWith("web-silent (127.0.0.1:" + silent.getLocalPort() + ") did not"),
                    e.getMessage());
            assertTrue(ms >= 900 && ms < 4000, "gave up after " + ms + " ms with a 1 s connect timeout");
        }
    }

    @Test
    void open_addressWithShellCharacters_refusedBeforeAnyConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        listener.accept().close();
                        connections.incrementAndGet();
                    }
                } catch (Exception e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int port = listener.getLocalPort();

            assertThrows(IllegalArgumentException.class, () -> Host.ssh("web-03;rm -rf /", "127.0.0.1", port, Set.of()));
            for (String address : List.of("127.0.0.1;touch /tmp/pwned", "$(reboot)", "-oProxyCommand=sh", "a b",
                    "127.0.0.1`id`")) {
                BotException e = assertThrows(BotException.class, () -> new SshTransport(sshd.settings())
                        .open(Host.ssh("web-03", address, port, Set.of())));
                assertEquals(BotException.Category.BAD_INPUT, e.category());
                assertTrue(e.getMessage().startsWith("refusing to contact web-03"), e.getMessage());
            }
            Thread.sleep(100);
            assertEquals(0, connections.get());
        }
    }

    @Test
    void knownHostsCheck_neverWritesTheFile() throws Exception {
        Path file = sshd.knownHosts("known_hosts_readonly", "");
        KnownHostsCheck check = KnownHostsCheck.load(file);
        check.add(new com.jcraft.jsch.HostKey("[127.0.0.1]:" + sshd.port(),
                java.util.Base64.getDecoder().decode(sshd.hostKeyBlob())), null);

        assertEquals("", java.nio.file.Files.readString(file));
        assertEquals(KnownHostsCheck.NOT_INCLUDED, check.check("[127.0.0.1]:" + sshd.port(),
                java.util.Base64.getDecoder().decode(sshd.hostKeyBlob())));
    }
}
