package dev.chatops.adapters.app;

import static java.util.Objects.requireNonNull;

import dev.chatops.adapters.local.LocalTransport;
import dev.chatops.adapters.ssh.SshTransport;
import dev.chatops.config.BotConfig;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.host.Host;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.transport.Transport;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The bot assembled from its configuration: the loaded checks, the transports, the dispatcher.
 * Every front end (command line, Slack, schedules) goes through one of these.
 */
public final class BotApp {

    private final BotConfig config;
    private final CheckRegistry registry;
    private final Transport transport;
    private final CheckRunner runner;
    private final Dispatcher dispatcher;

    public BotApp(BotConfig config, CheckRegistry registry, Transport transport, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.runner = new CheckRunner(transport, clock);
        this.dispatcher = new Dispatcher(registry, config.hosts(), config.access(), runner, config.checkOptions());
    }

    /** The production assembly: checks from the class path and the plugins folder, real transports. */
    public static BotApp start(BotConfig config, Clock clock) {
        CheckRegistry registry = CheckRegistry.load(BotApp.class.getClassLoader(), Optional.of(config.pluginsDir()));
        return new BotApp(config, registry, transports(config), clock);
    }

    static Transport transports(BotConfig config) {
        Map<Host.TransportKind, Transport> byKind = new EnumMap<>(Host.TransportKind.class);
        byKind.put(Host.TransportKind.LOCAL, new LocalTransport(config.ssh().map(s -> s.sudo()).orElse(false)));
        config.ssh().ifPresent(ssh -> byKind.put(Host.TransportKind.SSH, new SshTransport(ssh)));
        return new RoutingTransport(byKind);
    }

    public BotConfig config() {
        return config;
    }

    public CheckRegistry registry() {
        return registry;
    }

    public Transport transport() {
        return transport;
    }

    public CheckRunner runner() {
        return runner;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }
}
