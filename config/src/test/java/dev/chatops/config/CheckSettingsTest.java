package dev.chatops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.Setting;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code checks:} section: read with the rest of the file, judged against the loaded checks. */
class CheckSettingsTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("WARN_DAYS", "21"), Path.of("/home/chatops"));

    /** A check with two settings, as a TLS-expiry plugin would declare them. */
    private static final class TlsCheck implements Check {
        public String name() { return "tls"; }
        public String help() { return "Finds certificates about to expire."; }
        public List<Setting> settings() {
            return List.of(Setting.wholeNumber("warnDays", 14, 1, 365, "Days before expiry that count as soon."),
                    Setting.bool("strict", false, "Whether a self-signed certificate counts as a cause."));
        }
        public List<Probe> probes(CheckOptions o) { return List.of(Probe.of("certs", "true")); }
        public Diagnosis diagnose(Evidence e) { return Diagnosis.healthy("fine", List.of()); }
    }

    private static final class PlainCheck implements Check {
        public String name() { return "nginx502"; }
        public String help() { return "Why nginx answers 502."; }
        public List<Probe> probes(CheckOptions o) { return List.of(Probe.of("ps", "ps")); }
        public Diagnosis diagnose(Evidence e) { return Diagnosis.healthy("fine", List.of()); }
    }

    private static final List<Check> LOADED = List.of(new TlsCheck(), new PlainCheck());

    private BotConfig parse(String yaml) {
        return loader.parse(new StringReader(yaml), "bot.yaml", Optional.empty());
    }

    private String resolveError(String yaml) {
        CheckSettings settings = parse(yaml).checkSettings();
        return assertThrows(ConfigException.class, () -> settings.resolve(LOADED)).getMessage();
    }

    @Test
    void absent_isNone() {
        BotConfig c = parse("hosts: {web-01: {transport: local}}\n");

        assertTrue(c.checkSettings().isEmpty());
        assertEquals(Map.of(), c.checkSettings().resolve(LOADED));
    }

    @Test
    void resolve_valuesConvertedToDeclaredTypes() {
        BotConfig c = parse("hosts: {web-01: {transport: local}}\nchecks:\n  tls:\n    warnDays: 30\n    strict: yes\n");

        assertEquals(Map.of("tls", Map.of("warnDays", 30, "strict", true)), c.checkSettings().resolve(LOADED));
    }

    @Test
    void resolve_valueFromEnvironment_isConverted() {
        BotConfig c = parse("hosts: {web-01: {transport: local}}\nchecks: {tls: {warnDays: \"${WARN_DAYS}\"}}\n");

        assertEquals(Map.of("tls", Map.of("warnDays", 21)), c.checkSettings().resolve(LOADED));
    }

    @Test
    void resolve_wrongType_namesKeyPathValueAndLine() {
        assertEquals("bot.yaml: checks.tls.warnDays must be a whole number 1-365, not `soon` (line 4)",
                resolveError("hosts: {web-01: {transport: local}}\nchecks:\n  tls:\n    warnDays: soon\n"));
    }

    @Test
    void resolve_unknownKey_namesTheKeysTheCheckTakes() {
        assertEquals("bot.yaml: checks.tls.warnDayz is not a setting of check tls; it takes: warnDays, strict (line 3)",
                resolveError("hosts: {web-01: {transport: local}}\nchecks:\n  tls: {warnDayz: 3}\n"));
        assertEquals("bot.yaml: checks.nginx502.window is not a setting of check nginx502; it takes none (line 2)",
                resolveError("hosts: {web-01: {transport: local}}\nchecks: {nginx502: {window: 5m}}\n"));
    }

    @Test
    void resolve_checkNotLoaded_namesTheLoadedChecks() {
        assertEquals("bot.yaml: checks.disk names a check that is not loaded; loaded checks: nginx502, tls (line 3)",
                resolveError("hosts: {web-01: {transport: local}}\nchecks:\n  disk: {threshold: 80}\n"));
    }

    @Test
    void parse_settingThatIsAList_isRefusedAtLoad() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("hosts: {web-01: {transport: local}}\nchecks:\n  tls:\n    warnDays: [1, 2]\n"));

        assertEquals("bot.yaml: checks.tls.warnDays must be a single value, not a list (line 4)", e.getMessage());
    }

    @Test
    void parse_checkThatIsNotAMap_isRefusedAtLoad() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("hosts: {web-01: {transport: local}}\nchecks:\n  tls: 30\n"));

        assertEquals("bot.yaml: checks.tls must be a map of key: value lines (line 3)", e.getMessage());
    }

    @Test
    void parse_badCheckName_isRefusedAtLoad() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("hosts: {web-01: {transport: local}}\nchecks:\n  Disk_Check: {threshold: 1}\n"));

        assertEquals("bot.yaml: checks.Disk_Check is not a check name; use the name `checks` lists, like nginx502 (line 3)",
                e.getMessage());
    }
}
