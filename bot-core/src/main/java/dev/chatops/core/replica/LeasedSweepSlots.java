package dev.chatops.core.replica;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One sweep per schedule and due time across replicas: the replica that takes the slot's lease
 * sweeps, checks it still holds the lease, posts, and marks the slot finished; the others wait
 * for that mark, and take the lease over if the holder stops renewing it (it died) before.
 *
 * <p>When the store cannot be reached the slot is skipped, and the log says so: two replicas that
 * cannot agree would both post.
 */
public final class LeasedSweepSlots implements SweepSlots {

    private static final System.Logger LOG = System.getLogger(LeasedSweepSlots.class.getName());

    private final Leases leases;
    private final Duration follow;

    /**
     * @param follow how long after its due time a slot may still be taken over; past it a sweep
     *               would come too late to be worth posting
     */
    public LeasedSweepSlots(Leases leases, Duration follow) {
        this.leases = requireNonNull(leases, "leases is null");
        this.follow = requireNonNull(follow, "follow is null");
    }

    static String name(String schedule, Instant due) {
        return "sweep/" + schedule + "/" + due.toEpochMilli();
    }

    @Override
    public <T> void once(String schedule, Instant due, Supplier<T> sweep, Consumer<T> post) {
        String name = name(schedule, due);
        Instant giveUp = due.plus(follow);
        boolean waited = false;
        while (true) {
            Optional<Leases.Held> taken;
            try {
                taken = leases.take(name);
                if (taken.isEmpty() && leases.store().finished(name)) {
                    if (waited) {
                        LOG.log(System.Logger.Level.INFO, "schedule " + schedule + ": another replica posted the sweep "
                                + "due at " + due);
                    }
                    return;
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "schedule " + schedule + ": the sweep due at " + due
                        + " is skipped: the shared store that decides which replica posts cannot be reached ("
                        + e.getMessage() + ")");
                return;
            }
            if (taken.isPresent()) {
                try (Leases.Held held = taken.get()) {
                    if (waited) {
                        LOG.log(System.Logger.Level.WARNING, "schedule " + schedule + ": taking over the sweep due at "
                                + due + " from a replica that stopped renewing its lease");
                    }
                    T result = sweep.get();
                    if (!held.stillHeld()) {
                        LOG.log(System.Logger.Level.WARNING, "schedule " + schedule + ": not posting the sweep due at "
                                + due + ": this replica lost the slot's lease while sweeping, and another posts it");
                        return;
                    }
                    post.accept(result);
                    held.finish();
                }
                return;
            }
            if (leases.clock().instant().isAfter(giveUp)) {
                LOG.log(System.Logger.Level.ERROR, "schedule " + schedule + ": the sweep due at " + due + " was not "
                        + "posted by " + giveUp + ": another replica held it and never finished");
                return;
            }
            waited = true;
            try {
                Thread.sleep(leases.pollEvery().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
