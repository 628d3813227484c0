package dev.chatops.core.run;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.error.BotException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Calls into a check's own code, each on a thread of its own with a deadline. Check code parses
 * hostile input from hosts: a call that never returns is abandoned at the deadline (interrupted,
 * left to end on its own as a daemon thread) instead of holding the run, and whatever it throws,
 * {@link Error}s included, comes back as a value instead of tearing down the run thread.
 *
 * <p>Java cannot stop a thread that ignores interrupts, so an abandoned call keeps a CPU busy
 * until it ends. While {@code stuckLimit} of them are still running, no more check code is
 * started: each would likely get stuck the same way, and together they would starve the bot.
 */
final class CheckCall {

    private static final System.Logger LOG = System.getLogger(CheckCall.class.getName());

    /** How a call ended. */
    sealed interface Outcome<T> {
        record Returned<T>(T value) implements Outcome<T> {
        }

        record Threw<T>(Throwable error) implements Outcome<T> {
        }

        record TimedOut<T>() implements Outcome<T> {
        }

        /** Not started, because {@code stuck} earlier calls are still running past their deadline. */
        record NotStarted<T>(int stuck) implements Outcome<T> {
        }
    }

    private final Duration limit;
    private final ScheduledExecutorService timer;
    private final int stuckLimit;
    private final AtomicInteger stuck = new AtomicInteger();

    /**
     * @param limit      how long each call may take
     * @param timer      what measures that deadline
     * @param stuckLimit how many abandoned calls may still run before no more are started
     */
    CheckCall(Duration limit, ScheduledExecutorService timer, int stuckLimit) {
        this.limit = requireNonNull(limit, "limit is null");
        this.timer = requireNonNull(timer, "timer is null");
        this.stuckLimit = stuckLimit;
    }

    Duration limit() {
        return limit;
    }

    /** Abandoned calls that are still running. */
    int stuck() {
        return stuck.get();
    }

    /**
     * Runs {@code code} on a new daemon thread and waits for it at most the limit. Never throws
     * what the code throws.
     *
     * @throws BotException when the waiting thread is interrupted (the bot is stopping)
     */
    <T> Outcome<T> run(String threadName, Supplier<T> code) {
        int stuckNow = stuck.get();
        if (stuckNow >= stuckLimit) {
            return new Outcome.NotStarted<>(stuckNow);
        }
        CompletableFuture<Outcome<T>> outcome = new CompletableFuture<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        AtomicBoolean over = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            try {
                outcome.complete(new Outcome.Returned<>(code.get()));
            } catch (Throwable e) {
                outcome.complete(new Outcome.Threw<>(e));
            } finally {
                synchronized (over) {
                    over.set(true);
                    if (abandoned.get()) {
                        stuck.decrementAndGet();
                        LOG.log(System.Logger.Level.WARNING, threadName + " ended after all");
                    }
                }
            }
        }, threadName);
        worker.setDaemon(true);
        try {
            worker.start();
        } catch (Throwable e) {
            // e.g. no native thread left: the check did not run, which is its own kind of failure
            return new Outcome.Threw<>(e);
        }
        Runnable expire = () -> outcome.complete(new Outcome.TimedOut<>());
        ScheduledFuture<?> alarm = timer.schedule(expire, limit.toNanos(), TimeUnit.NANOSECONDS);
        try {
            Outcome<T> result = outcome.get();
            if (result instanceof Outcome.TimedOut<T>) {
                abandon(worker, threadName, abandoned, over);
            }
            return result;
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new BotException(BotException.Category.INTERNAL,
                    "the bot is shutting down; try again when it is back", e);
        } catch (ExecutionException e) {
            // the future is only ever completed normally
            throw new IllegalStateException(e);
        } finally {
            alarm.cancel(false);
        }
    }

    private void abandon(Thread worker, String threadName, AtomicBoolean abandoned, AtomicBoolean over) {
        int now;
        synchronized (over) {
            if (over.get()) {
                return;
            }
            abandoned.set(true);
            now = stuck.incrementAndGet();
        }
        worker.interrupt();
        LOG.log(System.Logger.Level.ERROR, "abandoned " + threadName + " after " + text(limit) + "; it keeps a CPU "
                + "busy until it ends by itself (" + now + " stuck now; at " + stuckLimit + " no more checks run "
                + "until some end or the bot restarts)");
    }

    /** A duration as a person reads it in a report: {@code 10 s}, {@code 250 ms}. */
    static String text(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /** The timer of runners that are given none: one daemon thread, shared. */
    static ScheduledExecutorService sharedTimer() {
        return SharedTimer.TIMER;
    }

    private static final class SharedTimer {
        static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "chatops-check-deadline");
            t.setDaemon(true);
            return t;
        });

        static {
            TIMER.setRemoveOnCancelPolicy(true);
        }
    }
}
