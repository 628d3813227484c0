package dev.chatops.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.adapters.app.BotApp;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.evidence.EvidenceFile;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Settings;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.MutableClock;
import dev.chatops.core.testing.PluginJars;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's plugin example, for real: its source (kept identical to the README's code block) is
 * compiled against check-api alone, packed in a jar with its services line, dropped in a plugins
 * folder and run through the command line against this machine.
 */
class ExamplePluginTest {

    private static final Path SOURCE = Path.of("src/test/resources/example-plugin/acme/disk/DiskCheck.java");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(package acme\\.disk;.*?)```", Pattern.DOTALL);
    private static final String DF_HEADER = "Filesystem     1024-blocks     Used Available Capacity Mounted on\n";

    @TempDir
    Path dir;

    private Path plugins;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:09:12Z"));

    @BeforeEach
    void buildPlugin() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins, "disk-check", Map.of("acme.disk.DiskCheck", Files.readString(SOURCE)),
                "acme.disk.DiskCheck");
    }

    private int run(String yamlTail, String... args) throws Exception {
        Files.writeString(dir.resolve("bot.yaml"), "plugins: [" + plugins + "]\nhosts:\n  localhost: {transport: local}\n"
                + yamlTail);
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ConfigLoader(Map.of(), dir), dir, clock,
                config -> BotApp.start(config, clock));
        return cli.run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Check loadedDiskCheck() {
        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), Optional.of(plugins));
        assertTrue(registry.problems().isEmpty(), registry.problems().toString());
        return registry.find("disk").orElseThrow();
    }

    private static Evidence df(String stdout, Settings settings) {
        return new Evidence("disk", "web-03", Instant.parse("2026-11-21T10:09:12Z"), Duration.ofMinutes(15),
                Map.of("df", new ProbeResult("df -P", 0, stdout, "", 5, false)), settings);
    }

    @Test
    void readme_pluginExample_isThisSource() throws Exception {
        Matcher m = JAVA_BLOCK.matcher(Files.readString(Path.of("../README.md")));

        assertTrue(m.find(), "README.md has no ```java block starting with package acme.disk;");
        assertEquals(Files.readString(SOURCE), m.group(1));
    }

    @Test
    void diagnose_fullDiskAtDefaultThreshold_isCauseFoundWithBuiltCause() {
        Check disk = loadedDiskCheck();
        Settings defaults = Settings.of(disk.settings(), Map.of());

        Diagnosis d = disk.diagnose(df(DF_HEADER
                + "/dev/sda1        51474912 51474912         0     100% /\n"
                + "/dev/sdb1        10000000  5000000   5000000      50% /srv/my data\n", defaults));

        assertEquals(Verdict.CAUSE_FOUND, d.verdict());
        assertEquals(1, d.causes().size());
        assertEquals("disk-full", d.causes().get(0).id());
        assertEquals("/ is 100% used; the threshold is 90%", d.causes().get(0).detail());
        assertEquals("du -xh '/' | sort -h | tail -20", d.causes().get(0).fixes().get(0).text());
    }

    @Test
    void diagnose_belowThreshold_isHealthy_noReadableLine_isInconclusive() {
        Check disk = loadedDiskCheck();
        Settings defaults = Settings.of(disk.settings(), Map.of());

        assertEquals(Verdict.HEALTHY, disk.diagnose(df(DF_HEADER
                + "/dev/sda1        51474912 40000000  11474912      78% /\n", defaults)).verdict());
        assertEquals(Verdict.INCONCLUSIVE, disk.diagnose(df(DF_HEADER, defaults)).verdict());
        assertEquals(Verdict.INCONCLUSIVE, disk.diagnose(df("", defaults)).verdict());
    }

    @Test
    void checks_listsThePluginWithItsSetting() throws Exception {
        int code = run("", "checks", "--config", "bot.yaml");

        assertEquals(0, code, err());
        assertTrue(out().contains("disk  (" + plugins.resolve("disk-check.jar") + ")\n"
                + "    Finds full filesystems. Usage: /disk <host>\n"
                + "    setting threshold: a whole number 1-100, default 90. Percent used at which a filesystem counts as "
                + "full.\n"), out());
    }

    @Test
    void check_diskLocalhost_thresholdFromConfig_findsTheFullFilesystem() throws Exception {
        // every mounted filesystem with data on it is at least 1% used, so this machine's df must give a cause
        int code = run("checks:\n  disk:\n    threshold: 1\n", "check", "disk", "localhost", "--format", "json",
                "--save-evidence", "disk.json");

        assertEquals(0, code, err());
        assertTrue(out().contains("\"verdict\": \"cause-found\""), out());
        assertTrue(out().contains("\"id\": \"disk-full\""), out());
        assertTrue(out().contains("the threshold is 1%"), out());
        Evidence saved = EvidenceFile.read(dir.resolve("disk.json"));
        assertEquals(1, saved.settings().wholeNumber("threshold", 0));
        assertTrue(saved.stdout("df").lines().anyMatch(l -> l.endsWith(" /")), saved.stdout("df"));
    }

    @Test
    void check_settingOfTheWrongType_isRefusedAtStartWithKeyPathAndLine() throws Exception {
        int code = run("checks:\n  disk:\n    threshold: full\n", "check", "disk", "localhost");

        assertEquals(2, code);
        assertEquals(dir.resolve("bot.yaml") + ": checks.disk.threshold must be a whole number 1-100, not `full` (line 6)\n", err());
        assertEquals("", out());
    }

    @Test
    void check_settingOfACheckNotLoaded_namesTheLoadedChecks() throws Exception {
        int code = run("checks:\n  tls: {warnDays: 14}\n", "checks", "--config", "bot.yaml");

        assertEquals(2, code);
        assertEquals(dir.resolve("bot.yaml") + ": checks.tls names a check that is not loaded; loaded checks: disk, nginx502 (line 5)\n",
                err());
    }
}
