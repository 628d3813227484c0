package dev.chatops.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    void checks_pluginJarDroppedInPluginsFolder_isListed() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins, "disk-check", Map.of("acme.DiskCheck",
                PluginJars.minimalCheck("acme.DiskCheck", "disk")), "acme.DiskCheck");
        Files.writeString(dir.resolve("bot.yaml"), "hosts:\n  localhost: {transport: local}\n");
        Cli real = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ConfigLoader(Map.of(), dir), dir, clock,
                config -> BotApp.start(config, clock));

        int code = real.run("checks", "--config", "bot.yaml");

        assertEquals(0, code, err());
        assertTrue(out().contains("disk  (" + plugins.resolve("disk-check.jar") + ")"), out());
        assertTrue(out().contains("Checks disk things."), out());
        assertTrue(out().contains("nginx502  (classpath)"), out());
    }

    private static String firstLine(String s) {
        return s.split("\n", 2)[0];
    }
}
