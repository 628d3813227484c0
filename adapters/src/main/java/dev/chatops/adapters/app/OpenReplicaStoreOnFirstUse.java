package dev.chatops.adapters.app;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.replica.ReplicaStore;
import dev.chatops.core.replica.SharedRun;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The replicas' store opened when first used, so commands that share nothing ({@code checks},
 * {@code replay}) do not wait for a database; an open that fails is tried again on the next use.
 */
final class OpenReplicaStoreOnFirstUse implements ReplicaStore {

    private final Supplier<ReplicaStore> open;
    private volatile ReplicaStore opened;

    OpenReplicaStoreOnFirstUse(Supplier<ReplicaStore> open) {
        this.open = requireNonNull(open, "open is null");
    }

    private ReplicaStore store() {
        ReplicaStore s = opened;
        if (s == null) {
            synchronized (this) {
                s = opened;
                if (s == null) {
                    s = open.get();
                    opened = s;
                }
            }
        }
        return s;
    }

    @Override
    public boolean take(String name, String holder, Instant until, Instant now) {
        return store().take(name, holder, until, now);
    }

    @Override
    public boolean renew(String name, String holder, Instant until) {
        return store().renew(name, holder, until);
    }

    @Override
    public void finish(String name, String holder) {
        store().finish(name, holder);
    }

    @Override
    public void release(String name, String holder) {
        store().release(name, holder);
    }

    @Override
    public boolean finished(String name) {
        return store().finished(name);
    }

    @Override
    public Optional<SharedRun> latestRun(String check, String host) {
        return store().latestRun(check, host);
    }

    @Override
    public void saveRun(SharedRun run) {
        store().saveRun(run);
    }

    @Override
    public int prune(Instant before) {
        return store().prune(before);
    }
}
