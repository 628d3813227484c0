package dev.chatops.config;

import static dev.chatops.config.YamlNode.optional;
import static dev.chatops.config.YamlNode.required;
import static java.util.Objects.requireNonNull;

import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.host.Allowlist;
import dev.chatops.core.host.Host;
import dev.chatops.core.limit.Limits;
import dev.chatops.core.schedule.CronExpression;
import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.spi.CheckOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the YAML configuration (contracts.md) into a validated {@link BotConfig}. The YAML is only
 * composed into a node tree, never constructed into objects, so no tag can instantiate anything.
 * Unknown keys, wrong types, missing values and unparsable durations are errors naming the key path
 * and the line.
 */
public final class ConfigLoader {

    private static final Set<String> ROOT_KEYS = Set.of("slack", "commands", "access", "ssh", "hosts", "cache",
            "schedules", "window", "audit", "limits", "plugins", "checks", "state", "management",
            "replicas");
    private static final Set<String> SLACK_KEYS = Set.of("mode", "botToken", "appToken", "signingSecret", "port",
            "apiUrl", "bind");
    private static final Set<String> ACCESS_KEYS = Set.of("channels", "users");
    private static final Set<String> SSH_KEYS = Set.of("user", "identityFile", "identityPassphrase", "knownHosts",
            "connectTimeout", "commandTimeout", "runTimeout", "sudo", "jumpHost", "keepAlive");
    private static final Set<String> HOST_KEYS = Set.of("address", "port", "tags", "transport");
    private static final Set<String> CACHE_KEYS = Set.of("ttl", "unreachableTtl");
    private static final Set<String> LIMITS_KEYS = Set.of("concurrentHosts", "queue", "diagnoseTimeout", "siblings");
    private static final Set<String> AUDIT_KEYS = Set.of("file");
    private static final Set<String> MANAGEMENT_KEYS = Set.of("port", "bind");
    private static final Set<String> REPLICA_KEYS = Set.of("count", "lease");
    private static final Set<String> STATE_KEYS = Set.of("dir", "url", "user", "password", "keep");
    /** {@code jdbc:postgresql://host[:port][,host2…]/database[?parameters]}. */
    private static final Pattern POSTGRES_URL = Pattern.compile(
            "jdbc:postgresql://[A-Za-z0-9._\\[\\]:,-]{1,500}/[A-Za-z0-9_.-]{1,63}(\\?[A-Za-z0-9_.=&%-]{0,500})?");
    private static final Set<String> SCHEDULE_KEYS = Set.of("name", "cron", "zone", "channel", "check", "hosts", "tags");

    /** The largest config file read; a real one is a few kilobytes even with a hundred hosts. */
    public static final int MAX_BYTES = 1024 * 1024;

    private final Map<String, String> env;
    private final Path home;

    /**
     * @param env  where {@code ${VAR}} values come from (the process environment in production)
     * @param home what {@code ~} stands for in paths
     */
    public ConfigLoader(Map<String, String> env, Path home) {
        this.env = Map.copyOf(requireNonNull(env, "env is null"));
        this.home = requireNonNull(home, "home is null");
    }

    public static ConfigLoader fromEnvironment() {
        return new ConfigLoader(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    public BotConfig load(Path file) {
        String text;
        try {
            text = readCapped(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist; pass --config FILE or copy "
                    + "config/bot.example.yaml to ./bot.yaml");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(new StringReader(text), file.toString(), Optional.of(file));
    }

    /** Refuses a file over {@link #MAX_BYTES} before reading it (and a pipe or device as soon as it passes that). */
    private static String readCapped(Path file) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
            throw tooBig(file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw tooBig(file);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static ConfigException tooBig(Path file) {
        return new ConfigException("config file " + file + " is larger than 1 MiB, far more than any bot.yaml; pass "
                + "--config with the bot's configuration file");
    }

    BotConfig parse(Reader reader, String name, Optional<Path> source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(1024 * 1024);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options)).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(name + ": is not valid YAML: " + e.getProblem() + " (line " + line + ")");
        } catch (YAMLException e) {
            throw new ConfigException(name + ": is not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new ConfigException(name + ": is empty; see config/bot.example.yaml for what goes in it");
        }
        Path base = source.map(Path::toAbsolutePath).map(Path::getParent).orElse(Path.of("").toAbsolutePath());
        return new Reading(base).config(new YamlNode(root, "", name, env), source);
    }

    private final class Reading {
        private final Path base;

        Reading(Path base) {
            this.base = base;
        }

        BotConfig config(YamlNode root, Optional<Path> source) {
            Map<String, YamlNode> top = root.map(ROOT_KEYS);
            SlackSettings slack = optional(top, "slack").map(this::slack).orElse(SlackSettings.unconfigured());
            Map<String, String> commands = optional(top, "commands").map(this::commands)
                    .orElse(Map.of("/nginx502", "nginx502"));
            AccessPolicy access = optional(top, "access").map(this::access).orElse(AccessPolicy.open());
            Optional<SshSettings> ssh = optional(top, "ssh").map(this::ssh);
            YamlNode hostsNode = required(top, "hosts", root);
            Allowlist hosts = hosts(hostsNode);
            for (Host h : hosts.all()) {
                if (h.transport() == Host.TransportKind.SSH && ssh.isEmpty()) {
                    throw hostsNode.entries().get(h.name()).error("is reached over SSH, but there is no ssh: section "
                            + "(user, identityFile, knownHosts); add one, or set transport: local");
                }
            }
            Map<String, YamlNode> cache = optional(top, "cache").map(n -> n.map(CACHE_KEYS)).orElse(Map.of());
            Duration ttl = optional(cache, "ttl").map(this::duration).orElse(BotConfig.DEFAULT_CACHE_TTL);
            Duration unreachableTtl = optional(cache, "unreachableTtl").map(this::duration)
                    .orElse(BotConfig.DEFAULT_UNREACHABLE_TTL);
            if (unreachableTtl.compareTo(ttl) > 0) {
                unreachableTtl = ttl;
            }
            Limits limits = optional(top, "limits").map(this::limits).orElse(Limits.defaults());
            Duration window = optional(top, "window").map(this::duration).orElse(CheckOptions.DEFAULT_WINDOW);
            List<Schedule> schedules = optional(top, "schedules").map(n -> schedules(n, hosts, commands))
                    .orElse(List.of());
            Optional<Path> audit = optional(top, "audit")
                    .flatMap(n -> optional(n.map(AUDIT_KEYS), "file")).map(this::path);
            List<Path> plugins = optional(top, "plugins").map(this::plugins).orElse(List.of());
            CheckSettings checkSettings = optional(top, "checks").map(CheckSettings::read).orElse(CheckSettings.none());
            StateSettings state = optional(top, "state").map(this::state)
                    .orElse(StateSettings.embedded(base.resolve(StateSettings.DEFAULT_DIR)));
            Optional<ManagementSettings> management = optional(top, "management").map(this::management);
            if (management.isPresent() && slack.mode() == SlackSettings.Mode.HTTP
                    && management.get().port() == slack.port()) {
                throw top.get("management").error("port " + slack.port() + " is already slack.port, where Slack's "
                        + "requests arrive; give the management port its own number, e.g. 9102");
            }
            ReplicaSettings replicas = optional(top, "replicas").map(this::replicas).orElse(ReplicaSettings.single());
            return new BotConfig(slack, commands, access, ssh, hosts, ttl, window, schedules, audit, source, limits,
                    unreachableTtl, plugins, checkSettings, state, management, replicas);
        }

        /**
         * The history store: a folder for the embedded one, or a PostgreSQL URL whose credentials come
         * from the environment only, so that they never sit in a file that is copied and shared.
         */
        StateSettings state(YamlNode node) {
            Map<String, YamlNode> m = node.map(STATE_KEYS);
            if (m.containsKey("dir") && m.containsKey("url")) {
                throw m.get("url").error("cannot be given with state.dir: the history is kept either in a local "
                        + "folder (dir, SQLite) or on a shared PostgreSQL server (url); remove one of them");
            }
            Optional<String> url = optional(m, "url").map(n -> {
                String u = n.string();
                if (u.contains("@") || u.toLowerCase(Locale.ROOT).matches(".*[?&](user|password)=.*")) {
                    throw n.error("must not hold credentials; give them from the environment as state.user: "
                            + "${PGUSER} and state.password: ${PGPASSWORD}");
                }
                if (!POSTGRES_URL.matcher(u).matches()) {
                    throw n.error("must be a PostgreSQL JDBC URL like jdbc:postgresql://db.example.com:5432/chatops, "
                            + "not " + n.shown());
                }
                return u;
            });
            Optional<Secret> user = optional(m, "user").map(n -> fromEnvironment(n, "PGUSER"));
            Optional<Secret> password = optional(m, "password").map(n -> fromEnvironment(n, "PGPASSWORD"));
            if (url.isEmpty() && (user.isPresent() || password.isPresent())) {
                throw m.get(user.isPresent() ? "user" : "password").error("only applies to a shared store; set "
                        + "state.url: jdbc:postgresql://host:5432/database too, or remove it");
            }
            Path dir = optional(m, "dir").map(this::path).orElse(base.resolve(StateSettings.DEFAULT_DIR));
            Duration keep = optional(m, "keep").map(this::duration).orElse(StateSettings.DEFAULT_KEEP);
            if (keep.compareTo(Duration.ofHours(1)) < 0) {
                throw m.get("keep").error("must be at least 1h: history that short cannot tell what changed since "
                        + "the last sweep");
            }
            return new StateSettings(dir, url, user, password, keep);
        }

        private Secret fromEnvironment(YamlNode n, String example) {
            if (!n.fromEnv()) {
                throw n.error("must come from the environment, e.g. ${" + example + "}, not be written in the file");
            }
            return n.secret();
        }

        /** Plugin folders must be absolute: a relative one would follow whatever folder the bot was started in. */
        List<Path> plugins(YamlNode node) {
            List<Path> out = new ArrayList<>();
            for (YamlNode item : node.list()) {
                String s = item.string();
                Path p = s.equals("~") ? home : s.startsWith("~/") ? home.resolve(s.substring(2)) : Path.of(s);
                if (!p.isAbsolute()) {
                    throw item.error("must be an absolute path such as /opt/chatops/plugins, not " + item.shown());
                }
                out.add(p.normalize());
            }
            return out;
        }

        ReplicaSettings replicas(YamlNode node) {
            Map<String, YamlNode> m = node.map(REPLICA_KEYS);
            int count = optional(m, "count").map(n -> n.integer(1, 64)).orElse(1);
            Duration lease = ReplicaSettings.DEFAULT_LEASE;
            if (m.containsKey("lease")) {
                lease = duration(m.get("lease"));
                if (lease.toMillis() < 1000 || lease.compareTo(Duration.ofMinutes(10)) > 0) {
                    throw m.get("lease").error("must be between 1s and 10m: it is how long the other replicas wait "
                            + "for one that died");
                }
            }
            return new ReplicaSettings(count, lease);
        }

        /** Without a port there is nothing to serve: a section that names none is a mistake, not "off". */
        ManagementSettings management(YamlNode node) {
            Map<String, YamlNode> m = node.map(MANAGEMENT_KEYS);
            int port = required(m, "port", node).integer(1, 65535);
            String bind = optional(m, "bind").map(n -> n.convert(ConfigLoader::bindAddress,
                    "an IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0")).orElse(ManagementSettings.DEFAULT_BIND);
            return new ManagementSettings(port, bind);
        }

        Limits limits(YamlNode node) {
            Map<String, YamlNode> m = node.map(LIMITS_KEYS);
            int hosts = optional(m, "concurrentHosts").map(n -> n.integer(1, 1024))
                    .orElse(Limits.DEFAULT_CONCURRENT_HOSTS);
            int queue = optional(m, "queue").map(n -> n.integer(0, 100_000)).orElse(Limits.DEFAULT_QUEUE);
            Duration diagnoseTimeout = optional(m, "diagnoseTimeout").map(this::duration)
                    .orElse(Limits.DEFAULT_DIAGNOSE_TIMEOUT);
            int siblings = optional(m, "siblings").map(n -> n.integer(1, 100)).orElse(Limits.DEFAULT_SIBLINGS);
            return new Limits(hosts, queue, diagnoseTimeout, siblings);
        }

        SlackSettings slack(YamlNode node) {
            Map<String, YamlNode> m = node.map(SLACK_KEYS);
            SlackSettings.Mode mode = optional(m, "mode").map(n -> n.choice(SlackSettings.Mode.class))
                    .orElse(SlackSettings.Mode.SOCKET);
            Secret bot = optional(m, "botToken").map(YamlNode::secret).orElse(Secret.none(node.path() + ".botToken"));
            Secret app = optional(m, "appToken").map(YamlNode::secret).orElse(Secret.none(node.path() + ".appToken"));
            Secret signing = optional(m, "signingSecret").map(YamlNode::secret)
                    .orElse(Secret.none(node.path() + ".signingSecret"));
            int port = optional(m, "port").map(n -> n.integer(1, 65535)).orElse(3000);
            String apiUrl = optional(m, "apiUrl").map(n -> n.convert(ConfigLoader::apiUrl, "an http(s):// URL ending in /api/"))
                    .orElse(SlackSettings.DEFAULT_API_URL);
            String bind = optional(m, "bind").map(n -> n.convert(ConfigLoader::bindAddress,
                    "an IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0")).orElse(SlackSettings.DEFAULT_BIND);
            return new SlackSettings(mode, bot, app, signing, port, apiUrl, bind);
        }

        Map<String, String> commands(YamlNode node) {
            Map<String, String> out = new LinkedHashMap<>();
            node.entries().forEach((command, check) -> {
                if (!command.matches("/[a-z0-9_-]{1,31}")) {
                    throw check.error("is not a slash command; write it like /nginx502");
                }
                String name = check.string();
                if (!name.matches("[a-z0-9][a-z0-9-]{0,39}")) {
                    throw check.error("must name a check plugin (lower-case letters, digits, '-'), not " + check.shown());
                }
                out.put(command, name);
            });
            if (out.isEmpty()) {
                throw node.error("must map at least one slash command to a check, e.g. /nginx502: nginx502");
            }
            return out;
        }

        AccessPolicy access(YamlNode node) {
            Map<String, YamlNode> m = node.map(ACCESS_KEYS);
            return new AccessPolicy(
                    new HashSet<>(optional(m, "channels").map(YamlNode::strings).orElse(List.of())),
                    new HashSet<>(optional(m, "users").map(YamlNode::strings).orElse(List.of())));
        }

        SshSettings ssh(YamlNode node) {
            Map<String, YamlNode> m = node.map(SSH_KEYS);
            String user = required(m, "user", node).string();
            if (!user.matches("[a-z_][a-z0-9_.-]{0,31}")) {
                throw m.get("user").error("must be a user name (lower-case letters, digits, '_', '-', '.'), not "
                        + m.get("user").shown());
            }
            Path identity = path(required(m, "identityFile", node));
            Optional<Secret> passphrase = optional(m, "identityPassphrase").map(YamlNode::secret);
            Path knownHosts = optional(m, "knownHosts").map(this::path).orElse(home.resolve(".ssh/known_hosts"));
            Duration connect = optional(m, "connectTimeout").map(this::duration).orElse(Duration.ofSeconds(5));
            Duration command = optional(m, "commandTimeout").map(this::duration).orElse(Duration.ofSeconds(20));
            Duration run = optional(m, "runTimeout").map(this::duration).orElse(Duration.ofSeconds(60));
            boolean sudo = optional(m, "sudo").map(YamlNode::bool).orElse(false);
            Optional<String> jump = optional(m, "jumpHost").map(n -> n.convert(ConfigLoader::jumpHost,
                    "a jump host like bastion.example.com, user@bastion or bastion:2222"));
            Duration keepAlive = optional(m, "keepAlive").map(this::keepAlive).orElse(Duration.ZERO);
            return new SshSettings(user, identity, passphrase, knownHosts, connect, command, run, sudo, jump,
                    keepAlive);
        }

        Allowlist hosts(YamlNode node) {
            List<Host> hosts = new ArrayList<>();
            node.entries().forEach((name, h) -> {
                if (!Host.isValidName(name)) {
                    throw h.error("is not a usable host name; use letters, digits, '.', '_' and '-'");
                }
                Map<String, YamlNode> m = h.map(HOST_KEYS);
                Host.TransportKind transport = optional(m, "transport").map(n -> n.choice(Host.TransportKind.class))
                        .orElse(Host.TransportKind.SSH);
                String address = optional(m, "address").map(n -> n.convert(ConfigLoader::address,
                        "a host name or IP address")).orElse(name);
                int port = optional(m, "port").map(n -> n.integer(1, 65535)).orElse(22);
                Set<String> tags = new LinkedHashSet<>(optional(m, "tags").map(YamlNode::strings).orElse(List.of()));
                hosts.add(new Host(name, address, port, tags, transport));
            });
            if (hosts.isEmpty()) {
                throw node.error("lists no host; the bot contacts only the hosts listed here");
            }
            return new Allowlist(hosts);
        }

        List<Schedule> schedules(YamlNode node, Allowlist hosts, Map<String, String> commands) {
            List<Schedule> out = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (YamlNode item : node.list()) {
                Map<String, YamlNode> m = item.map(SCHEDULE_KEYS);
                String name = required(m, "name", item).string();
                if (!names.add(name)) {
                    throw m.get("name").error("repeats the schedule name " + m.get("name").shown());
                }
                YamlNode cronNode = required(m, "cron", item);
                String cron = cronNode.string();
                try {
                    CronExpression.parse(cron);
                } catch (IllegalArgumentException e) {
                    throw cronNode.error(cronNode.fromEnv() ? "is not a cron expression: " + cronNode.shown()
                            + " must be five fields, e.g. 0 8 * * 1-5" : e.getMessage());
                }
                ZoneId zone = optional(m, "zone").map(n -> n.convert(ZoneId::of, "a time zone like Europe/Berlin"))
                        .orElse(ZoneId.of("UTC"));
                String channel = required(m, "channel", item).string();
                String check = optional(m, "check").map(YamlNode::string).orElse("nginx502");
                List<String> hostNames = optional(m, "hosts").map(YamlNode::strings).orElse(List.of());
                List<String> tags = optional(m, "tags").map(YamlNode::strings).orElse(List.of());
                for (int i = 0; i < hostNames.size(); i++) {
                    if (hosts.find(hostNames.get(i)).isEmpty()) {
                        YamlNode named = m.get("hosts").list().get(i);
                        throw named.error("names " + named.shown() + ", which is not under hosts:; listed there: "
                                + String.join(", ", hosts.names()));
                    }
                }
                if (hostNames.isEmpty() && tags.isEmpty()) {
                    throw item.error("needs hosts: [...] or tags: [...]");
                }
                for (int i = 0; i < tags.size(); i++) {
                    if (hosts.tagged(tags.get(i)).isEmpty()) {
                        YamlNode tag = m.get("tags").list().get(i);
                        throw tag.error("names the tag " + tag.shown() + ", which no host "
                                + "under hosts: carries; add it to a host's tags: or remove it here");
                    }
                }
                out.add(new Schedule(name, cron.trim(), zone, channel, check, hostNames, tags));
            }
            return out;
        }

        Duration duration(YamlNode node) {
            Duration d = node.convert(Durations::parse, "a duration; write a number with ms, s, m, h or d, e.g. 5s");
            if (d.isNegative() || d.isZero()) {
                throw node.error("must be longer than zero");
            }
            return d;
        }

        /** Zero (or {@code 0s}) is off; more than an hour would leave idle logged-in sessions on hosts. */
        Duration keepAlive(YamlNode node) {
            Duration d = node.convert(Durations::parse, "a duration; write a number with ms, s, m, h or d, e.g. 60s");
            if (d.isNegative()) {
                throw node.error("must be zero (off) or longer");
            }
            if (d.compareTo(SshSettings.MAX_KEEP_ALIVE) > 0) {
                throw node.error("must be at most 1h: a kept connection is an authenticated session idling on "
                        + "the host; use 0 to close each connection after its run");
            }
            return d;
        }

        Path path(YamlNode node) {
            String s = node.string();
            Path p = s.equals("~") ? home : s.startsWith("~/") ? home.resolve(s.substring(2)) : Path.of(s);
            return p.isAbsolute() ? p : base.resolve(p).normalize();
        }
    }

    private static String apiUrl(String s) {
        if (!s.matches("https?://[^\\s]+/")) {
            throw new IllegalArgumentException(s);
        }
        return s;
    }

    private static String address(String s) {
        if (!s.matches("[A-Za-z0-9._:-]{1,253}|\\[[0-9A-Fa-f:.]+]")) {
            throw new IllegalArgumentException(s);
        }
        return s;
    }

    private static String bindAddress(String s) {
        if (!s.matches("[0-9.]{7,15}|[0-9A-Fa-f:.]{2,45}|localhost")) {
            throw new IllegalArgumentException(s);
        }
        return s;
    }

    private static String jumpHost(String s) {
        if (!s.matches("([a-z_][a-z0-9_.-]{0,31}@)?[A-Za-z0-9._-]{1,253}(:\\d{1,5})?")) {
            throw new IllegalArgumentException(s);
        }
        return s;
    }
}
