package dev.chatops.core.run;

import dev.chatops.core.error.BotException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One call into a check's own code, on a thread of its own with a deadline. Check code parses
 * hostile input from hosts: a call that never returns is abandoned at the deadline (interrupted,
 * left to end on its own as a daemon thread) instead of holding the run, and whatever it throws,
 * {@link Error}s included, comes back as a value instead of tearing down the run thread.
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
    }

    private CheckCall() {
    }

    /**
     * Runs {@code code} on a new daemon thread and waits for it at most {@code limit}, as measured
     * by {@code timer}. Never throws what the code throws.
     *
     * @throws BotException when the waiting thread is interrupted (the bot is stopping)
     */
    static <T> Outcome<T> run(String threadName, Supplier<T> code, Duration limit, ScheduledExecutorService timer) {
        CompletableFuture<Outcome<T>> outcome = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                outcome.complete(new Outcome.Returned<>(code.get()));
            } catch (Throwable e) {
                outcome.complete(new Outcome.Threw<>(e));
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
                worker.interrupt();
                LOG.log(System.Logger.Level.ERROR, "abandoned " + threadName + " after " + text(limit)
                        + "; it keeps running, and a CPU busy, until it ends by itself");
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
