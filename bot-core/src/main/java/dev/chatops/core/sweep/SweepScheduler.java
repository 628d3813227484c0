package dev.chatops.core.sweep;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.replica.SweepSlots;
import dev.chatops.core.schedule.CronExpression;
import dev.chatops.core.schedule.Schedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires each schedule's sweep when its cron expression says, and hands the result to the
 * {@link SweepPublisher}. The next run is planned from the clock before the sweep starts, so a
 * sweep that fails or runs long never stops its schedule; a run that comes due while the previous
 * one of the same schedule is still going is skipped rather than piled up.
 *
 * <p>Time comes from the injected {@link Clock}; waiting is done by the injected
 * {@link ScheduledExecutorService}, which this scheduler owns and shuts down on {@link #close()}.
 */
public final class SweepScheduler implements AutoCloseable {

    /** How early by the wall clock a timer's wake is waited out; more than this and the clock itself moved. */
    private static final long MAX_EARLY_MS = 1_000;

    private static final System.Logger LOG = System.getLogger(SweepScheduler.class.getName());

    private final List<Schedule> schedules;
    private final Sweep sweep;
    private final SweepPublisher publisher;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final SweepSlots slots;
    private final Map<String, Planned> planned = new LinkedHashMap<>();
    private final Set<String> sweeping = ConcurrentHashMap.newKeySet();
    private boolean closed;

    private record Planned(Instant at, ScheduledFuture<?> future) {
    }

    public SweepScheduler(List<Schedule> schedules, Sweep sweep, SweepPublisher publisher, Clock clock,
                          ScheduledExecutorService timer) {
        this(schedules, sweep, publisher, clock, timer, SweepSlots.LOCAL);
    }

    /** @param slots makes each due sweep happen once across the replicas of the bot */
    public SweepScheduler(List<Schedule> schedules, Sweep sweep, SweepPublisher publisher, Clock clock,
                          ScheduledExecutorService timer, SweepSlots slots) {
        this.slots = requireNonNull(slots, "slots is null");
        this.schedules = List.copyOf(requireNonNull(schedules, "schedules is null"));
        this.sweep = requireNonNull(sweep, "sweep is null");
        this.publisher = requireNonNull(publisher, "publisher is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.timer = requireNonNull(timer, "timer is null");
    }

    /** Plans the first run of every schedule. */
    public void start() {
        Instant now = clock.instant();
        for (Schedule s : schedules) {
            plan(s, s.cronExpression(), now);
        }
    }

    /** When a schedule runs next; empty for an unknown name or once closed. */
    public synchronized Optional<Instant> nextRun(String schedule) {
        return Optional.ofNullable(planned.get(schedule)).map(Planned::at);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            planned.values().forEach(p -> p.future().cancel(false));
            planned.clear();
        }
        timer.shutdownNow();
    }

    private void plan(Schedule schedule, CronExpression cron, Instant after) {
        Instant next;
        try {
            next = cron.next(after, schedule.zone());
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.ERROR, "schedule " + schedule.name() + " has no next run: " + e.getMessage());
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), next).toMillis());
        synchronized (this) {
            if (closed) {
                return;
            }
            ScheduledFuture<?> f = timer.schedule(() -> fire(schedule, cron, next), delay, TimeUnit.MILLISECONDS);
            planned.put(schedule.name(), new Planned(next, f));
        }
    }

    private void fire(Schedule schedule, CronExpression cron, Instant due) {
        Instant now = clock.instant();
        long early = Duration.between(now, due).toMillis();
        if (early > 0 && early <= MAX_EARLY_MS) {
            // the timer counts on the monotonic clock and may wake a few milliseconds before the wall clock's
            // due time: waiting them out keeps the sweep (and the time its post shows) in its own minute
            try {
                Thread.sleep(early);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            now = clock.instant();
        }
        // a timer may wake a little early by the wall clock; planning from the due time keeps it from
        // firing the same minute twice
        plan(schedule, cron, now.isAfter(due) ? now : due);
        if (!sweeping.add(schedule.name())) {
            LOG.log(System.Logger.Level.WARNING, "schedule " + schedule.name() + ": the sweep due at " + due
                    + " is skipped because the previous one is still running");
            return;
        }
        try {
            LOG.log(System.Logger.Level.INFO, "schedule " + schedule.name() + ": sweeping (due " + due + ")");
            slots.once(schedule.name(), due, () -> sweep.run(schedule), result -> publisher.publish(schedule, result));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "schedule " + schedule.name() + ": the sweep due at " + due
                    + " failed", e);
        } finally {
            sweeping.remove(schedule.name());
        }
    }
}
