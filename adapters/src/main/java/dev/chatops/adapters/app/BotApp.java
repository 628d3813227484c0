package dev.chatops.adapters.app;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.chatops.adapters.local.LocalTransport;
import dev.chatops.adapters.manage.Health;
import dev.chatops.adapters.manage.ManagementServer;
import dev.chatops.adapters.manage.PrometheusMetrics;
import dev.chatops.adapters.ssh.SshTransport;
import dev.chatops.config.BotConfig;
import dev.chatops.config.Secret;
import dev.chatops.config.StateSettings;
import dev.chatops.core.audit.AuditLog;
import dev.chatops.core.audit.JsonLinesAuditLog;
import dev.chatops.core.cache.ResultCache;
import dev.chatops.core.dispatch.AnswerSink;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.error.BotException;
import dev.chatops.core.history.History;
import dev.chatops.core.metrics.Metrics;
import dev.chatops.core.history.HistoryWriter;
import dev.chatops.core.host.Host;
import dev.chatops.core.limit.HostRunQueue;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.sweep.Sweep;
import dev.chatops.core.sweep.SweepMemory;
import dev.chatops.core.sweep.SweepPublisher;
import dev.chatops.core.sweep.SweepScheduler;
import dev.chatops.core.transport.Transport;
import dev.chatops.store.SqlStores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The bot assembled from its configuration: the loaded checks, the transports, the cache, the
 * limits, the audit log, the history and the dispatcher. Every front end (command line, Slack,
 * schedules) goes through one of these, so they share one cache and one set of limits, and every
 * report they give is kept in the history.
 */
public final class BotApp implements AutoCloseable {

    /** How long each part of the bot may take to say whether it works before /healthz calls it down. */
    static final Duration HEALTH_DEADLINE = Duration.ofSeconds(2);
    private static final System.Logger LOG = System.getLogger(BotApp.class.getName());
    /** How often old history is removed while serving (and once at start). */
    static final Duration RETENTION_EVERY = Duration.ofDays(1);

    private final BotConfig config;
    private final CheckRegistry registry;
    private final Transport transport;
    private final Clock clock;
    private final CheckRunner runner;
    private final HostRunQueue queue;
    private final Optional<JsonLinesAuditLog> auditFile;
    private final Dispatcher dispatcher;
    private final Sweep sweep;
    private final List<SweepScheduler> schedulers = new ArrayList<>();
    private final Optional<RoutingTransport> ownTransport;
    /** Only where they are served: the metrics library costs the command line a third of a second to load. */
    private final Optional<PrometheusMetrics> metrics;
    private final List<AutoCloseable> management = new ArrayList<>();
    private final Optional<HistoryWriter> history;
    /** The history of {@link #start}, opened on first use or ahead ({@link #openHistoryAhead}). */
    private final Optional<OpenOnFirstUse> lazyHistory;
    private final Optional<ReportArchive> archive;
    private final Replication replication;
    private final Object retentionLock = new Object();
    private Optional<ScheduledExecutorService> retention = Optional.empty();

    /** A bot that keeps no history. */
    public BotApp(BotConfig config, CheckRegistry registry, Transport transport, Clock clock) {
        this(config, registry, transport, clock, Ticker.systemTicker());
    }

    /**
     * A bot that keeps no history.
     *
     * @param ticker the time source of the result cache (tests pass a fake one)
     */
    public BotApp(BotConfig config, CheckRegistry registry, Transport transport, Clock clock, Ticker ticker) {
        this(config, registry, transport, clock, ticker, Optional.empty(), Optional.empty(), Replication.alone(config));
    }

    /** A bot that keeps its reports and sweeps in {@code history}. */
    public BotApp(BotConfig config, CheckRegistry registry, Transport transport, Clock clock, Ticker ticker,
                  History history) {
        this(config, registry, transport, clock, ticker, Optional.empty(),
                Optional.of(requireNonNull(history, "history is null")), Replication.alone(config));
    }

    private BotApp(BotConfig config, CheckRegistry registry, Transport transport, Clock clock, Ticker ticker,
                   Optional<RoutingTransport> ownTransport, Optional<History> history, Replication replication) {
        this.replication = requireNonNull(replication, "replication is null");
        this.ownTransport = requireNonNull(ownTransport, "ownTransport is null");
        this.history = requireNonNull(history, "history is null").map(HistoryWriter::new);
        this.lazyHistory = history.filter(OpenOnFirstUse.class::isInstance).map(OpenOnFirstUse.class::cast);
        this.archive = this.history.map(ReportArchive::new);
        this.config = requireNonNull(config, "config is null");
        // the checks: section can only be judged once the plugins are loaded: a wrong key stops the start here
        this.registry = requireNonNull(registry, "registry is null")
                .withSettings(config.checkSettings().resolve(registry.all()));
        this.transport = requireNonNull(transport, "transport is null");
        this.clock = requireNonNull(clock, "clock is null");
        requireNonNull(ticker, "ticker is null");
        this.metrics = config.management().map(m -> new PrometheusMetrics());
        Metrics counted = metrics.<Metrics>map(m -> m).orElse(Metrics.NONE);
        this.runner = new CheckRunner(new MeteredTransport(transport, counted), clock,
                config.limits().diagnoseTimeout());
        this.queue = new HostRunQueue(config.limits());
        metrics.ifPresent(m -> m.watch(queue));
        this.auditFile = config.auditLog().map(JsonLinesAuditLog::new);
        AuditLog audit = auditFile.<AuditLog>map(f -> f).orElse(AuditLog.none());
        this.dispatcher = new Dispatcher(this.registry, config.hosts(), config.access(), runner, config.checkOptions(),
                new ResultCache(config.cacheTtl(), config.unreachableTtl(), ticker), queue, audit, clock,
                archive.<AnswerSink>map(a -> a).orElse(AnswerSink.NONE), counted, replication.sharing());
        this.sweep = new Sweep(dispatcher, clock, this.history.map(SweepMemory::new));
    }

    /** The production assembly: checks from the class path and the configured plugin folders, real transports. */
    public static BotApp start(BotConfig config, Clock clock) {
        CheckRegistry registry = CheckRegistry.load(BotApp.class.getClassLoader(), config.plugins());
        RoutingTransport transports = transports(config);
        return new BotApp(config, registry, transports, clock, Ticker.systemTicker(), Optional.of(transports),
                Optional.of(new OpenOnFirstUse(() -> open(config.state()))), Replication.of(config, clock));
    }

    /** The configured history store, opened and brought up to date. */
    static History open(StateSettings state) {
        if (state.url().isPresent()) {
            return SqlStores.postgres(state.url().get(), state.user().map(Secret::require),
                    state.password().map(Secret::require));
        }
        return SqlStores.sqlite(state.dir());
    }

    static RoutingTransport transports(BotConfig config) {
        Map<Host.TransportKind, Transport> byKind = new EnumMap<>(Host.TransportKind.class);
        byKind.put(Host.TransportKind.LOCAL, new LocalTransport(config.ssh().map(s -> s.sudo()).orElse(false)));
        config.ssh().ifPresent(ssh -> byKind.put(Host.TransportKind.SSH, new SshTransport(ssh)));
        return new RoutingTransport(byKind);
    }

    /**
     * Starts firing the configured schedules, posting each sweep through {@code publisher}; for a
     * long-running bot. Opens the audit log and looks up every schedule's check first, so a bot that
     * could not do its job does not start. The schedules stop on {@link #close()}.
     *
     * @throws BotException when the audit log cannot be opened or a schedule names an unknown check
     */
    public SweepScheduler startSchedules(SweepPublisher publisher) {
        requireNonNull(publisher, "publisher is null");
        claimSchedules().ifPresent(refusal -> {
            throw new BotException(BotException.Category.BAD_INPUT, refusal);
        });
        auditFile.ifPresent(JsonLinesAuditLog::open);
        for (Schedule s : config.schedules()) {
            try {
                dispatcher.check(s.check());
            } catch (BotException e) {
                throw BotException.badInput("schedule " + s.name() + ": " + e.getMessage());
            }
        }
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(Math.max(1, config.schedules().size()), r -> {
            Thread t = new Thread(r, "chatops-schedule");
            t.setDaemon(true);
            return t;
        });
        SweepScheduler scheduler = new SweepScheduler(config.schedules(), sweep, publisher, clock, timer,
                replication.slots());
        synchronized (schedulers) {
            schedulers.add(scheduler);
        }
        scheduler.start();
        startRetention();
        return scheduler;
    }

    /**
     * Makes this process one that may run the schedules: always with the shared store (it decides
     * which replica posts each sweep); without it, only the one process on {@code state.dir}, and
     * only when {@code replicas.count} announces no others.
     *
     * @return empty when this process may run them; else the sentence saying why not and what to do
     */
    public Optional<String> claimSchedules() {
        return replication.claimSchedules();
    }

    /**
     * Serves {@code /healthz} and {@code /metrics} on {@code management.port}, when it is set, until
     * {@link #close()}.
     *
     * @param parts what the bot depends on beyond this assembly (the Slack connection), by name
     * @throws BotException when the port cannot be bound
     */
    public Optional<ManagementServer> startManagement(Map<String, Health.Part> parts) {
        requireNonNull(parts, "parts is null");
        if (config.management().isEmpty() || metrics.isEmpty()) {
            return Optional.empty();
        }
        Health health = new Health(HEALTH_DEADLINE);
        parts.forEach(health::add);
        history.ifPresent(h -> health.add("store", () -> {
            try {
                h.history().reports("-", clock.instant(), 1);
                return Optional.empty();
            } catch (RuntimeException e) {
                return Optional.of("the history store cannot be reached: " + e.getMessage());
            }
        }));
        ManagementServer server;
        try {
            server = ManagementServer.start(config.management().get().bind(), config.management().get().port(),
                    health, metrics.get());
        } catch (RuntimeException e) {
            health.close();
            throw e;
        }
        synchronized (management) {
            management.add(server);
            management.add(health);
        }
        return Optional.of(server);
    }

    /** The bot's counters, for {@code /metrics} and the Slack client's errors; only with {@code management.port}. */
    public Optional<PrometheusMetrics> metrics() {
        return metrics;
    }

    /** Removes history older than {@code state.keep} now and then once a day, on a thread of its own. */
    private void startRetention() {
        if (history.isEmpty()) {
            return;
        }
        synchronized (retentionLock) {
            if (retention.isPresent()) {
                return;
            }
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "chatops-retention");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::enforceRetention, 0, RETENTION_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            retention = Optional.of(timer);
        }
    }

    /**
     * Removes reports, sweeps and answers older than {@code state.keep}; how many rows went, or empty
     * when there is no history or the store failed (logged).
     */
    public Optional<Integer> enforceRetention() {
        Instant before = clock.instant().minus(config.state().keep());
        Optional<Integer> removed = history.flatMap(w -> w.attempt("remove old history", () -> w.history()
                .prune(before)));
        removed.filter(n -> n > 0).ifPresent(n -> LOG.log(System.Logger.Level.INFO, "history: removed " + n
                + " rows older than " + before + " (state.keep)"));
        // the replicas' leases and shared runs matter for minutes; a day covers any slot still followed
        replication.store().ifPresent(store -> {
            try {
                store.prune(clock.instant().minus(Duration.ofDays(1)));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not remove old leases and shared runs: " + e.getMessage());
            }
        });
        return removed;
    }

    /**
     * Starts opening the history store now, on a thread of its own, when it is not open yet: a
     * command-line check that will keep its report has the store opened (the SQLite library loaded,
     * the schema checked) while the host is being checked instead of after.
     */
    public void openHistoryAhead() {
        lazyHistory.ifPresent(OpenOnFirstUse::openAhead);
    }

    /** The history the bot keeps; empty for a bot assembled without one. */
    public Optional<History> history() {
        return history.map(HistoryWriter::history);
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

    /** Runs a schedule's sweep on demand ({@code sweep <schedule>}) or from a scheduler. */
    public Sweep sweep() {
        return sweep;
    }

    /**
     * Stops the schedules, refuses new runs, closes the SSH connections kept for ssh.keepAlive (of
     * the transports it made itself), saves the reports still waiting for the history, closes the
     * audit log and stops the management port.
     */
    @Override
    public void close() {
        synchronized (schedulers) {
            schedulers.forEach(SweepScheduler::close);
            schedulers.clear();
        }
        synchronized (retentionLock) {
            retention.ifPresent(ScheduledExecutorService::shutdownNow);
            retention = Optional.empty();
        }
        queue.close();
        replication.close();
        ownTransport.ifPresent(RoutingTransport::close);
        archive.ifPresent(ReportArchive::close);
        auditFile.ifPresent(JsonLinesAuditLog::close);
        synchronized (management) {
            for (AutoCloseable m : management) {
                try {
                    m.close();
                } catch (Exception e) {
                    System.getLogger(BotApp.class.getName()).log(System.Logger.Level.WARNING,
                            "while stopping the management port: " + e);
                }
            }
            management.clear();
        }
        metrics.ifPresent(PrometheusMetrics::close);
    }
}
