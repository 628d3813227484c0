package dev.chatops.core.replica;

import java.time.Instant;
import java.util.Optional;

/**
 * What replicas share: leases, and the latest run of each check on each host. Implementations
 * must be atomic across processes (a database row), and throw {@link
 * dev.chatops.core.history.HistoryException} when the store fails.
 */
public interface ReplicaStore {

    /**
     * Takes the lease {@code name} for {@code holder} until {@code until}, unless another holder has
     * it and it has not expired by {@code now}, or it is finished.
     *
     * @return whether {@code holder} holds it now
     */
    boolean take(String name, String holder, Instant until, Instant now);

    /** Pushes the lease's end to {@code until}; false when {@code holder} no longer holds it. */
    boolean renew(String name, String holder, Instant until);

    /** Marks the lease done: nobody takes it again (until it is pruned). */
    void finish(String name, String holder);

    /** Gives the lease up unfinished, so another may take it at once. */
    void release(String name, String holder);

    /** Whether the lease is finished. */
    boolean finished(String name);

    /** The newest shared run of {@code check} on {@code host}, if any. */
    Optional<SharedRun> latestRun(String check, String host);

    /** Keeps {@code run} as the newest of its check and host. */
    void saveRun(SharedRun run);

    /** Removes leases that ended and runs taken before {@code before}; how many rows went. */
    int prune(Instant before);
}
