package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.socket_mode.SocketModeClient;
import dev.chatops.config.BotConfig;
import dev.chatops.config.SlackSettings;
import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.error.BotException;
import dev.chatops.core.history.History;
import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.sweep.SweepPublisher;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bot in Slack: a Bolt app answering the configured slash commands, the buttons under its
 * reports ({@link ReportActions}) and its App Home tab ({@link AppHome}), connected in Socket Mode
 * (the default: an outgoing WebSocket, no public URL) or in HTTP mode (Slack posts signed
 * requests to {@code /slack/events}). Starting checks the tokens with Slack, so a wrong token
 * fails at once with a sentence saying which one.
 *
 * <p>Tokens come from the configuration (which reads them from the environment); they are handed
 * to Bolt and the Slack client and never logged: the client's request logging is replaced by one
 * that names only the method.
 */
public final class SlackBot implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SlackBot.class.getName());

    /** How many signed requests HTTP mode remembers to drop their copies (each for 5 minutes at most). */
    static final int REPLAY_MEMORY = 10_000;

    /** How many refused HTTP requests a minute get a log line; the rest are counted. */
    static final int REFUSALS_LOGGED_PER_MINUTE = 20;

    /** Where HTTP mode takes Slack's requests; the app's Request URL ends in it. */
    public static final String EVENTS_PATH = HttpEndpoint.PATH;

    /**
     * How the bot runs, beside its configuration. How many checks run at once and how many may
     * wait is the dispatcher's business ({@code limits:}), not the bot's.
     *
     * @param postingThreads threads that make the bot's Slack calls (posts, updates, replies)
     * @param drain          how long stopping waits for conversations under way to post their reports
     * @param requestClock   HTTP mode: what request timestamps are checked against, and what expires
     *                       the memory of requests already taken; wall-clock time, as Slack signs with it
     */
    public record Tuning(int postingThreads, RetryPolicy retry, Pause pause, Duration drain, Clock requestClock) {
        public Tuning {
            requireNonNull(retry, "retry is null");
            requireNonNull(pause, "pause is null");
            requireNonNull(drain, "drain is null");
            requireNonNull(requestClock, "requestClock is null");
            if (postingThreads < 1) {
                throw new IllegalArgumentException("postingThreads must be at least 1");
            }
        }

        public static Tuning defaults() {
            return new Tuning(4, RetryPolicy.defaults(), Pause.sleeping(), Duration.ofSeconds(30), Clock.systemUTC());
        }
    }

    private final Slack slack;
    private final Deliveries deliveries;
    private final Duration drain;
    private final Optional<HttpEndpoint> http;
    private final Optional<SocketModeApp> socket;
    private final Optional<SocketState> socketState;
    private final SlackSettings.Mode mode;
    private final SweepPublisher sweepPublisher;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();

    private SlackBot(Slack slack, Deliveries deliveries, Duration drain, Optional<HttpEndpoint> http,
                     Optional<SocketModeApp> socket, SlackSettings.Mode mode, SweepPublisher sweepPublisher) {
        this.slack = slack;
        this.deliveries = deliveries;
        this.drain = drain;
        this.http = http;
        this.socket = socket;
        this.socketState = socket.map(SocketModeApp::getClient).map(SocketState::watch);
        this.mode = mode;
        this.sweepPublisher = sweepPublisher;
    }

    /** How many reports' evidence the "Evidence file" button can still upload, and how many bytes of it, compressed. */
    static final int EVIDENCE_REPORTS = 50;
    static final long EVIDENCE_BYTES = 32L * 1024 * 1024;

    /** The kinds of request HTTP mode hands the app beside slash commands: report buttons, App Home, URL checks. */
    static final Set<String> REQUEST_KINDS = Set.of("block_actions", "event:app_home_opened",
            SignedBody.URL_VERIFICATION);

    /** The production bot for this configuration, without a history store: checks run through the dispatcher. */
    public static SlackBot start(BotConfig config, Dispatcher dispatcher, Clock clock) {
        return start(config, dispatcher, clock, Optional.empty());
    }

    /**
     * The production bot for this configuration.
     *
     * @param history where reports and answers to "was this the cause?" are kept, what {@code /<command>
     *                history <host>} reads, and where App Home finds the last reports; without one,
     *                answers reach the audit log only
     */
    public static SlackBot start(BotConfig config, Dispatcher dispatcher, Clock clock, Optional<History> history) {
        return start(config, dispatcher, clock, history, SlackApiErrors.NONE);
    }

    /** As above, telling {@code errors} of each Slack call that failed for good. */
    public static SlackBot start(BotConfig config, Dispatcher dispatcher, Clock clock, Optional<History> history,
                                 SlackApiErrors errors) {
        return start(config.slack(), config.commands(), config.access(), dispatcher, clock, Tuning.defaults(), history,
                config.schedules(), errors);
    }

    /** Starts the bot and returns once it listens; it keeps no history, and Slack's errors are only logged. */
    public static SlackBot start(SlackSettings settings, Map<String, String> commands, AccessPolicy access,
                                 Dispatcher dispatcher, Clock clock, Tuning tuning) {
        return start(settings, commands, access, dispatcher, clock, tuning, Optional.empty());
    }

    /** As above, with {@code history <host>} reading {@code history}, and no schedules. */
    public static SlackBot start(SlackSettings settings, Map<String, String> commands, AccessPolicy access,
                                 Dispatcher dispatcher, Clock clock, Tuning tuning, Optional<History> history) {
        return start(settings, commands, access, dispatcher, clock, tuning, history, List.of());
    }

    /** As above, with App Home listing the next posts of {@code schedules}. */
    public static SlackBot start(SlackSettings settings, Map<String, String> commands, AccessPolicy access,
                                 Dispatcher dispatcher, Clock clock, Tuning tuning, Optional<History> history,
                                 List<Schedule> schedules) {
        return start(settings, commands, access, dispatcher, clock, tuning, history, schedules, SlackApiErrors.NONE);
    }

    /**
     * Starts the bot and returns once it listens.
     *
     * @param history   what {@code history <host>} reads; empty when the bot keeps none
     * @param schedules whose next posts App Home lists
     * @param errors    hears of each Slack call that failed for good
     * @throws BotException naming the missing or refused token, or saying why Slack cannot be reached
     */
    public static SlackBot start(SlackSettings settings, Map<String, String> commands, AccessPolicy access,
                                 Dispatcher dispatcher, Clock clock, Tuning tuning, Optional<History> history,
                                 List<Schedule> schedules, SlackApiErrors errors) {
        requireNonNull(errors, "errors is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(history, "history is null");
        requireNonNull(schedules, "schedules is null");
        requireNonNull(commands, "commands is null");
        requireNonNull(access, "access is null");
        requireNonNull(dispatcher, "dispatcher is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(tuning, "tuning is null");
        String botToken = settings.botToken().require();
        Optional<String> appToken = settings.mode() == SlackSettings.Mode.SOCKET
                ? Optional.of(settings.appToken().require()) : Optional.empty();
        Optional<String> signingSecret = settings.mode() == SlackSettings.Mode.HTTP
                ? Optional.of(settings.signingSecret().require()) : Optional.empty();

        Slack slack = Slack.getInstance(slackConfig(settings.apiUrl()));
        Deliveries deliveries = null;
        try {
            SlackWebApi api = new SlackWebApi(slack, botToken, tuning.retry(), tuning.pause(), errors);
            String botUserId = whoAmI(api, slack, botToken, settings.apiUrl());
            if (appToken.isPresent()) {
                checkAppToken(new SlackWebApi(slack, appToken.get(), tuning.retry(), tuning.pause()), slack,
                        appToken.get());
            }
            deliveries = new Deliveries(tuning.postingThreads());
            Deliveries posting = deliveries;
            ReportMessages messages = new ReportMessages(clock);
            SweepPublisher sweeps = new SlackSweepPublisher(api, messages, commands);
            App app = new App(AppConfig.builder()
                    .slack(slack)
                    .singleTeamBotToken(botToken)
                    // socket mode needs none; a random one keeps HTTP verification from ever passing without it
                    .signingSecret(signingSecret.orElse(UUID.randomUUID().toString()))
                    .verificationToken(null)
                    .clientId(null)
                    .clientSecret(null)
                    .redirectUri(null)
                    .scope(null)
                    .userScope(null)
                    // the first request asks auth.test once; later acks never wait on the Web API for it
                    .authTestCacheExpirationMillis(-1)
                    .build());
            ExplainShortcut explain = new ExplainShortcut(commands, dispatcher, access, api, posting);
            explain.register(app);
            ReportActions actions = new ReportActions(dispatcher, access, api, messages, botUserId, posting, commands,
                    history, new KeptEvidence(EVIDENCE_REPORTS, EVIDENCE_BYTES), dispatcher.limits().siblings(), clock);
            actions.register(app);
            new AppHome(dispatcher.allowlist(), access, api, posting, history, schedules, commands, clock).register(app);
            new SlashCommands(commands, dispatcher, access, c -> actions.conversation(c, Optional.empty()),
                    Optional.of(explain), history,
                    clock).register(app);
            if (settings.mode() == SlackSettings.Mode.HTTP) {
                EventsServlet events = new EventsServlet(app, new SlackSignature(signingSecret.get(),
                        tuning.requestClock()), new ReplayGuard(tuning.requestClock(), REPLAY_MEMORY),
                        new RefusalLog(System.getLogger(EventsServlet.class.getName()), tuning.requestClock(), REFUSALS_LOGGED_PER_MINUTE),
                        commands.keySet(), REQUEST_KINDS, explain.callbackIds());
                HttpEndpoint endpoint = HttpEndpoint.start(events, settings.bind(), settings.port());
                LOG.log(System.Logger.Level.INFO, "Slack bot listening in HTTP mode on " + settings.bind() + ":"
                        + endpoint.port() + HttpEndpoint.PATH + " for " + String.join(", ", commands.keySet()));
                return new SlackBot(slack, deliveries, tuning.drain(), Optional.of(endpoint), Optional.empty(),
                        settings.mode(), sweeps);
            }
            SocketModeApp socketApp = new SocketModeApp(appToken.get(), app);
            socketApp.startAsync();
            LOG.log(System.Logger.Level.INFO, "Slack bot connected in Socket Mode for "
                    + String.join(", ", commands.keySet()));
            return new SlackBot(slack, deliveries, tuning.drain(), Optional.empty(), Optional.of(socketApp),
                    settings.mode(), sweeps);
        } catch (BotException e) {
            shutdown(slack, deliveries);
            throw e;
        } catch (Exception e) {
            shutdown(slack, deliveries);
            throw new BotException(BotException.Category.EXTERNAL, "the Slack bot could not start: " + e.getMessage()
                    + (settings.mode() == SlackSettings.Mode.HTTP ? "; is port " + settings.port() + " free?" : ""), e);
        }
    }

    /** The port HTTP mode listens on; empty in Socket Mode. */
    public Optional<Integer> httpPort() {
        return http.map(HttpEndpoint::port);
    }

    /** The address HTTP mode listens on; empty in Socket Mode. */
    public Optional<InetSocketAddress> httpAddress() {
        return http.map(HttpEndpoint::address);
    }

    public SlackSettings.Mode mode() {
        return mode;
    }

    /**
     * Empty while the bot can take commands: in Socket Mode its WebSocket to Slack is open (the
     * client pings it to be sure), in HTTP mode its server is running. Else one sentence why not.
     */
    public Optional<String> connectionProblem() {
        if (closing.get()) {
            return Optional.of("the Slack bot is stopping");
        }
        if (http.isPresent()) {
            return http.get().running() ? Optional.empty()
                    : Optional.of("the HTTP endpoint for Slack's requests is not running");
        }
        if (socketState.isEmpty() || !socketState.get().up()) {
            return Optional.of("the Socket Mode connection to Slack is down; the bot reconnects by itself, and "
                    + "its log says why if it cannot");
        }
        return Optional.empty();
    }

    /**
     * Posts scheduled sweeps: the summary in the schedule's channel, the report of each host that
     * is not healthy in its thread, through the same Slack client, retries and layout as the
     * answers to commands.
     */
    public SweepPublisher sweepPublisher() {
        return sweepPublisher;
    }

    /** Blocks until {@link #close} has run. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops listening, lets the conversations under way post their reports for a while, then
     * stops. The runs themselves belong to the dispatcher, which its owner closes after this.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        List<Exception> problems = new ArrayList<>();
        http.ifPresent(h -> {
            try {
                h.close();
            } catch (Exception e) {
                problems.add(e);
            }
        });
        socket.ifPresent(s -> {
            try {
                SocketModeClient client = s.getClient();
                s.stop();
                if (client != null) {
                    client.close();
                }
            } catch (Exception e) {
                problems.add(e);
            }
        });
        try {
            if (!deliveries.drain(drain)) {
                LOG.log(System.Logger.Level.WARNING, "stopping " + deliveries.underWay()
                        + " conversations that did not finish in " + drain.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdown(slack, deliveries);
        problems.forEach(e -> LOG.log(System.Logger.Level.WARNING, "while stopping the Slack bot: " + e));
        LOG.log(System.Logger.Level.INFO, "Slack bot stopped");
        stopped.countDown();
    }

    static SlackConfig slackConfig(String apiUrl) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiUrl);
        config.setHttpClientResponseHandlers(new ArrayList<>(List.of(new CallLog())));
        config.setPrettyResponseLoggingEnabled(false);
        // the client's call metrics are unused, and keeping them costs an auth.test per token
        config.setStatsEnabled(false);
        return config;
    }

    private static String whoAmI(SlackWebApi api, Slack slack, String botToken, String apiUrl) {
        try {
            AuthTestResponse r = api.call("auth.test", () -> slack.methods(botToken).authTest(req -> req));
            LOG.log(System.Logger.Level.INFO, "Slack: signed in as " + r.getUser() + " (" + r.getUserId() + ") in "
                    + r.getTeam());
            return r.getUserId() == null ? "" : r.getUserId();
        } catch (SlackCallException e) {
            if (e.error().equals("io_error") || e.error().startsWith("http_")) {
                throw new BotException(BotException.Category.EXTERNAL, "cannot reach the Slack Web API at " + apiUrl
                        + " (" + e.getMessage() + "); check the network and proxy, or slack.apiUrl");
            }
            throw new BotException(BotException.Category.EXTERNAL, "Slack refused slack.botToken (" + e.error()
                    + "); set it to the app's Bot User OAuth Token (xoxb-…) from its OAuth & Permissions page");
        }
    }

    private static void checkAppToken(SlackWebApi api, Slack slack, String appToken) {
        try {
            api.call("apps.connections.open", () -> slack.methods(appToken).appsConnectionsOpen(req -> req));
        } catch (SlackCallException e) {
            throw new BotException(BotException.Category.EXTERNAL, "Slack refused slack.appToken for Socket Mode ("
                    + e.error() + "); set it to an app-level token (xapp-…) with the connections:write scope, "
                    + "from the app's Basic Information page, and turn Socket Mode on");
        }
    }

    private static void shutdown(Slack slack, Deliveries deliveries) {
        if (deliveries != null) {
            deliveries.close();
        }
        try {
            slack.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the Slack client: " + e);
        }
    }
}
