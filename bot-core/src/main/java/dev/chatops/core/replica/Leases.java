package dev.chatops.core.replica;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.history.HistoryException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Leases this replica takes in the {@link ReplicaStore}: each lasts {@code ttl} and is pushed back
 * every third of it while held, so a replica that dies (or loses the store) lets go within one
 * {@code ttl}, and one that works long keeps it.
 */
public final class Leases implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Leases.class.getName());

    private final ReplicaStore store;
    private final String holder;
    private final Duration ttl;
    private final Clock clock;
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chatops-lease-renew");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param holder names this replica in the store (host, process, a random part); unique per process
     * @param ttl    how long a lease lasts unless renewed: how long the others wait for a replica that died
     */
    public Leases(ReplicaStore store, String holder, Duration ttl, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.holder = requireNonNull(holder, "holder is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (ttl.toMillis() < 300) {
            throw new IllegalArgumentException("a lease must last at least 300 ms, not " + ttl.toMillis() + " ms");
        }
    }

    public ReplicaStore store() {
        return store;
    }

    public String holder() {
        return holder;
    }

    public Duration ttl() {
        return ttl;
    }

    public Clock clock() {
        return clock;
    }

    /** How long to wait between looks at a lease someone else holds. */
    public Duration pollEvery() {
        return ttl.dividedBy(6).compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : ttl.dividedBy(6);
    }

    /**
     * Takes the lease {@code name} if it is free, expired or finished-by-nobody.
     *
     * @throws HistoryException when the store cannot be reached
     */
    public Optional<Held> take(String name) {
        requireNonNull(name, "name is null");
        if (!store.take(name, holder, clock.instant().plus(ttl), clock.instant())) {
            return Optional.empty();
        }
        Held held = new Held(name);
        long every = Math.max(1, ttl.toMillis() / 3);
        held.renewal = renewer.scheduleWithFixedDelay(held::renew, every, every, TimeUnit.MILLISECONDS);
        return Optional.of(held);
    }

    @Override
    public void close() {
        renewer.shutdownNow();
    }

    /** A lease this replica holds; closing it gives it up unless it was finished. */
    public final class Held implements AutoCloseable {
        private final String name;
        private final AtomicBoolean lost = new AtomicBoolean();
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile ScheduledFuture<?> renewal;

        private Held(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        private void renew() {
            if (over.get() || lost.get()) {
                return;
            }
            try {
                if (!store.renew(name, holder, clock.instant().plus(ttl))) {
                    lost.set(true);
                    LOG.log(System.Logger.Level.WARNING, "lost the lease " + name + ": another replica took it over");
                }
            } catch (RuntimeException e) {
                // not lost yet: the lease lasts until its end, and the next renewal may reach the store
                LOG.log(System.Logger.Level.WARNING, "could not renew the lease " + name + ": " + e.getMessage());
            }
        }

        /**
         * Whether this replica still holds the lease, asked of the store now: call before doing what
         * must happen once.
         */
        public boolean stillHeld() {
            if (lost.get()) {
                return false;
            }
            try {
                if (store.renew(name, holder, clock.instant().plus(ttl))) {
                    return true;
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not confirm the lease " + name + ": " + e.getMessage());
            }
            lost.set(true);
            return false;
        }

        /** Marks the work done: no replica takes this lease again. */
        public void finish() {
            stop();
            store.finish(name, holder);
        }

        @Override
        public void close() {
            if (stop()) {
                try {
                    store.release(name, holder);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not give up the lease " + name + " (it ends by itself "
                            + "within " + ttl.toMillis() + " ms): " + e.getMessage());
                }
            }
        }

        private boolean stop() {
            ScheduledFuture<?> r = renewal;
            if (r != null) {
                r.cancel(false);
            }
            return over.compareAndSet(false, true);
        }
    }
}
