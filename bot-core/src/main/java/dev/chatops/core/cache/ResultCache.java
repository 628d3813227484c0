package dev.chatops.core.cache;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.chatops.core.limit.HostRunQueue;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.spi.Verdict;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Finished runs per (check, host), and the runs in flight. A request either gets a finished run
 * that is still fresh enough, joins the run in flight for the same key, or starts one; two requests
 * never start two runs for the same key at once.
 *
 * <p>A run whose host was unreachable is kept only for {@code unreachableTtl}: long enough that a
 * burst of people asking about a dead host do not each wait for a connect timeout, short enough that
 * the host is tried again soon after it comes back.
 */
public final class ResultCache {

    private final Duration ttl;
    private final Duration unreachableTtl;
    private final Cache<RunKey, CheckRun> finished;
    private final ConcurrentMap<RunKey, Flight> inFlight = new ConcurrentHashMap<>();

    /**
     * @param ttl            how long a run is reused; zero keeps nothing (every request runs,
     *                       though concurrent ones still share a run)
     * @param unreachableTtl how long a run that could not reach its host is reused; at most {@code ttl}
     * @param ticker         the time source of expiry
     */
    public ResultCache(Duration ttl, Duration unreachableTtl, Ticker ticker) {
        requireNonNull(ttl, "ttl is null");
        requireNonNull(unreachableTtl, "unreachableTtl is null");
        requireNonNull(ticker, "ticker is null");
        if (ttl.isNegative() || unreachableTtl.isNegative()) {
            throw new IllegalArgumentException("cache durations must not be negative");
        }
        this.ttl = ttl;
        this.unreachableTtl = unreachableTtl.compareTo(ttl) > 0 ? ttl : unreachableTtl;
        this.finished = Caffeine.newBuilder()
                .ticker(ticker)
                .executor(Runnable::run)
                .maximumSize(10_000)
                .expireAfter(new ByVerdict())
                .build();
    }

    /** A cache that keeps nothing; concurrent identical requests still share one run. */
    public static ResultCache disabled() {
        return new ResultCache(Duration.ZERO, Duration.ZERO, Ticker.systemTicker());
    }

    public Duration ttl() {
        return ttl;
    }

    /**
     * Answers a request for {@code key}: a kept run (unless {@code fresh}), else the run in flight,
     * else the run {@code start} begins. A fresh request joins a run in flight, since that run
     * started no earlier than any kept one; what it brings back replaces the kept run.
     *
     * @param start begins the run; called at most once, and only when nothing is in flight for the key;
     *              what it throws (e.g. the queue is full) reaches the caller and nothing is recorded
     */
    public Lookup lookup(RunKey key, boolean fresh, Supplier<HostRunQueue.Ticket<CheckRun>> start) {
        requireNonNull(key, "key is null");
        requireNonNull(start, "start is null");
        if (!fresh) {
            CheckRun kept = finished.getIfPresent(key);
            if (kept != null) {
                return new Lookup.Kept(kept);
            }
        }
        Lookup[] outcome = new Lookup[1];
        // deciding inside compute closes the gap between "not kept yet" and "no longer in flight":
        // a finished run is stored before it leaves inFlight, and both steps are ordered with this
        Flight flight = inFlight.compute(key, (k, current) -> {
            if (current != null) {
                outcome[0] = new Lookup.Joined(current);
                return current;
            }
            if (!fresh) {
                CheckRun kept = finished.getIfPresent(k);
                if (kept != null) {
                    outcome[0] = new Lookup.Kept(kept);
                    return null;
                }
            }
            Flight begun = new Flight(requireNonNull(start.get(), "start returned null"), new CompletableFuture<>());
            outcome[0] = new Lookup.Started(begun);
            return begun;
        });
        if (outcome[0] instanceof Lookup.Started) {
            // registered outside compute: the run may already be over, and landing touches inFlight
            flight.ticket().result().whenComplete((run, failure) -> land(key, flight, run, failure));
        }
        return outcome[0];
    }

    /** The kept run for {@code key}, if any and not expired. */
    public Optional<CheckRun> kept(RunKey key) {
        return Optional.ofNullable(finished.getIfPresent(requireNonNull(key, "key is null")));
    }

    /** Forgets the kept run for {@code key}. */
    public void invalidate(RunKey key) {
        finished.invalidate(requireNonNull(key, "key is null"));
    }

    /**
     * Stores the run, lets go of the flight, and only then answers the requests that shared it, so
     * that whoever asks again after hearing the answer finds the cache already up to date.
     */
    private void land(RunKey key, Flight flight, CheckRun run, Throwable failure) {
        try {
            if (run != null) {
                if (keepFor(run).isZero()) {
                    finished.invalidate(key);
                } else {
                    finished.put(key, run);
                }
            }
        } finally {
            inFlight.remove(key, flight);
            if (failure != null) {
                flight.answer().completeExceptionally(failure);
            } else {
                flight.answer().complete(run);
            }
        }
    }

    private Duration keepFor(CheckRun run) {
        return run.report().verdict() == Verdict.UNREACHABLE ? unreachableTtl : ttl;
    }

    /**
     * A run in flight: its place in the host queue, and the answer, which completes once the run is
     * over and the cache holds its result.
     */
    public record Flight(HostRunQueue.Ticket<CheckRun> ticket, CompletableFuture<CheckRun> answer) {
        public Flight {
            requireNonNull(ticket, "ticket is null");
            requireNonNull(answer, "answer is null");
        }
    }

    /** How a request was answered. */
    public sealed interface Lookup {

        /** A finished run still within its time to live. */
        record Kept(CheckRun run) implements Lookup {
            public Kept {
                requireNonNull(run, "run is null");
            }
        }

        /** The run already in flight for the same check and host. */
        record Joined(Flight flight) implements Lookup {
            public Joined {
                requireNonNull(flight, "flight is null");
            }
        }

        /** A run this request started. */
        record Started(Flight flight) implements Lookup {
            public Started {
                requireNonNull(flight, "flight is null");
            }
        }
    }

    private final class ByVerdict implements Expiry<RunKey, CheckRun> {
        @Override
        public long expireAfterCreate(RunKey key, CheckRun run, long currentTime) {
            return keepFor(run).toNanos();
        }

        @Override
        public long expireAfterUpdate(RunKey key, CheckRun run, long currentTime, long currentDuration) {
            // a replacement (a fresh run) starts its own time to live
            return keepFor(run).toNanos();
        }

        @Override
        public long expireAfterRead(RunKey key, CheckRun run, long currentTime, long currentDuration) {
            // reading does not extend a result's life: its age is what it is
            return currentDuration;
        }
    }
}
