package dev.chatops.config;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.host.Allowlist;
import dev.chatops.core.host.Host;
import dev.chatops.core.limit.Limits;
import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.spi.CheckOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole configuration, validated. Built by {@link ConfigLoader}; handed to the core as plain
 * values.
 *
 * @param commands   slash command to check plugin name, e.g. {@code /nginx502 -> nginx502}
 * @param ssh        absent when no host is reached over SSH
 * @param window     how far back logs count as "now"
 * @param auditLog   where the audit log goes; absent for none
 * @param source     the file this was read from; absent for the built-in default
 * @param limits     how many hosts are checked at once and how many requests may wait
 * @param unreachableTtl how long a run that could not reach its host is reused (at most cacheTtl)
 * @param plugins    absolute folders whose jars are loaded as check plugins; none by default
 * @param checkSettings the {@code checks:} section, validated against the loaded checks by
 *                      {@link CheckSettings#resolve}; none by default
 * @param state      where the history is kept; by default an embedded store in {@code ./state}
 * @param management where {@code /healthz} and {@code /metrics} are served; absent (the default) for nowhere
 * @param replicas   how many bot processes serve this configuration and how they share the work
 */
public record BotConfig(SlackSettings slack, Map<String, String> commands, AccessPolicy access,
                        Optional<SshSettings> ssh, Allowlist hosts, Duration cacheTtl, Duration window,
                        List<Schedule> schedules, Optional<Path> auditLog, Optional<Path> source, Limits limits,
                        Duration unreachableTtl, List<Path> plugins, CheckSettings checkSettings,
                        StateSettings state, Optional<ManagementSettings> management, ReplicaSettings replicas) {

    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_UNREACHABLE_TTL = Duration.ofSeconds(5);

    public BotConfig {
        requireNonNull(slack, "slack is null");
        commands = Map.copyOf(requireNonNull(commands, "commands is null"));
        requireNonNull(access, "access is null");
        requireNonNull(ssh, "ssh is null");
        requireNonNull(hosts, "hosts is null");
        requireNonNull(cacheTtl, "cacheTtl is null");
        requireNonNull(window, "window is null");
        schedules = List.copyOf(requireNonNull(schedules, "schedules is null"));
        requireNonNull(auditLog, "auditLog is null");
        requireNonNull(source, "source is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(unreachableTtl, "unreachableTtl is null");
        plugins = List.copyOf(requireNonNull(plugins, "plugins is null"));
        requireNonNull(checkSettings, "checkSettings is null");
        requireNonNull(state, "state is null");
        requireNonNull(management, "management is null");
        requireNonNull(replicas, "replicas is null");
    }

    /**
     * A configuration that keeps its history in {@code ./state} of the working directory, with no
     * management port, for one replica.
     */
    public BotConfig(SlackSettings slack, Map<String, String> commands, AccessPolicy access,
                     Optional<SshSettings> ssh, Allowlist hosts, Duration cacheTtl, Duration window,
                     List<Schedule> schedules, Optional<Path> auditLog, Optional<Path> source, Limits limits,
                     Duration unreachableTtl, List<Path> plugins, CheckSettings checkSettings) {
        this(slack, commands, access, ssh, hosts, cacheTtl, window, schedules, auditLog, source, limits,
                unreachableTtl, plugins, checkSettings,
                StateSettings.embedded(Path.of(StateSettings.DEFAULT_DIR).toAbsolutePath()), Optional.empty(),
                ReplicaSettings.single());
    }

    /** The same configuration with its history kept as {@code state} says. */
    public BotConfig withState(StateSettings state) {
        return new BotConfig(slack, commands, access, ssh, hosts, cacheTtl, window, schedules, auditLog, source, limits,
                unreachableTtl, plugins, checkSettings, state, management, replicas);
    }

    /**
     * A configuration with the default {@link Limits} and unreachable-result time to live, no plugin
     * folders, no check settings and no management port.
     */
    public BotConfig(SlackSettings slack, Map<String, String> commands, AccessPolicy access,
                     Optional<SshSettings> ssh, Allowlist hosts, Duration cacheTtl, Duration window,
                     List<Schedule> schedules, Optional<Path> auditLog, Optional<Path> source) {
        this(slack, commands, access, ssh, hosts, cacheTtl, window, schedules, auditLog, source, Limits.defaults(),
                DEFAULT_UNREACHABLE_TTL, List.of(), CheckSettings.none());
    }

    /** The schedule of that name. */
    public Optional<Schedule> schedule(String name) {
        return schedules.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The configuration used when there is no file: only {@code localhost}, through local processes. */
    public static BotConfig builtInDefault() {
        return new BotConfig(SlackSettings.unconfigured(), Map.of("/nginx502", "nginx502"), AccessPolicy.open(),
                Optional.empty(), new Allowlist(List.of(Host.local("localhost"))), DEFAULT_CACHE_TTL,
                CheckOptions.DEFAULT_WINDOW, List.of(), Optional.empty(), Optional.empty());
    }

    public CheckOptions checkOptions() {
        return new CheckOptions(window);
    }
}
