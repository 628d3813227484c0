package dev.chatops.core.registry;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Setting;
import dev.chatops.core.spi.Settings;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The loaded check plugins, found with {@link ServiceLoader} on the application class path and in
 * the jars of the configured plugin folders (each jar in a class loader of its own); never in a
 * folder that merely happens to be the working directory. A plugin that fails
 * to load, is built for another SPI version, or repeats a name is reported by name in
 * {@link #problems()}; the others keep working.
 */
public final class CheckRegistry {

    private static final System.Logger LOG = System.getLogger(CheckRegistry.class.getName());
    private static final Pattern CHECK_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    private final Map<String, Check> checks;
    private final Map<String, String> origins;
    private final List<Problem> problems;
    /** Each check's settings for its runs, worked out once so a run never calls a plugin's settings() again. */
    private final Map<String, Settings> settings;

    /** A plugin that could not be registered: where it came from and why, in one sentence. */
    public record Problem(String source, String message) {
        public Problem {
            requireNonNull(source, "source is null");
            requireNonNull(message, "message is null");
        }
    }

    private CheckRegistry(Map<String, Check> checks, Map<String, String> origins, List<Problem> problems,
                          Map<String, Map<String, Object>> configured) {
        this.checks = Map.copyOf(checks);
        this.origins = Map.copyOf(origins);
        this.problems = List.copyOf(problems);
        Map<String, Settings> resolved = new LinkedHashMap<>();
        checks.forEach((name, check) -> resolved.put(name,
                Settings.of(check.settings(), configured.getOrDefault(name, Map.of()))));
        this.settings = Map.copyOf(resolved);
    }

    /**
     * Loads the checks visible to {@code parent} and those in the jars of {@code pluginsDir}, which
     * may be absent (then only the class path's checks are loaded).
     */
    public static CheckRegistry load(ClassLoader parent, Optional<Path> pluginsDir) {
        return load(parent, pluginsDir.filter(Files::isDirectory).map(List::of).orElse(List.of()));
    }

    /**
     * Loads the checks visible to {@code parent} and those in the jars of the configured plugin
     * folders. A folder or jar that someone other than root or this process's user could have
     * planted or changed (see {@link PluginTrust}) is not loaded and is reported in {@link #problems()}.
     *
     * @param pluginDirs absolute paths, in the order given by {@code plugins:}
     */
    public static CheckRegistry load(ClassLoader parent, List<Path> pluginDirs) {
        Builder builder = new Builder();
        builder.scan(parent, "classpath");
        for (Path dir : pluginDirs) {
            Optional<String> distrust = PluginTrust.problemWithFolder(dir);
            if (distrust.isPresent()) {
                builder.problem(dir.toString(), distrust.get());
                continue;
            }
            for (Path jar : jarsIn(dir, builder)) {
                Optional<String> badJar = PluginTrust.problemWithJar(jar);
                if (badJar.isPresent()) {
                    builder.problem(jar.toString(), badJar.get());
                    continue;
                }
                try {
                    URLClassLoader loader = new URLClassLoader("plugin " + jar.getFileName(),
                            new URL[] {jar.toUri().toURL()}, parent);
                    builder.scanOnly(loader, jar.toString());
                } catch (MalformedURLException e) {
                    builder.problem(jar.toString(), "cannot read plugin jar: " + e.getMessage());
                }
            }
        }
        if (builder.checks.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "No check plugins (" + Check.class.getName() + ") found in the class path"
                    + (pluginDirs.isEmpty() ? "" : " or in " + pluginDirs));
        }
        return new CheckRegistry(builder.checks, builder.origins, builder.problems, Map.of());
    }

    /** A registry of the given checks, for tests and embedding. */
    public static CheckRegistry of(Check... checks) {
        Builder builder = new Builder();
        for (Check c : checks) {
            builder.register(c, "given");
        }
        return new CheckRegistry(builder.checks, builder.origins, builder.problems, Map.of());
    }

    private static List<Path> jarsIn(Path dir, Builder builder) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            builder.problem(dir.toString(), "cannot list the plugins folder: " + e.getMessage());
            return List.of();
        }
    }

    public Optional<Check> find(String name) {
        return Optional.ofNullable(checks.get(name));
    }

    /** The loaded checks, sorted by name. */
    public List<Check> all() {
        return checks.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    public List<String> names() {
        return all().stream().map(Check::name).toList();
    }

    /** Where a check was loaded from: {@code classpath} or the plugin jar's path. */
    public String origin(String name) {
        return origins.getOrDefault(name, "");
    }

    public List<Problem> problems() {
        return problems;
    }

    /**
     * This registry with configured setting values (check name to setting name to value), already
     * validated against each check's {@link Check#settings()} declarations, e.g. by the configuration.
     *
     * @throws IllegalArgumentException when a check is not loaded or a setting is not one it declares
     *                                  or its value is not of the declared type
     */
    public CheckRegistry withSettings(Map<String, Map<String, Object>> values) {
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        values.forEach((name, given) -> {
            Check check = find(name).orElseThrow(() -> new IllegalArgumentException("settings for check " + name
                    + ", which is not loaded; loaded: " + String.join(", ", names())));
            Map<String, Setting> declared = declared(check);
            given.forEach((key, value) -> {
                Setting s = declared.get(key);
                if (s == null || !s.defaultValue().getClass().isInstance(value)) {
                    throw new IllegalArgumentException("check " + name + " does not take setting " + key + " = " + value);
                }
            });
            copy.put(name, Map.copyOf(given));
        });
        return new CheckRegistry(checks, origins, problems, copy);
    }

    /** The settings a run of {@code check} uses: each it declares, at its default unless configured. */
    public Settings settings(Check check) {
        Settings own = settings.get(check.name());
        return own != null && checks.get(check.name()) == check ? own : Settings.of(check.settings(), Map.of());
    }

    /** {@code base} (window) with {@code check}'s own settings. */
    public CheckOptions options(Check check, CheckOptions base) {
        return base.withSettings(settings(check));
    }

    /** A check's declared settings by name. */
    public static Map<String, Setting> declared(Check check) {
        Map<String, Setting> out = new LinkedHashMap<>();
        for (Setting s : check.settings()) {
            out.put(s.name(), s);
        }
        return out;
    }

    private static final class Builder {
        private final Map<String, Check> checks = new LinkedHashMap<>();
        private final Map<String, String> origins = new LinkedHashMap<>();
        private final List<Problem> problems = new ArrayList<>();

        void scan(ClassLoader loader, String source) {
            scan(ServiceLoader.load(Check.class, loader), source, null);
        }

        /** Scans only the providers that the plugin's own loader defines, not those of its parent. */
        void scanOnly(URLClassLoader loader, String source) {
            scan(ServiceLoader.load(Check.class, loader), source, loader);
        }

        private void scan(ServiceLoader<Check> services, String source, ClassLoader own) {
            Iterator<ServiceLoader.Provider<Check>> it = services.stream().iterator();
            int found = 0;
            int failed = 0;
            while (true) {
                ServiceLoader.Provider<Check> provider;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    provider = it.next();
                } catch (ServiceConfigurationError e) {
                    problem(source, "a check plugin failed to load: " + rootMessage(e));
                    failed++;
                    continue;
                }
                if (own != null && provider.type().getClassLoader() != own) {
                    continue;
                }
                found++;
                String type = provider.type().getName();
                try {
                    register(provider.get(), source);
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    problem(source, "check plugin " + type + " failed to load: " + rootMessage(e));
                }
            }
            if (own != null && found == 0 && failed == 0) {
                problem(source, "no check plugin in this jar: it needs a META-INF/services/"
                        + Check.class.getName() + " line naming its class");
            }
        }

        void register(Check check, String source) {
            String type = check.getClass().getName();
            String name;
            int version;
            List<Setting> settings;
            try {
                name = check.name();
                version = check.spiVersion();
                settings = check.settings();
            } catch (RuntimeException | LinkageError e) {
                problem(source, "check plugin " + type + " failed to describe itself: " + rootMessage(e));
                return;
            }
            if (name == null || !CHECK_NAME.matcher(name).matches()) {
                problem(source, "check plugin " + type + " has an invalid name '" + name
                        + "': use lower-case letters, digits and '-'");
                return;
            }
            if (version != Check.SPI_VERSION) {
                problem(source, "check " + name + " (" + type + ") is built for check SPI version " + version
                        + ", this bot provides version " + Check.SPI_VERSION + "; rebuild it against this version");
                return;
            }
            if (!distinctSettings(settings)) {
                problem(source, "check " + name + " (" + type + ") declares its settings more than once or as null; "
                        + "give each setting one distinct name");
                return;
            }
            Check existing = checks.get(name);
            if (existing != null) {
                problem(source, "check " + name + " (" + type + ") duplicates the check of that name from "
                        + origins.get(name) + " (" + existing.getClass().getName() + "); keeping the first");
                return;
            }
            checks.put(name, check);
            origins.put(name, source);
            LOG.log(System.Logger.Level.INFO, "Registering check " + name + " from " + source);
        }

        private static boolean distinctSettings(List<Setting> settings) {
            if (settings == null) {
                return false;
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            for (Setting s : settings) {
                if (s == null || !names.add(s.name())) {
                    return false;
                }
            }
            return true;
        }

        void problem(String source, String message) {
            LOG.log(System.Logger.Level.WARNING, message + " [" + source + "]");
            problems.add(new Problem(source, message));
        }

        private static String rootMessage(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            String msg = t.getMessage();
            return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
        }
    }
}
