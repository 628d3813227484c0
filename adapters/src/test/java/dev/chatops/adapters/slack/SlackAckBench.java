package dev.chatops.adapters.slack;

import dev.chatops.config.SlackSettings;
import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.dispatch.Dispatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Times Slack's side of a slash command in HTTP mode: signed requests over real HTTP to the real
 * Bolt app, with the fake Slack Web API taking what the bot posts. The bot runs in a process of its
 * own ({@link #serve}, as {@code serve} starts it but listening on loopback only) so that Slack's
 * side, played here, does not take its CPU; the checks behind the acknowledgements really run.
 * For bench/run (through {@code BotBench slack}), not a test.
 */
public final class SlackAckBench {

    /**
     * @param ackNanos      each measured request's time from sending to the acknowledgement's last byte
     * @param kinds         how many acknowledgements said what (their first words)
     * @param messagesPosted messages (parents and thread replies) the bot posted while it was measured
     */
    public record Outcome(List<Long> ackNanos, Map<String, Integer> kinds, int messagesPosted) {
    }

    /** Starts the bot against the fake Web API at the URL it is given. */
    @FunctionalInterface
    public interface BotStarter {
        RunningBot start(String apiUrl) throws Exception;
    }

    /** A started bot: the port it listens on, and how to stop it (before the fake Web API goes). */
    public interface RunningBot extends AutoCloseable {
        int port();
    }

    private SlackAckBench() {
    }

    /**
     * The bot's side: the Slack bot in HTTP mode on a free loopback port, talking to the Web API at
     * {@code apiUrl} with the harness's tokens, checks run through {@code dispatcher}.
     */
    public static SlackBot serve(Dispatcher dispatcher, String apiUrl) {
        SlackBot.Tuning defaults = SlackBot.Tuning.defaults();
        SlackBot.Tuning tuning = new SlackBot.Tuning(defaults.postingThreads(), defaults.retry(), defaults.pause(),
                Duration.ofSeconds(20), Clock.systemUTC());
        SlackSettings settings = SlackHarness.settings(SlackSettings.Mode.HTTP, apiUrl);
        AccessPolicy access = new AccessPolicy(Set.of(SlackHarness.CHANNEL), Set.of());
        return SlackBot.start(settings, Map.of("/nginx502", "nginx502"), access, dispatcher, Clock.systemUTC(),
                tuning);
    }

    /**
     * Slack's side: the fake Web API, then the bot (started by {@code starter}), then {@code warmup}
     * unmeasured and {@code requests} measured slash commands from {@code clients} senders, started
     * {@code perSecond} a second (0: each sender sends its next as soon as it has its answer); every
     * acknowledgement must be HTTP 200.
     */
    public static Outcome run(BotStarter starter, String commandLine, int warmup, int requests, int clients,
                              int perSecond) throws Exception {
        try (FakeSlackApi api = FakeSlackApi.start(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN);
             RunningBot bot = starter.start(api.apiUrl())) {
            int port = bot.port();
            for (int i = 0; i < warmup; i++) {
                send(api, port, commandLine, "warm-" + i);
            }
            int postedBefore = api.calls("chat.postMessage").size();
            List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
            Map<String, Integer> kinds = Collections.synchronizedMap(new TreeMap<>());
            ExecutorService senders = Executors.newFixedThreadPool(clients);
            try {
                List<Future<?>> done = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < requests; i++) {
                    String id = "cmd-" + i;
                    if (perSecond > 0) {
                        long due = start + i * 1_000_000_000L / perSecond;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                    done.add(senders.submit(() -> {
                        SlackHarness.Ack ack = send(api, port, commandLine, id);
                        nanos.add(ack.took().toNanos());
                        kinds.merge(kind(ack.text()), 1, Integer::sum);
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                senders.shutdownNow();
            }
            int posted = api.calls("chat.postMessage").size() - postedBefore;
            return new Outcome(List.copyOf(nanos), Map.copyOf(kinds), posted);
        }
    }

    /** An acknowledgement's first words, without the parts that change from one to the next (counts, names). */
    static String kind(String text) {
        if (text.isEmpty()) {
            return "(empty)";
        }
        String words = text.replaceAll("[^\\p{L} ]", " ").strip().replaceAll(" +", " ");
        String[] w = words.split(" ");
        return String.join(" ", Arrays.copyOf(w, Math.min(4, w.length))).strip();
    }

    private static SlackHarness.Ack send(FakeSlackApi api, int port, String commandLine, String id) {
        String body = SlackHarness.commandBody(commandLine, SlackHarness.CHANNEL, SlackHarness.USER,
                api.responseUrl(id));
        SlackHarness.Ack ack = SlackHarness.post(port, body, SlackHarness.signed(body));
        if (ack.status() != 200) {
            throw new IllegalStateException("the bot answered HTTP " + ack.status() + " to a signed slash command: "
                    + ack.body());
        }
        return ack;
    }
}
