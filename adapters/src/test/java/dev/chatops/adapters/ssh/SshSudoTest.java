package dev.chatops.adapters.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.config.SshSettings;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.TransportSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Probes that need root, as an unprivileged user without sudo rights and as root, on a real sshd. */
class SshSudoTest extends RealSshdTest {

    @BeforeAll
    static void prepareUsers() throws Exception {
        OpenSshServer.ensureUnprivilegedUser();
        RealServices.binary("sudo");
        RealServices.binary("nginx");
        RealServices.binary("ss");
    }

    private static Map<String, ProbeResult> runAs(String user, boolean sudo, Probe... probes) throws Exception {
        SshSettings base = sshd.settings(user, sshd.userKey(), sshd.knownHosts());
        SshSettings settings = new SshSettings(base.user(), base.identityFile(), Optional.empty(), base.knownHosts(),
                base.connectTimeout(), base.commandTimeout(), base.runTimeout(), sudo, Optional.empty());
        try (TransportSession session = new SshTransport(settings).open(sshd.host("web-test"))) {
            return session.run(List.of(probes));
        }
    }

    /** Where sudo's secure_path finds the program on this machine, which is the host here. */
    private static String securePath(String program) {
        return Stream.of(SudoCommand.SECURE_PATH.split(":")).map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable).findFirst().orElseThrow().toString();
    }

    @Test
    void run_sudoWithoutRights_namesTheProbeAndTheExactSudoersLine() throws Exception {
        Map<String, ProbeResult> r = runAs(OpenSshServer.UNPRIVILEGED_USER, true,
                Probe.of("nginx-config", "nginx -T").asRoot(),
                Probe.of("listening", "ss -ltnp").asRoot(),
                Probe.of("uptime", "cat /proc/uptime"));

        ProbeResult nginx = r.get("nginx-config");
        assertEquals("sudo -n nginx -T", nginx.command());
        assertEquals(1, nginx.exit());
        assertTrue(nginx.stderr().startsWith("sudo: a password is required\n"), nginx.stderr());
        assertTrue(nginx.stderr().contains("probe nginx-config needs root"), nginx.stderr());
        assertTrue(nginx.stderr().contains(OpenSshServer.UNPRIVILEGED_USER + " ALL=(root) NOPASSWD: "
                + securePath("nginx") + " -T\n"), nginx.stderr());
        ProbeResult ss = r.get("listening");
        assertTrue(ss.stderr().contains(OpenSshServer.UNPRIVILEGED_USER + " ALL=(root) NOPASSWD: "
                + securePath("ss") + " -ltnp\n"), ss.stderr());
        // a probe without sudo is not affected
        assertEquals(0, r.get("uptime").exit());
        assertEquals("cat /proc/uptime", r.get("uptime").command());
    }

    @Test
    void run_loginInAnotherLanguage_refusalStillRecognisedAndExplained() throws Exception {
        RealServices.binary("sudo");
        // sudo says "Ein Passwort ist notwendig" in this login's language, unless the probe runs in the C locale
        try (OpenSshServer german = OpenSshServer.start(List.of("SetEnv LANG=C.UTF-8 LANGUAGE=de"))) {
            SshSettings base = german.settings(OpenSshServer.UNPRIVILEGED_USER, german.userKey(), german.knownHosts());
            SshSettings settings = new SshSettings(base.user(), base.identityFile(), Optional.empty(),
                    base.knownHosts(), base.connectTimeout(), base.commandTimeout(), base.runTimeout(), true,
                    Optional.empty());
            Map<String, ProbeResult> results;
            try (TransportSession session = new SshTransport(settings).open(german.host("web-test"))) {
                results = session.run(List.of(Probe.of("listening", "ss -ltnp").asRoot(),
                        Probe.of("language", "echo \"$LANGUAGE\"")));
            }

            assertEquals("de\n", results.get("language").stdout(), "the login speaks German");
            ProbeResult r = results.get("listening");
            assertEquals(1, r.exit());
            assertTrue(r.stderr().startsWith("sudo: a password is required\n"), r.stderr());
            assertTrue(r.stderr().contains("probe listening needs root"), r.stderr());
        }
    }

    @Test
    void run_sudoProbeThatIsNotOneProgram_notRunAtAll() throws Exception {
        Path marker = sshd.dir().resolve("sudo-pipe-ran");

        ProbeResult r = runAs(OpenSshServer.UNPRIVILEGED_USER, true,
                Probe.of("piped", "ls /root | tee " + marker).asRoot()).get("piped");

        assertEquals(ProbeResult.NOT_RUN, r.exit());
        assertTrue(r.stderr().contains("not one program with plain arguments"), r.stderr());
        assertFalse(Files.exists(marker));
    }

    @Test
    void run_sudoDisabled_runsTheCommandAsIs() throws Exception {
        ProbeResult r = runAs(OpenSshServer.UNPRIVILEGED_USER, false, Probe.of("who", "id -un").asRoot()).get("who");

        assertEquals("id -un", r.command());
        assertEquals(OpenSshServer.UNPRIVILEGED_USER + "\n", r.stdout());
    }

    @Test
    void run_asRoot_needsNoSudo() throws Exception {
        ProbeResult r = runAs("root", true, Probe.of("who", "id -un").asRoot()).get("who");

        assertEquals("id -un", r.command());
        assertEquals("root\n", r.stdout());
    }
}
