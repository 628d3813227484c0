package dev.chatops.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.Setting;
import dev.chatops.core.testing.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckRegistryTest {

    @TempDir
    Path tmp;

    /** A check that declares one setting, as a plugin would. */
    private static final class ThresholdCheck implements Check {
        public String name() { return "disk"; }
        public String help() { return "Finds full filesystems."; }
        public List<Setting> settings() {
            return List.of(Setting.wholeNumber("threshold", 90, 1, 100, "Percent used that counts as full."));
        }
        public List<Probe> probes(CheckOptions o) { return List.of(Probe.of("df", "df -P")); }
        public Diagnosis diagnose(Evidence e) { return Diagnosis.healthy("fine", List.of()); }
    }

    @Test
    void settings_unconfigured_areTheDeclaredDefaults() {
        CheckRegistry registry = CheckRegistry.of(new ThresholdCheck());

        CheckOptions options = registry.options(registry.find("disk").orElseThrow(), CheckOptions.defaults());

        assertEquals(Map.of("threshold", 90), options.settings().values());
        assertEquals(CheckOptions.DEFAULT_WINDOW, options.window());
    }

    @Test
    void withSettings_configuredValueReplacesDefault() {
        CheckRegistry registry = CheckRegistry.of(new ThresholdCheck()).withSettings(Map.of("disk", Map.of("threshold", 75)));

        assertEquals(75, registry.settings(registry.find("disk").orElseThrow()).wholeNumber("threshold", 0));
    }

    @Test
    void withSettings_unknownCheckKeyOrType_isRefused() {
        CheckRegistry registry = CheckRegistry.of(new ThresholdCheck());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.withSettings(Map.of("tls", Map.of("warnDays", 3))));
        assertEquals("settings for check tls, which is not loaded; loaded: disk", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry.withSettings(Map.of("disk", Map.of("limit", 3))));
        assertThrows(IllegalArgumentException.class, () -> registry.withSettings(Map.of("disk", Map.of("threshold", "9"))));
    }

    @Test
    void load_pluginDeclaringASettingTwice_isRefusedByName() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        String twice = PluginJars.minimalCheck("acme.TwiceCheck", "twice").replace("public String name()",
                "public List<Setting> settings() { return List.of(Setting.bool(\"strict\", true, \"h\"), "
                        + "Setting.bool(\"strict\", false, \"h\")); }\n  public String name()");
        PluginJars.build(plugins, "twice", Map.of("acme.TwiceCheck", twice), "acme.TwiceCheck");

        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), Optional.of(plugins));

        assertEquals(List.of(), registry.names());
        assertTrue(registry.problems().get(0).message().contains("check twice (acme.TwiceCheck) declares its settings "
                + "more than once"), registry.problems().toString());
    }

    @Test
    void load_pluginJarInPluginsFolder_isRegisteredWithItsOrigin() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Path jar = PluginJars.build(plugins, "disk", Map.of("acme.DiskCheck",
                PluginJars.minimalCheck("acme.DiskCheck", "disk")), "acme.DiskCheck");

        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), Optional.of(plugins));

        assertEquals(List.of("disk"), registry.names());
        assertEquals(jar.toString(), registry.origin("disk"));
        assertEquals("Checks disk things.", registry.find("disk").orElseThrow().help());
        assertTrue(registry.problems().isEmpty(), registry.problems().toString());
    }

    @Test
    void load_duplicateName_keepsFirstAndReportsBoth() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        PluginJars.build(plugins, "a-disk", Map.of("acme.DiskCheck",
                PluginJars.minimalCheck("acme.DiskCheck", "disk")), "acme.DiskCheck");
        PluginJars.build(plugins, "b-disk", Map.of("other.AnotherDiskCheck",
                PluginJars.minimalCheck("other.AnotherDiskCheck", "disk")), "other.AnotherDiskCheck");

        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), Optional.of(plugins));

        assertEquals(List.of("disk"), registry.names());
        assertEquals("acme.DiskCheck", registry.find("disk").orElseThrow().getClass().getName());
        assertEquals(1, registry.problems().size());
        String message = registry.problems().get(0).message();
        assertTrue(message.contains("check disk (other.AnotherDiskCheck) duplicates"), message);
        assertTrue(message.contains("acme.DiskCheck"), message);
        assertTrue(registry.problems().get(0).source().endsWith("b-disk.jar"));
    }

    @Test
    void load_pluginThatThrowsOnCreation_isReportedByNameAndOthersLoad() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        String broken = PluginJars.minimalCheck("acme.BrokenCheck", "broken")
                .replace("implements Check {", "implements Check {\n  public BrokenCheck() { "
                        + "throw new IllegalStateException(\"needs /etc/acme.conf\"); }");
        PluginJars.build(plugins, "broken", Map.of("acme.BrokenCheck", broken), "acme.BrokenCheck");
        PluginJars.build(plugins, "disk", Map.of("acme.DiskCheck",
                PluginJars.minimalCheck("acme.DiskCheck", "disk")), "acme.DiskCheck");

        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), Optional.of(plugins));

        assertEquals(List.of("disk"), registry.names());
        assertEquals(1, registry.problems().size(), registry.problems().toString());
        String message = registry.problems().get(0).message();
        assertTrue(message.contains("acme.BrokenCheck"), message);
        assertTrue(message.contains("needs /etc/acme.conf"), message);
    }

    @Test
    void load_servicesLineNamingMissingClass_isReported() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        PluginJars.build(plugins, "typo", Map.of("acme.DiskCheck",
                PluginJars.minimalCheck("acme.DiskCheck", "disk")), "acme.DiskChek");

        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), Optional.of(plugins));

        assertTrue(registry.names().isEmpty());
        assertEquals(1, registry.problems().size(), registry.problems().toString());
        assertTrue(registry.problems().get(0).message().contains("acme.DiskChek not found"),
                registry.problems().toString());
    }

    @Test
    void load_pluginForAnotherSpiVersion_isRefusedNamingBothVersions() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        String old = PluginJars.minimalCheck("acme.OldCheck", "old")
                .replace("implements Check {", "implements Check {\n  public int spiVersion() { return 0; }");
        PluginJars.build(plugins, "old", Map.of("acme.OldCheck", old), "acme.OldCheck");

        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), Optional.of(plugins));

        assertTrue(registry.names().isEmpty());
        String message = registry.problems().get(0).message();
        assertTrue(message.contains("SPI version 0") && message.contains("provides version " + Check.SPI_VERSION),
                message);
    }

    @Test
    void load_jarWithoutServicesEntry_isReported() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Files.write(plugins.resolve("empty.jar"), emptyJar());

        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), Optional.of(plugins));

        assertTrue(registry.problems().stream().anyMatch(p -> p.source().endsWith("empty.jar")
                && p.message().contains("no check plugin in this jar")), registry.problems().toString());
    }

    @Test
    void load_missingPluginsFolder_isNotAProblem() {
        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), Optional.of(tmp.resolve("none")));

        assertTrue(registry.problems().isEmpty());
    }

    private Path diskPlugin(Path plugins) throws Exception {
        Files.createDirectories(plugins);
        return PluginJars.build(plugins, "disk", Map.of("acme.DiskCheck",
                PluginJars.minimalCheck("acme.DiskCheck", "disk")), "acme.DiskCheck");
    }

    private void assertRefused(CheckRegistry registry, String source, String sentence) {
        assertTrue(registry.names().isEmpty(), registry.names().toString());
        assertEquals(1, registry.problems().size(), registry.problems().toString());
        assertEquals(source, registry.problems().get(0).source());
        assertEquals(sentence, registry.problems().get(0).message());
    }

    @Test
    void load_configuredFolder_loadsItsJars() throws Exception {
        Path plugins = tmp.resolve("plugins");
        Path jar = diskPlugin(plugins);

        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), List.of(plugins));

        assertEquals(List.of("disk"), registry.names());
        assertEquals(jar.toString(), registry.origin("disk"));
    }

    @Test
    void load_worldWritableFolder_isRefused() throws Exception {
        Path plugins = tmp.resolve("plugins");
        diskPlugin(plugins);
        Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxrwxrwx"));

        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), List.of(plugins));

        assertRefused(registry, plugins.toString(), "plugin folder " + plugins + " is writable by its group or by "
                + "others, so they could plant code the bot would run; not loading it: run chmod go-w " + plugins);
    }

    @Test
    void load_groupWritableJar_isRefused() throws Exception {
        Path plugins = tmp.resolve("plugins");
        Path jar = diskPlugin(plugins);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-r--"));

        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), List.of(plugins));

        assertRefused(registry, jar.toString(), "plugin jar " + jar + " is writable by its group or by others, so "
                + "they could plant code the bot would run; not loading it: run chmod go-w " + jar);
    }

    @Test
    void load_writableFolderAbove_isRefused() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Path plugins = shared.resolve("plugins");
        diskPlugin(plugins);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), List.of(plugins));

        assertRefused(registry, plugins.toString(), "folder " + shared + " above the plugin folder " + plugins
                + " is writable by its group or by others, so they could plant code the bot would run; not loading "
                + "it: run chmod go-w " + shared);
    }

    @Test
    void load_folderOwnedBySomeoneElse_isRefused() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a folder away");
        Path plugins = tmp.resolve("plugins");
        diskPlugin(plugins);
        UserPrincipal nobody = plugins.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(plugins, nobody);

        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), List.of(plugins));

        assertRefused(registry, plugins.toString(), "plugin folder " + plugins + " is owned by nobody, not by root or "
                + "root (the user running the bot), so its owner could make the bot run any code; not loading it: "
                + "run chown root " + plugins);
    }

    @Test
    void load_relativeOrMissingConfiguredFolder_isReported() {
        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(),
                List.of(Path.of("plugins"), tmp.resolve("none")));

        assertEquals(List.of("plugin folder plugins is not an absolute path; give plugins: absolute paths such as "
                        + "/opt/chatops/plugins",
                "plugin folder " + tmp.resolve("none") + " does not exist or is not a folder; create it or remove it "
                        + "from plugins:"),
                registry.problems().stream().map(CheckRegistry.Problem::message).toList());
    }

    @Test
    void of_invalidName_isRefused() {
        Check bad = new Check() {
            public String name() {
                return "Bad Name";
            }

            public String help() {
                return "help";
            }

            public List<Probe> probes(CheckOptions options) {
                return List.of();
            }

            public Diagnosis diagnose(Evidence evidence) {
                return Diagnosis.healthy("", List.of());
            }
        };

        CheckRegistry registry = CheckRegistry.of(bad);

        assertTrue(registry.names().isEmpty());
        assertTrue(registry.problems().get(0).message().contains("invalid name 'Bad Name'"));
    }

    private static byte[] emptyJar() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(bytes)) {
            out.putNextEntry(new java.util.jar.JarEntry("README.txt"));
            out.write("nothing here".getBytes());
            out.closeEntry();
        }
        return bytes.toByteArray();
    }
}
