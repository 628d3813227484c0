package dev.chatops.adapters.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.adapters.app.BotApp;
import dev.chatops.adapters.cli.Cli;
import dev.chatops.config.BotConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.testing.FakeTransport;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportException.Reason;
import dev.chatops.core.transport.TransportSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SSH transport as users reach it: a YAML config and the command line, against a real sshd. */
class SshFromConfigTest extends RealSshdTest {

    private record Outcome(int exit, String out, String err) {
    }

    /** Writes bot.yaml with this ssh: section and one host, and runs the command line on it. */
    private static Outcome cli(String sshSection, int port, Map<String, String> env, String... args) throws Exception {
        Path config = writeConfig(sshSection, port);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Clock clock = Clock.systemUTC();
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), new ConfigLoader(env, sshd.dir()), sshd.dir(), clock,
                c -> BotApp.start(c, clock));
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = config.toString();
        int exit = cli.run(full);
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Path writeConfig(String sshSection, int port) throws Exception {
        Path config = sshd.dir().resolve("bot.yaml");
        Files.writeString(config, sshSection + "hosts:\n  web-test:\n    address: 127.0.0.1\n    port: " + port + "\n");
        return config;
    }

    private static String ssh(Path key, Path knownHosts) {
        return "ssh:\n  user: root\n  identityFile: " + key + "\n  knownHosts: " + knownHosts
                + "\n  connectTimeout: 5s\n  commandTimeout: 20s\n  runTimeout: 60s\n";
    }

    @Test
    void check_keyReadableByOthers_exits2WithTheChmodBeforeConnecting() throws Exception {
        Path open = sshd.dir().resolve("open_ed25519");
        Files.copy(sshd.userKey(), open, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        Outcome r = cli(ssh(open, sshd.knownHosts()), sshd.port(), Map.of(), "check", "nginx502", "web-test");

        assertEquals(2, r.exit(), r.err());
        assertEquals("the SSH key " + open + " is accessible by others (permissions rw-r--r--), an UNPROTECTED PRIVATE "
                + "KEY FILE that OpenSSH would refuse and so does the bot; run chmod 600 " + open + "\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void open_keyMadeReadableAfterStart_isRefusedBeforeConnecting() throws Exception {
        Path key = sshd.dir().resolve("later_ed25519");
        Files.copy(sshd.userKey(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        SshTransport transport = new SshTransport(new dev.chatops.config.SshSettings("root", key, Optional.empty(), sshd.knownHosts(),
                java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(20), java.time.Duration.ofSeconds(60),
                false, Optional.empty()));
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        // a port nothing listens on: reaching the network would fail differently
        dev.chatops.core.host.Host host = new dev.chatops.core.host.Host("web-test", "127.0.0.1",
                OpenSshServer.freePort(), java.util.Set.of(), dev.chatops.core.host.Host.TransportKind.SSH);

        dev.chatops.core.error.BotException e = assertThrows(dev.chatops.core.error.BotException.class,
                () -> transport.open(host));

        assertTrue(e.getMessage().contains("UNPROTECTED PRIVATE KEY FILE"), e.getMessage());
        assertTrue(e.getMessage().endsWith("run chmod 600 " + key), e.getMessage());
    }

    @Test
    void userKey_createdByTheTestServer_isOwnerOnly() throws Exception {
        for (Path key : List.of(sshd.userKey(), sshd.protectedUserKey())) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(key)), key.toString());
        }
    }

    @Test
    void check_nginx502OverSsh_exit0WithAReport() throws Exception {
        Outcome r = cli(ssh(sshd.userKey(), sshd.knownHosts()), sshd.port(), Map.of(), "check", "nginx502", "web-test");

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("web-test · nginx502 · "), r.out());
        assertTrue(!r.out().contains("[UNREACHABLE]"), r.out());
    }

    @Test
    void check_withKeepAlive_closesTheKeptConnectionWhenTheCommandEnds() throws Exception {
        Outcome r = cli(ssh(sshd.userKey(), sshd.knownHosts()) + "  keepAlive: 60s\n", sshd.port(), Map.of(),
                "check", "nginx502", "web-test");

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("web-test · nginx502 · "), r.out());
        assertEquals(0, connectionsTo(sshd.port()), "connections to sshd still open after the command ended");
    }

    /** Established TCP connections to that loopback port, as ss sees them, once closed ones have gone (2 s). */
    private static int connectionsTo(int port) throws Exception {
        long until = System.nanoTime() + 2_000_000_000L;
        while (true) {
            int n = (int) OpenSshServer.run("ss", "-Htn", "state", "established", "dst", "127.0.0.1:" + port).lines()
                    .filter(l -> !l.isBlank()).count();
            if (n == 0 || System.nanoTime() > until) {
                return n;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void check_nginx502OverSshAsJson_listsEveryProbeWithItsExit() throws Exception {
        Outcome r = cli(ssh(sshd.userKey(), sshd.knownHosts()), sshd.port(), Map.of(), "check", "nginx502", "web-test",
                "--format", "json");

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"host\": \"web-test\""), r.out());
        assertTrue(r.out().contains("\"probes\": [\n    {"), r.out());
        assertTrue(!r.out().contains("\"verdict\": \"unreachable\""), r.out());
    }

    @Test
    void check_unknownHostKey_exit4WithOneSentence() throws Exception {
        Path empty = sshd.knownHosts("known_hosts_cli_empty", "");

        Outcome r = cli(ssh(sshd.userKey(), empty), sshd.port(), Map.of(), "check", "nginx502", "web-test");

        assertEquals(Cli.UNREACHABLE, r.exit());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("offered the unknown host key ssh-ed25519 SHA256:"), lines.get(0));
        assertTrue(lines.get(0).contains("ssh-keyscan -p " + sshd.port() + " -t ed25519 127.0.0.1 >> " + empty),
                lines.get(0));
    }

    @Test
    void check_refusedPort_exit4WithOneSentence() throws Exception {
        int closed = OpenSshServer.freePort();

        Outcome r = cli(ssh(sshd.userKey(), sshd.knownHosts()), closed, Map.of(), "check", "nginx502", "web-test");

        assertEquals(Cli.UNREACHABLE, r.exit());
        assertEquals(List.of("web-test (127.0.0.1:" + closed + ") refused the connection: nothing listens on port "
                + closed + "; check that sshd runs there and that the port in the config is right"),
                r.err().lines().toList());
    }

    @Test
    void check_hostNameWithShellCharacters_refusedBeforeAnyConnection() throws Exception {
        Path config = writeConfig(ssh(sshd.userKey(), sshd.knownHosts()), sshd.port());
        FakeTransport transport = new FakeTransport();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Clock clock = Clock.systemUTC();
        Cli cli = new Cli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ConfigLoader(Map.of(), sshd.dir()), sshd.dir(),
                clock, c -> new BotApp(c, CheckRegistry.load(getClass().getClassLoader(), Optional.empty()), transport,
                        clock));

        int exit = cli.run("check", "nginx502", "web-03;rm -rf /", "--config", config.toString());

        assertEquals(Cli.USAGE, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a host name"), err.toString());
        assertEquals(0, transport.sessionsOpened());
        assertEquals(List.of(), transport.commands());
    }

    @Test
    void load_passphraseFromEnvironment_unlocksTheKey() throws Exception {
        BotConfig config = new ConfigLoader(Map.of("CHATOPS_SSH_PASSPHRASE", OpenSshServer.protectedKeyPassphrase()),
                sshd.dir()).load(writeConfig(protectedKeySection(), sshd.port()));

        try (TransportSession s = new SshTransport(config.ssh().orElseThrow())
                .open(config.hosts().find("web-test").orElseThrow())) {
            assertEquals("in\n", s.run(List.of(Probe.of("in", "echo in"))).get("in").stdout());
        }
    }

    @Test
    void load_wrongPassphrase_authFailedSayingSo() throws Exception {
        BotConfig config = new ConfigLoader(Map.of("CHATOPS_SSH_PASSPHRASE", "not it"), sshd.dir())
                .load(writeConfig(protectedKeySection(), sshd.port()));

        TransportException e = assertThrows(TransportException.class, () -> new SshTransport(config.ssh().orElseThrow())
                .open(config.hosts().find("web-test").orElseThrow()));

        assertEquals(Reason.AUTH_FAILED, e.reason());
        assertTrue(e.getMessage().contains("passphrase for the SSH key " + sshd.protectedUserKey() + " is wrong"),
                e.getMessage());
    }

    @Test
    void load_passphraseVariableUnset_authFailedNamingTheVariable() throws Exception {
        BotConfig config = new ConfigLoader(Map.of(), sshd.dir()).load(writeConfig(protectedKeySection(), sshd.port()));

        TransportException e = assertThrows(TransportException.class, () -> new SshTransport(config.ssh().orElseThrow())
                .open(config.hosts().find("web-test").orElseThrow()));

        assertEquals(Reason.AUTH_FAILED, e.reason());
        assertTrue(e.getMessage().contains("CHATOPS_SSH_PASSPHRASE"), e.getMessage());
    }

    private static String protectedKeySection() {
        return "ssh:\n  user: root\n  identityFile: " + sshd.protectedUserKey() + "\n  identityPassphrase: "
                + "${CHATOPS_SSH_PASSPHRASE}\n  knownHosts: " + sshd.knownHosts() + "\n";
    }
}
