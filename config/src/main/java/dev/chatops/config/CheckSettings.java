package dev.chatops.config;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.Setting;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code checks:} section as written: check name to setting name to value, each with its key
 * path and line. Which keys and types are allowed is known only once the plugins are loaded, so
 * {@link #resolve} validates the values against the loaded checks' {@link Check#settings()}.
 */
public final class CheckSettings {

    private static final Pattern CHECK_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final CheckSettings NONE = new CheckSettings(Map.of());

    /** A value as written: its text and the node to blame. */
    private record Written(String text, YamlNode node) {
    }

    private final Map<String, Map<String, Written>> checks;
    private final Map<String, YamlNode> checkNodes;

    private CheckSettings(Map<String, YamlNode> checkNodes) {
        this.checkNodes = Map.copyOf(checkNodes);
        Map<String, Map<String, Written>> out = new LinkedHashMap<>();
        checkNodes.forEach((check, node) -> {
            Map<String, Written> values = new LinkedHashMap<>();
            node.entries().forEach((key, value) -> values.put(key, new Written(value.string(), value)));
            out.put(check, values);
        });
        this.checks = out;
    }

    public static CheckSettings none() {
        return NONE;
    }

    /** Reads {@code checks:}: a map of check names, each a map of settings with single values. */
    static CheckSettings read(YamlNode node) {
        Map<String, YamlNode> entries = node.entries();
        entries.forEach((check, settings) -> {
            if (!CHECK_NAME.matcher(check).matches()) {
                throw settings.error("is not a check name; use the name `checks` lists, like nginx502");
            }
            settings.entries();
        });
        return new CheckSettings(entries);
    }

    /** Whether {@code checks:} names no check. */
    public boolean isEmpty() {
        return checks.isEmpty();
    }

    /**
     * The configured values, converted to each setting's type, for {@link CheckRegistry#withSettings}.
     *
     * @throws ConfigException naming the key path and line when a check is not loaded, a key is not a
     *                         setting the check declares, or a value is not of the declared type
     */
    public Map<String, Map<String, Object>> resolve(Collection<Check> loaded) {
        requireNonNull(loaded, "loaded is null");
        Map<String, Check> byName = new LinkedHashMap<>();
        loaded.forEach(c -> byName.put(c.name(), c));
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        checks.forEach((name, values) -> {
            Check check = Optional.ofNullable(byName.get(name)).orElseThrow(() -> checkNodes.get(name).error(
                    "names a check that is not loaded; loaded checks: "
                            + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet().stream().sorted().toList()))));
            Map<String, Setting> declared = CheckRegistry.declared(check);
            Map<String, Object> converted = new LinkedHashMap<>();
            values.forEach((key, written) -> {
                Setting setting = declared.get(key);
                if (setting == null) {
                    throw written.node().error("is not a setting of check " + name + "; "
                            + (declared.isEmpty() ? "it takes none" : "it takes: " + String.join(", ", declared.keySet())));
                }
                try {
                    converted.put(key, setting.parse(written.text()));
                } catch (IllegalArgumentException e) {
                    throw written.node().error(e.getMessage() + ", not " + written.node().shown());
                }
            });
            out.put(name, converted);
        });
        return out;
    }
}
