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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bot in Slack: a Bolt app answering the configured slash commands, connected in Socket Mode
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

    /** Where HTTP mode takes Slack's requests; the app's Request URL ends in it. */
    public static final String EVENTS_PATH = HttpEndpoint.PATH;

    /**
     * How the bot runs, beside its configuration.
     *
     * @param workers     checks that run at once
     * @param waiting     accepted checks that may wait for a worker; more are refused with "busy"
     * @param bindAddress where HTTP mode listens
     * @param drain       how long stopping waits for running checks to post their reports
     */
    public record Tuning(int workers, int waiting, RetryPolicy retry, Pause pause, String bindAddress, Duration drain) {
        public Tuning {
            requireNonNull(retry, "retry is null");
            requireNonNull(pause, "pause is null");
            requireNonNull(bindAddress, "bindAddress is null");
            requireNonNull(drain, "drain is null");
            if (workers < 1 || waiting < 1) {
                throw new IllegalArgumentException("workers and waiting must be at least 1");
            }
        }

        public static Tuning defaults() {
            return new Tuning(4, 32, RetryPolicy.defaults(), Pause.sleeping(), "0.0.0.0", Duration.ofSeconds(30));
        }
    }

    private final Slack slack;
    private final ThreadPoolExecutor workers;
    private final Duration drain;
    private final Optional<HttpEndpoint> http;
    private final Optional<SocketModeApp> socket;
    private final SlackSettings.Mode mode;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();

    private SlackBot(Slack slack, ThreadPoolExecutor workers, Duration drain, Optional<HttpEndpoint> http,
                     Optional<SocketModeApp> socket, SlackSettings.Mode mode) {
        this.slack = slack;
        this.workers = workers;
        this.drain = drain;
        this.http = http;
        this.socket = socket;
        this.mode = mode;
    }

    /** The production bot for this configuration: checks run through the dispatcher. */
    public static SlackBot start(BotConfig config, Dispatcher dispatcher, Clock clock) {
        return start(config.slack(), config.commands(), config.access(), dispatcher, CheckRuns.of(dispatcher), clock,
                Tuning.defaults());
    }

    /**
     * Starts the bot and returns once it listens.
     *
     * @throws BotException naming the missing or refused token, or saying why Slack cannot be reached
     */
    public static SlackBot start(SlackSettings settings, Map<String, String> commands, AccessPolicy access,
                                 Dispatcher dispatcher, CheckRuns runs, Clock clock, Tuning tuning) {
        requireNonNull(settings, "settings is null");
        requireNonNull(commands, "commands is null");
        requireNonNull(access, "access is null");
        requireNonNull(dispatcher, "dispatcher is null");
        requireNonNull(runs, "runs is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(tuning, "tuning is null");
        String botToken = settings.botToken().require();
        Optional<String> appToken = settings.mode() == SlackSettings.Mode.SOCKET
                ? Optional.of(settings.appToken().require()) : Optional.empty();
        Optional<String> signingSecret = settings.mode() == SlackSettings.Mode.HTTP
                ? Optional.of(settings.signingSecret().require()) : Optional.empty();

        Slack slack = Slack.getInstance(slackConfig(settings.apiUrl()));
        ThreadPoolExecutor workers = null;
        try {
            SlackWebApi api = new SlackWebApi(slack, botToken, tuning.retry(), tuning.pause());
            String botUserId = whoAmI(api, slack, botToken, settings.apiUrl());
            if (appToken.isPresent()) {
                checkAppToken(new SlackWebApi(slack, appToken.get(), tuning.retry(), tuning.pause()), slack,
                        appToken.get());
            }
            workers = workers(tuning);
            ReportMessages messages = new ReportMessages(clock);
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
            new SlashCommands(commands, dispatcher, access, workers, runs,
                    c -> new CheckConversation(c, api, runs, messages, botUserId)).register(app);
            if (settings.mode() == SlackSettings.Mode.HTTP) {
                HttpEndpoint endpoint = HttpEndpoint.start(app, tuning.bindAddress(), settings.port());
                LOG.log(System.Logger.Level.INFO, "Slack bot listening in HTTP mode on " + tuning.bindAddress() + ":"
                        + endpoint.port() + HttpEndpoint.PATH + " for " + String.join(", ", commands.keySet()));
                return new SlackBot(slack, workers, tuning.drain(), Optional.of(endpoint), Optional.empty(),
                        settings.mode());
            }
            SocketModeApp socketApp = new SocketModeApp(appToken.get(), app);
            socketApp.startAsync();
            LOG.log(System.Logger.Level.INFO, "Slack bot connected in Socket Mode for "
                    + String.join(", ", commands.keySet()));
            return new SlackBot(slack, workers, tuning.drain(), Optional.empty(), Optional.of(socketApp),
                    settings.mode());
        } catch (BotException e) {
            shutdown(slack, workers);
            throw e;
        } catch (Exception e) {
            shutdown(slack, workers);
            throw new BotException(BotException.Category.EXTERNAL, "the Slack bot could not start: " + e.getMessage()
                    + (settings.mode() == SlackSettings.Mode.HTTP ? "; is port " + settings.port() + " free?" : ""), e);
        }
    }

    /** The port HTTP mode listens on; empty in Socket Mode. */
    public Optional<Integer> httpPort() {
        return http.map(HttpEndpoint::port);
    }

    public SlackSettings.Mode mode() {
        return mode;
    }

    /** Blocks until {@link #close} has run. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops listening, lets running checks post their reports for a while, then stops them. */
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
        workers.shutdown();
        try {
            if (!workers.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "stopping " + workers.getActiveCount()
                        + " checks that did not finish in " + drain.toSeconds() + " s");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        shutdown(slack, null);
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

    private static ThreadPoolExecutor workers(Tuning tuning) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "slack-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return new ThreadPoolExecutor(tuning.workers(), tuning.workers(), 1, TimeUnit.MINUTES,
                new ArrayBlockingQueue<>(tuning.waiting()), threads, new ThreadPoolExecutor.AbortPolicy());
    }

    private static void shutdown(Slack slack, ThreadPoolExecutor workers) {
        if (workers != null) {
            workers.shutdownNow();
        }
        try {
            slack.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the Slack client: " + e);
        }
    }
}
