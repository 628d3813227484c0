package dev.chatops.core.limit;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.error.BotException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs work against hosts within {@link Limits}: at most {@code concurrentHosts} runs at once, at
 * most one per host, the rest waiting in line. Requests from people wait ahead of background work
 * (schedules) and are refused with a {@link BusyException} when the line is full; background work is
 * never refused, because a sweep bounds itself by the size of its host list.
 *
 * <p>The lock guards only the bookkeeping; a run happens on a worker thread without it, so a host
 * that hangs until its transport deadline holds one slot and delays nobody else.
 */
public final class HostRunQueue implements AutoCloseable {

    /** Who is waiting: people go first and may be refused; background work is never refused. */
    public enum Priority { INTERACTIVE, BACKGROUND }

    private final Limits limits;
    private final ThreadPoolExecutor workers;
    private final Object lock = new Object();
    private final Deque<Task<?>> interactive = new ArrayDeque<>();
    private final Deque<Task<?>> background = new ArrayDeque<>();
    private final Set<String> busyHosts = new HashSet<>();
    private int running;
    private boolean closed;

    public HostRunQueue(Limits limits) {
        this.limits = requireNonNull(limits, "limits is null");
        // never more than concurrentHosts tasks are handed over, so the pool's own queue stays empty
        this.workers = new ThreadPoolExecutor(limits.concurrentHosts(), limits.concurrentHosts(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new WorkerThreads());
        this.workers.allowCoreThreadTimeOut(true);
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Runs {@code work} for {@code host} as soon as a slot is free and no other run holds that host.
     *
     * @throws BusyException when {@code priority} is interactive, the work cannot start at once and
     *                       {@code queue} requests are already waiting
     */
    public <T> Ticket<T> submit(String host, Supplier<T> work, Priority priority) {
        requireNonNull(host, "host is null");
        requireNonNull(work, "work is null");
        requireNonNull(priority, "priority is null");
        Task<T> task = new Task<>(host, work);
        List<Task<?>> toStart;
        synchronized (lock) {
            if (closed) {
                throw shuttingDown(null);
            }
            boolean startsNow = running < limits.concurrentHosts() && !busyHosts.contains(host);
            if (priority == Priority.INTERACTIVE && !startsNow && interactive.size() >= limits.queue()) {
                throw new BusyException(interactive.size() + background.size());
            }
            (priority == Priority.INTERACTIVE ? interactive : background).addLast(task);
            toStart = startable();
        }
        toStart.forEach(this::launch);
        return new Ticket<>(task, this);
    }

    /** Runs in flight now. */
    public int running() {
        synchronized (lock) {
            return running;
        }
    }

    /** Requests waiting for a slot now. */
    public int waiting() {
        synchronized (lock) {
            return interactive.size() + background.size();
        }
    }

    /** Refuses new work, fails what waits and interrupts what runs. */
    @Override
    public void close() {
        List<Task<?>> dropped = new ArrayList<>();
        synchronized (lock) {
            closed = true;
            dropped.addAll(interactive);
            dropped.addAll(background);
            interactive.clear();
            background.clear();
        }
        BotException stopping = shuttingDown(null);
        dropped.forEach(t -> t.result.completeExceptionally(stopping));
        for (Runnable neverRan : workers.shutdownNow()) {
            if (neverRan instanceof Task<?> t) {
                t.result.completeExceptionally(stopping);
            }
        }
    }

    private static BotException shuttingDown(Throwable cause) {
        String message = "the bot is shutting down; try again when it is back";
        return cause == null ? new BotException(BotException.Category.INTERNAL, message)
                : new BotException(BotException.Category.INTERNAL, message, cause);
    }

    /** Takes the tasks that may start now off the line; call with the lock held. */
    private List<Task<?>> startable() {
        List<Task<?>> out = new ArrayList<>();
        while (running < limits.concurrentHosts()) {
            Task<?> next = takeFirstFree(interactive);
            if (next == null) {
                next = takeFirstFree(background);
            }
            if (next == null) {
                break;
            }
            running++;
            busyHosts.add(next.host);
            out.add(next);
        }
        return out;
    }

    private Task<?> takeFirstFree(Deque<Task<?>> line) {
        for (Iterator<Task<?>> it = line.iterator(); it.hasNext(); ) {
            Task<?> t = it.next();
            if (!busyHosts.contains(t.host)) {
                it.remove();
                return t;
            }
        }
        return null;
    }

    private void launch(Task<?> task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            release(task);
            task.result.completeExceptionally(shuttingDown(e));
        }
    }

    private void release(Task<?> task) {
        List<Task<?>> toStart;
        synchronized (lock) {
            running--;
            busyHosts.remove(task.host);
            toStart = closed ? List.of() : startable();
        }
        toStart.forEach(this::launch);
    }

    private int position(Task<?> task) {
        synchronized (lock) {
            int i = 1;
            for (Task<?> t : interactive) {
                if (t == task) {
                    return i;
                }
                i++;
            }
            for (Task<?> t : background) {
                if (t == task) {
                    return i;
                }
                i++;
            }
            return 0;
        }
    }

    /** A submitted piece of work: when it starts, what it gave, and its place in line meanwhile. */
    public static final class Ticket<T> {
        private final Task<T> task;
        private final HostRunQueue queue;

        private Ticket(Task<T> task, HostRunQueue queue) {
            this.task = task;
            this.queue = queue;
        }

        public String host() {
            return task.host;
        }

        /** Completes when the work starts on a worker. */
        public CompletableFuture<Void> started() {
            return task.started;
        }

        /** Completes with what the work returned, or with what it threw. */
        public CompletableFuture<T> result() {
            return task.result;
        }

        /** 1 for the next in line, 2 for the one after…; 0 once the work has started or finished. */
        public int position() {
            return queue.position(task);
        }
    }

    private final class Task<T> implements Runnable {
        private final String host;
        private final Supplier<T> work;
        private final CompletableFuture<Void> started = new CompletableFuture<>();
        private final CompletableFuture<T> result = new CompletableFuture<>();

        Task(String host, Supplier<T> work) {
            this.host = host;
            this.work = work;
        }

        @Override
        public void run() {
            started.complete(null);
            T value = null;
            Throwable failure = null;
            try {
                value = work.get();
            } catch (Throwable e) {
                failure = e;
            }
            // the slot is free before anyone hears of the result, so a caller that reacts to it at
            // once finds the host available again
            release(this);
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        }
    }

    private static final class WorkerThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "chatops-run-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
