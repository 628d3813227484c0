package dev.chatops.adapters.manage;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the bot can do its job: each part it depends on (the Slack connection, the store) is
 * asked in turn, each within a deadline, so a hung database makes {@code /healthz} say so rather
 * than hang. The bot is up only when every part is.
 */
public final class Health implements AutoCloseable {

    /** One part the bot depends on. */
    @FunctionalInterface
    public interface Part {
        /** Empty when the part works; else one sentence saying what is wrong. */
        Optional<String> problem();
    }

    /** The answer: up or not, and each part's state in the order they were added. */
    public record Status(boolean up, Map<String, Optional<String>> parts) {
        public Status {
            parts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(parts, "parts is null")));
        }

        /** {@code {"status":"up"|"down","checks":{"slack":{"status":"up"},"store":{"status":"down","error":"…"}}}} */
        public String json() {
            JsonObject o = new JsonObject();
            o.addProperty("status", up ? "up" : "down");
            JsonObject checks = new JsonObject();
            parts.forEach((name, problem) -> {
                JsonObject p = new JsonObject();
                p.addProperty("status", problem.isEmpty() ? "up" : "down");
                problem.ifPresent(why -> p.addProperty("error", why));
                checks.add(name, p);
            });
            o.add("checks", checks);
            return o.toString();
        }
    }

    private final Map<String, Part> parts = new LinkedHashMap<>();
    private final Duration deadline;
    private final ExecutorService askers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "chatops-health");
        t.setDaemon(true);
        return t;
    });

    /** @param deadline how long each part may take to answer before it counts as down */
    public Health(Duration deadline) {
        this.deadline = requireNonNull(deadline, "deadline is null");
    }

    /** Adds a part; {@code name} is its key in the JSON. */
    public synchronized Health add(String name, Part part) {
        parts.put(requireNonNull(name, "name is null"), requireNonNull(part, "part is null"));
        return this;
    }

    /** Asks every part, all at once, each within the deadline. */
    public Status check() {
        Map<String, Part> now;
        synchronized (this) {
            now = new LinkedHashMap<>(parts);
        }
        List<Map.Entry<String, CompletableFuture<Optional<String>>>> asked = new ArrayList<>();
        now.forEach((name, part) -> asked.add(Map.entry(name, CompletableFuture.supplyAsync(part::problem, askers))));
        Map<String, Optional<String>> out = new LinkedHashMap<>();
        long until = System.nanoTime() + deadline.toNanos();
        for (Map.Entry<String, CompletableFuture<Optional<String>>> a : asked) {
            out.put(a.getKey(), answer(a.getKey(), a.getValue(), until));
        }
        return new Status(out.values().stream().allMatch(Optional::isEmpty), out);
    }

    private Optional<String> answer(String name, CompletableFuture<Optional<String>> asked, long until) {
        try {
            Optional<String> problem = asked.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            return problem == null ? Optional.of(name + " gave no answer") : problem;
        } catch (TimeoutException e) {
            asked.cancel(true);
            return Optional.of(name + " did not answer within " + deadline.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Optional.of(name + " could not be checked: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(name + " was not checked: interrupted");
        }
    }

    @Override
    public void close() {
        askers.shutdownNow();
    }
}
