package dev.chatops.adapters.slack;

import dev.chatops.config.SlackSettings;
import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.dispatch.Dispatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Times Slack's side of a slash command in HTTP mode: signed requests over real HTTP to the real
 * Bolt app, started as {@code serve} starts it (production tuning, loopback only), with the fake
 * Slack Web API taking what the bot posts. The checks behind the acknowledgements really run,
 * through the dispatcher it is given. For bench/run (through {@code BotBench slack}), not a test.
 */
public final class SlackAckBench {

    /**
     * @param ackNanos      each measured request's time from sending to the acknowledgement's last byte
     * @param kinds         how many acknowledgements said what (their first words)
     * @param threadsPosted parent messages the bot posted to the fake Web API while it was measured
     */
    public record Outcome(List<Long> ackNanos, Map<String, Integer> kinds, int threadsPosted) {
    }

    private SlackAckBench() {
    }

    /**
     * Sends {@code warmup} unmeasured then {@code requests} measured slash commands, from
     * {@code clients} senders at once; every acknowledgement must be HTTP 200.
     */
    public static Outcome run(Dispatcher dispatcher, String commandLine, int warmup, int requests, int clients) {
        SlackBot.Tuning defaults = SlackBot.Tuning.defaults();
        SlackBot.Tuning tuning = new SlackBot.Tuning(defaults.postingThreads(), defaults.retry(), defaults.pause(),
                "127.0.0.1", Duration.ofSeconds(20));
        try (FakeSlackApi api = FakeSlackApi.start(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN)) {
            SlackSettings settings = SlackHarness.settings(SlackSettings.Mode.HTTP, api.apiUrl());
            AccessPolicy access = new AccessPolicy(java.util.Set.of(SlackHarness.CHANNEL), java.util.Set.of());
            SlackBot bot = SlackBot.start(settings, Map.of("/nginx502", "nginx502"), access, dispatcher,
                    Clock.systemUTC(), tuning);
            try {
                int port = bot.httpPort().orElseThrow();
                for (int i = 0; i < warmup; i++) {
                    send(api, port, commandLine, "warm-" + i);
                }
                int postedBefore = api.calls("chat.postMessage").size();
                List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
                Map<String, Integer> kinds = Collections.synchronizedMap(new TreeMap<>());
                ExecutorService senders = Executors.newFixedThreadPool(clients);
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int i = 0; i < requests; i++) {
                        String id = "cmd-" + i;
                        done.add(senders.submit(() -> {
                            SlackHarness.Ack ack = send(api, port, commandLine, id);
                            nanos.add(ack.took().toNanos());
                            kinds.merge(kind(ack.text()), 1, Integer::sum);
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("a slash command failed: " + e.getMessage(), e);
                } finally {
                    senders.shutdownNow();
                }
                int posted = api.calls("chat.postMessage").size() - postedBefore;
                return new Outcome(List.copyOf(nanos), Map.copyOf(kinds), posted);
            } finally {
                bot.close();
            }
        }
    }

    /** An acknowledgement's first words, without the parts that change from one to the next (counts, names). */
    static String kind(String text) {
        if (text.isEmpty()) {
            return "(empty)";
        }
        String words = text.replaceAll("[^\\p{L} ]", " ").strip().replaceAll(" +", " ");
        String[] w = words.split(" ");
        return String.join(" ", java.util.Arrays.copyOf(w, Math.min(4, w.length))).strip();
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
