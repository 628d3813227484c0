package dev.chatops.adapters.app;

import dev.chatops.core.replica.ReplicaStore;
import dev.chatops.core.replica.SharedRun;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The replicas' store, opened when first used ({@link OnFirstUse}).
 */
final class OpenReplicaStoreOnFirstUse implements ReplicaStore {

    private final OnFirstUse<ReplicaStore> store;

    OpenReplicaStoreOnFirstUse(Supplier<ReplicaStore> open) {
        this.store = new OnFirstUse<>(open);
    }

    @Override
    public boolean take(String name, String holder, Instant until, Instant now) {
        return store.get().take(name, holder, until, now);
    }

    @Override
    public boolean renew(String name, String holder, Instant until) {
        return store.get().renew(name, holder, until);
    }

    @Override
    public void finish(String name, String holder) {
        store.get().finish(name, holder);
    }

    @Override
    public void release(String name, String holder) {
        store.get().release(name, holder);
    }

    @Override
    public boolean finished(String name) {
        return store.get().finished(name);
    }

    @Override
    public Optional<SharedRun> latestRun(String check, String host) {
        return store.get().latestRun(check, host);
    }

    @Override
    public void saveRun(SharedRun run) {
        store.get().saveRun(run);
    }

    @Override
    public int prune(Instant before) {
        return store.get().prune(before);
    }
}
