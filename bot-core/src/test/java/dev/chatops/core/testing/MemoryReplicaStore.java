package dev.chatops.core.testing;

import dev.chatops.core.replica.ReplicaStore;
import dev.chatops.core.replica.SharedRun;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Leases and shared runs in memory, with the same rules as the SQL store; for one JVM's replicas. */
public final class MemoryReplicaStore implements ReplicaStore {

    private record Lease(String holder, long untilMs, boolean done) {
    }

    private final Map<String, Lease> leases = new HashMap<>();
    private final Map<String, SharedRun> runs = new HashMap<>();

    @Override
    public synchronized boolean take(String name, String holder, Instant until, Instant now) {
        Lease l = leases.get(name);
        if (l == null || !l.done() && (l.untilMs() < now.toEpochMilli() || l.holder().equals(holder))) {
            leases.put(name, new Lease(holder, until.toEpochMilli(), false));
            return true;
        }
        return false;
    }

    @Override
    public synchronized boolean renew(String name, String holder, Instant until) {
        Lease l = leases.get(name);
        if (l == null || l.done() || !l.holder().equals(holder)) {
            return false;
        }
        leases.put(name, new Lease(holder, until.toEpochMilli(), false));
        return true;
    }

    @Override
    public synchronized void finish(String name, String holder) {
        Lease l = leases.get(name);
        if (l != null && l.holder().equals(holder)) {
            leases.put(name, new Lease(holder, l.untilMs(), true));
        }
    }

    @Override
    public synchronized void release(String name, String holder) {
        Lease l = leases.get(name);
        if (l != null && l.holder().equals(holder) && !l.done()) {
            leases.put(name, new Lease(holder, 0, false));
        }
    }

    @Override
    public synchronized boolean finished(String name) {
        Lease l = leases.get(name);
        return l != null && l.done();
    }

    /** Who holds the lease now (even if expired), for tests. */
    public synchronized Optional<String> holder(String name) {
        return Optional.ofNullable(leases.get(name)).map(Lease::holder);
    }

    @Override
    public synchronized Optional<SharedRun> latestRun(String check, String host) {
        return Optional.ofNullable(runs.get(check + "/" + host));
    }

    @Override
    public synchronized void saveRun(SharedRun run) {
        SharedRun old = runs.get(run.check() + "/" + run.host());
        if (old == null || !old.at().isAfter(run.at())) {
            runs.put(run.check() + "/" + run.host(), run);
        }
    }

    @Override
    public synchronized int prune(Instant before) {
        int n = leases.size() + runs.size();
        leases.values().removeIf(l -> l.untilMs() < before.toEpochMilli());
        runs.values().removeIf(r -> r.savedAt().isBefore(before));
        return n - leases.size() - runs.size();
    }
}
