package dev.chatops.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.adapters.app.BotApp;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.testing.FakeTransport;
import dev.chatops.core.testing.MutableClock;
import dev.chatops.core.testing.PluginJars;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.evidence.EvidenceFile;
import dev.chatops.core.history.StoredReport;
import dev.chatops.store.SqlStores;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:09:12Z"));
    private final FakeTransport transport = new FakeTransport().answer("uptime", " 10:09:12 up 3 days");

    /** A check whose verdict depends on its one probe, so output proves the probe ran. */
    private static final class UptimeCheck implements Check {
        public String name() {
            return "uptime";
        }

        public String help() {
            return "Says how long the host has been up.";
        }

        public List<Probe> probes(CheckOptions options) {
            return List.of(Probe.of("uptime", "uptime"));
        }

        public Diagnosis diagnose(Evidence e) {
            return e.stdout("uptime").contains("up")
                    ? Diagnosis.healthy("host is" + e.stdout("uptime").split("up")[1], List.of())
                    : Diagnosis.inconclusive("no uptime", List.of());
        }
    }

    private Cli cli() {
        return new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ConfigLoader(Map.of(), dir), dir, clock,
                config -> new BotApp(config, CheckRegistry.of(new UptimeCheck()), transport, clock));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void check_defaultConfigLocalhost_printsReportAndExits0() {
        int code = cli().run("check", "uptime", "localhost");

        assertEquals(0, code, err());
        assertTrue(out().startsWith("[HEALTHY] localhost · host is 3 days"), out());
        assertEquals(1, transport.sessionsOpened());
    }

    @Test
    void check_json_followsTheContract() {
        int code = cli().run("check", "uptime", "localhost", "--format", "json");

        assertEquals(0, code, err());
        assertTrue(out().contains("\"verdict\": \"healthy\""), out());
        assertTrue(out().contains("\"collectedAt\": \"2026-11-21T10:09:12Z\""), out());
        assertTrue(out().contains("\"window\": \"PT15M\""), out());
    }

    @Test
    void check_hostNotAllowed_exits3WithAllowedHosts() {
        int code = cli().run("check", "uptime", "web-03");

        assertEquals(3, code);
        assertEquals("unknown host `web-03`; hosts that may be checked: localhost\n", err());
        assertEquals("", out());
        assertEquals(0, transport.sessionsOpened());
    }

    @Test
    void check_unreachableHost_exits4WithReason() {
        transport.fail("localhost", new TransportException(TransportException.Reason.CONNECTION_REFUSED,
                "localhost refused the connection; is sshd running?"));

        int code = cli().run("check", "uptime", "localhost");

        assertEquals(4, code);
        assertEquals("localhost refused the connection; is sshd running?\n", err());
        assertTrue(out().startsWith("[UNREACHABLE] localhost"), out());
    }

    @Test
    void check_unreachableReasonWithEscapes_isPrintedInert() {
        transport.fail("localhost", new TransportException(TransportException.Reason.CONNECTION_REFUSED,
                "localhost said \u001b]0;pwned\u0007\u001b[2J and closed the connection"));

        assertEquals(4, cli().run("check", "uptime", "localhost"));

        assertEquals("localhost said \\x1b]0;pwned\\x07\\x1b[2J and closed the connection\n", err());
        assertFalse(out().contains("\u001b"), out());
    }

    @Test
    void check_badUsage_exits2() {
        assertEquals(2, cli().run("check", "uptime"));
        assertTrue(err().contains("expected `check <check> <host>`"), err());
    }

    @Test
    void run_unknownCommandOrOption_exits2WithOneSentence() {
        assertEquals(2, cli().run("frobnicate"));
        assertEquals(2, cli().run("check", "uptime", "localhost", "--colour", "red"));
        assertEquals(2, cli().run("check", "uptime", "localhost", "--format", "yaml"));
        String[] lines = err().split("\n");
        assertEquals(3, lines.length, err());
        assertTrue(lines[0].startsWith("unknown command `frobnicate`"), lines[0]);
        assertTrue(lines[1].startsWith("unknown option --colour"), lines[1]);
        assertEquals("--format must be text or json, not `yaml`", lines[2]);
    }

    @Test
    void check_malformedConfig_exits2NamingKeyAndLine() throws Exception {
        Files.writeString(dir.resolve("bot.yaml"), "hosts:\n  localhost:\n    transport: lokal\n");

        int code = cli().run("check", "uptime", "localhost");

        assertEquals(2, code);
        assertTrue(err().contains("hosts.localhost.transport must be one of ssh | local, not `lokal` (line 3)"), err());
        assertEquals(0, transport.sessionsOpened());
    }

    @Test
    void check_implicitBotYamlWritableByOthers_isNotUsedUnasked() throws Exception {
        Path yaml = Files.writeString(dir.resolve("bot.yaml"), "hosts:\n  web-03: {transport: local}\n");
        Files.setPosixFilePermissions(yaml, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertEquals(2, cli().run("check", "uptime", "web-03"));
        assertEquals(yaml + " in the working directory is writable by its group or by others, so it is not used "
                + "unasked; run chmod go-w " + yaml + " or pass --config " + yaml + " if you trust it\n", err());
        assertEquals(0, transport.sessionsOpened());

        err.reset();
        assertEquals(0, cli().run("check", "uptime", "web-03", "--config", "bot.yaml"), err());
    }

    @Test
    void check_implicitBotYamlOfAnotherUser_isNotUsedUnasked() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file away");
        Path yaml = Files.writeString(dir.resolve("bot.yaml"), "hosts:\n  web-03: {transport: local}\n");
        Files.setOwner(yaml, yaml.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));

        assertEquals(2, cli().run("check", "uptime", "web-03"));
        assertEquals(yaml + " in the working directory is owned by nobody, not by you, so it is not used unasked; "
                + "pass --config " + yaml + " if you trust it\n", err());
    }

    @Test
    void replay_savedEvidence_printsSameReportWithoutHost() throws Exception {
        assertEquals(0, cli().run("check", "uptime", "localhost", "--save-evidence", "ev.json"));
        String live = out();
        out.reset();

        int code = cli().run("replay", "uptime", "--evidence", "ev.json");

        assertEquals(0, code, err());
        assertEquals(firstLine(live), firstLine(out()));
        assertEquals(1, transport.sessionsOpened());
        assertTrue(Files.readString(dir.resolve("ev.json")).contains("\"uptime\""));
    }

    @Test
    void replay_evidenceOfAnotherCheck_exits2SayingWhichCheck() throws Exception {
        Files.writeString(dir.resolve("ev.json"), "{\"check\":\"disk\",\"host\":\"h\",\"collectedAt\":"
                + "\"2026-11-21T10:09:12Z\",\"probes\":{}}");

        int code = cli().run("replay", "uptime", "--evidence", "ev.json");

        assertEquals(2, code);
        assertTrue(err().contains("was collected by check disk, not uptime"), err());
    }

    @Test
    void checks_pluginJarInConfiguredPluginsFolder_isListed() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins, "disk-check", Map.of("acme.DiskCheck",
                PluginJars.minimalCheck("acme.DiskCheck", "disk")), "acme.DiskCheck");
        Files.writeString(dir.resolve("bot.yaml"), "plugins: [" + plugins + "]\nhosts:\n  localhost: {transport: local}\n");
        Cli real = realCli();

        int code = real.run("checks", "--config", "bot.yaml");

        assertEquals(0, code, err());
        assertTrue(out().contains("disk  (" + plugins.resolve("disk-check.jar") + ")"), out());
        assertTrue(out().contains("Checks disk things."), out());
        assertTrue(out().contains("nginx502  (classpath)"), out());
    }

    private Cli realCli() {
        return new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ConfigLoader(Map.of(), dir), dir, clock,
                config -> BotApp.start(config, clock));
    }

    /** A plugins folder and a bot.yaml naming it, as someone could leave them in a shared folder. */
    private Path plantPlugin() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path marker = dir.resolve("planted-code-ran");
        String planted = PluginJars.minimalCheck("evil.PlantedCheck", "planted").replace("implements Check {",
                "implements Check {\n  static { try { java.nio.file.Files.writeString(java.nio.file.Path.of(\""
                        + marker + "\"), \"ran\"); } catch (Exception e) { } }");
        PluginJars.build(plugins, "planted", Map.of("evil.PlantedCheck", planted), "evil.PlantedCheck");
        Files.writeString(dir.resolve("bot.yaml"), "plugins: [" + plugins + "]\nhosts:\n  localhost: {transport: local}\n");
        return marker;
    }

    @Test
    void check_productionAssembly_keepsTheReportInTheStateFolder() throws Exception {
        Files.writeString(dir.resolve("bot.yaml"), "hosts:\n  localhost: {transport: local}\n");

        int code = realCli().run("check", "nginx502", "localhost", "--config", "bot.yaml");

        assertEquals(0, code, err());
        List<StoredReport> kept = SqlStores.sqlite(dir.resolve("state")).reports("localhost", Instant.EPOCH, 10);
        assertEquals(1, kept.size(), "the report was not kept in state/history.db");
        assertEquals("nginx502", kept.get(0).check());
        assertEquals("cli:" + System.getProperty("user.name"), kept.get(0).requester());
    }

    @Test
    void check_hostNotAllowed_opensNoHistoryStore() throws Exception {
        Files.writeString(dir.resolve("bot.yaml"), "hosts:\n  localhost: {transport: local}\n");

        int code = realCli().run("check", "nginx502", "web-99", "--config", "bot.yaml");

        assertEquals(3, code, err());
        assertFalse(Files.exists(dir.resolve("state")), "a refused check made the state folder");
    }

    @Test
    void hostSetup_nginx502_printsTheHelperInstallAndItsSudoersLine() throws Exception {
        assertEquals(0, realCli().run("host-setup", "nginx502"), err());

        String script = out();
        assertTrue(script.startsWith("#!/bin/sh\n"), script);
        assertTrue(script.contains("install -o root -g root -m 0755 /dev/stdin "
                + "/usr/local/libexec/chatops/nginx502-containers <<'CHATOPS_HOST_FILE_END'\n#!/bin/sh\n"), script);
        assertTrue(script.contains("\nCHATOPS_HOST_FILE_END\n"), script);
        assertTrue(script.contains("#   chatops ALL=(root) NOPASSWD: /usr/local/libexec/chatops/nginx502-containers \"\"\n"),
                script);
        // the helper that runs every run's root commands in one sudo call, with its own exact line
        assertTrue(script.contains("install -o root -g root -m 0755 /dev/stdin "
                + "/usr/local/libexec/chatops/nginx502-root <<'CHATOPS_HOST_FILE_END'\n#!/bin/sh\n"), script);
        assertTrue(script.contains("#   chatops ALL=(root) NOPASSWD: /usr/local/libexec/chatops/nginx502-root \"\"\n"),
                script);
        // what the operator runs as root must at least parse as a shell script
        Process p = new ProcessBuilder("sh", "-n").start();
        p.getOutputStream().write(script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertEquals(0, p.waitFor(), "sh -n rejects the host-setup script");
    }

    @Test
    void hostSetup_unknownCheck_usageError() throws Exception {
        assertEquals(2, realCli().run("host-setup", "nope"));
        assertTrue(err().contains("no check named `nope`"), err());
    }

    @Test
    void checksAndReplay_withoutConfig_loadNoPluginFromTheWorkingDirectory() throws Exception {
        Path marker = plantPlugin();
        EvidenceFile.write(new Evidence("nginx502", "localhost", clock.instant(), java.time.Duration.ofMinutes(15),
                Map.of()), dir.resolve("ev.json"));

        assertEquals(0, realCli().run("checks"), err());
        realCli().run("replay", "nginx502", "--evidence", "ev.json");

        assertFalse(out().contains("planted"), out());
        assertFalse(Files.exists(marker), "the planted plugin's static initialiser ran");
        assertTrue(out().contains("nginx502  (classpath)"), out());
    }

    @Test
    void checks_worldWritablePluginsFolder_isRefusedWithTheFix() throws Exception {
        Path marker = plantPlugin();
        Path plugins = dir.resolve("plugins");
        Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxrwxrwx"));

        int code = realCli().run("checks", "--config", "bot.yaml");

        assertEquals(0, code, err());
        assertFalse(Files.exists(marker), "the plugin's static initialiser ran");
        assertTrue(err().contains("plugin problem: plugin folder " + plugins + " is writable by its group or by "
                + "others, so they could plant code the bot would run; not loading it: run chmod go-w " + plugins), err());
    }

    @Test
    void replay_evidenceFileOf2GB_exits2WithOneSentence() throws Exception {
        Path huge = dir.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(2_200_000_000L); // sparse: no disk, and far more than the heap
        }

        int code = cli().run("replay", "uptime", "--evidence", "huge.json");

        assertEquals(2, code);
        assertEquals("evidence file " + huge + " is larger than 128 MiB, far more than a check collects; it is not a "
                + "file written by check --save-evidence\n", err());
    }

    @Test
    void check_configFileOf2GB_exits2WithOneSentence() throws Exception {
        Path huge = dir.resolve("bot.yaml");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(2_200_000_000L);
        }

        int code = cli().run("check", "uptime", "localhost", "--config", "bot.yaml");

        assertEquals(2, code);
        assertEquals("config file " + huge + " is larger than 1 MiB, far more than any bot.yaml; pass --config with "
                + "the bot's configuration file\n", err());
    }

    @Test
    void check_saveEvidence_redactedAndReadableByOwnerOnly() throws Exception {
        transport.answer("uptime", " 10:09:12 up 3 days, Cookie: sid=abc123def; theme=dark");

        assertEquals(0, cli().run("check", "uptime", "localhost", "--save-evidence", "ev.json"), err());

        Path saved = dir.resolve("ev.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
        assertFalse(Files.readString(saved).contains("abc123def"));
        assertTrue(Files.readString(saved).contains("\"format\": 1"));
        assertEquals("", err());
    }

    @Test
    void check_saveEvidenceRaw_keepsSecretsAndWarns() throws Exception {
        transport.answer("uptime", " 10:09:12 up 3 days, Cookie: sid=abc123def; theme=dark");

        assertEquals(0, cli().run("check", "uptime", "localhost", "--save-evidence", "ev.json", "--raw"), err());

        Path saved = dir.resolve("ev.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
        assertTrue(Files.readString(saved).contains("abc123def"));
        assertEquals("warning: " + saved + " holds the probes' output unredacted (passwords, tokens, cookies); it is "
                + "readable by you only, keep it that way and delete it when done\n", err());
    }

    @Test
    void check_rawWithoutSaveEvidence_exits2() {
        assertEquals(2, cli().run("check", "uptime", "localhost", "--raw"));
        assertEquals("--raw only applies to --save-evidence FILE; add it or drop --raw\n", err());
    }

    @Test
    void replay_terminalEscapesAndBidiInEvidence_areShownEscaped() throws Exception {
        Files.writeString(dir.resolve("ev.json"), "{\"format\":1,\"check\":\"uptime\",\"host\":\"localhost\","
                + "\"collectedAt\":\"2026-11-21T10:09:12Z\",\"probes\":{\"uptime\":{\"command\":\"uptime\",\"exit\":0,"
                + "\"stdout\":\" up 3 days \\u001b[2J\\u001b[H[HEALTHY] all fine \\u202egnp.exe\\u009b\\r\\nx\"}}}");

        assertEquals(0, cli().run("replay", "uptime", "--evidence", "ev.json"), err());
        String text = out();
        out.reset();
        assertEquals(0, cli().run("replay", "uptime", "--evidence", "ev.json", "--format", "json"), err());
        String json = out();

        for (String shown : List.of(text, json)) {
            assertFalse(shown.contains("\u001b"), shown);
            assertFalse(shown.contains("\u202e"), shown);
            assertFalse(shown.contains("\u009b"), shown);
            assertFalse(shown.contains("\r"), shown);
        }
        assertTrue(text.contains("\\x1b[2J\\x1b[H[HEALTHY] all fine \\u202egnp.exe\\x9b\\x0d\\x0ax"), text);
        assertEquals(3, text.strip().split("\n").length, text);
        assertTrue(json.contains("\\u001b[2J"), json);
        assertTrue(json.contains("\\u202e"), json);
        assertEquals("uptime", com.google.gson.JsonParser.parseString(json).getAsJsonObject().get("check").getAsString());
    }

    private static String firstLine(String s) {
        return s.split("\n", 2)[0];
    }
}
