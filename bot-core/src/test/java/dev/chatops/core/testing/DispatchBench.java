package dev.chatops.core.testing;

import dev.chatops.core.cache.ResultCache;
import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.host.Allowlist;
import dev.chatops.core.host.Host;
import dev.chatops.core.limit.HostRunQueue;
import dev.chatops.core.limit.Limits;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A dispatcher wired to fakes: a {@link GatedTransport}, a {@link MutableClock} that also drives
 * the cache's ticker and, through a {@link ManualTimer}, the checks' {@code diagnoseTimeout}, a
 * {@link RecordingAuditLog}, and real limits and cache.
 */
public final class DispatchBench implements AutoCloseable {

    public static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

    public final MutableClock clock;
    /** Fires the checks' deadlines; nothing times out until a test runs it. */
    public final ManualTimer timer;
    public final GatedTransport transport = new GatedTransport();
    public final RecordingAuditLog audit = new RecordingAuditLog();
    public final RecordingMetrics metrics = new RecordingMetrics();
    public final HostRunQueue queue;
    public final Dispatcher dispatcher;

    private DispatchBench(Builder b) {
        this.clock = new MutableClock(b.start);
        this.timer = new ManualTimer(clock);
        this.queue = new HostRunQueue(b.limits);
        this.dispatcher = new Dispatcher(CheckRegistry.of(b.checks.toArray(Check[]::new)), new Allowlist(b.hosts),
                b.access, new CheckRunner(transport, clock, b.limits.diagnoseTimeout(), timer), CheckOptions.defaults(),
                new ResultCache(b.ttl, b.unreachableTtl, clock.ticker()), queue, audit, clock, metrics);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A request for the status check from the command line. */
    public static CheckRequest cli(String host) {
        return new CheckRequest(StatusCheck.NAME, host, false, Requester.cli());
    }

    public static CheckRequest cliFresh(String host) {
        return new CheckRequest(StatusCheck.NAME, host, true, Requester.cli());
    }

    /** Waits (up to 20 s) for a condition that other threads will make true; false if they never do. */
    public static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(200_000);
        }
        return true;
    }

    @Override
    public void close() {
        transport.releaseAll();
        queue.close();
    }

    public static final class Builder {
        private Limits limits = new Limits(4, 16);
        private Duration ttl = Duration.ofSeconds(60);
        private Duration unreachableTtl = Duration.ofSeconds(5);
        private AccessPolicy access = AccessPolicy.open();
        private final List<Host> hosts = new ArrayList<>();
        private final List<Check> checks = new ArrayList<>(List.of(new StatusCheck()));
        private Instant start = START;

        public Builder limits(int concurrentHosts, int queue) {
            this.limits = new Limits(concurrentHosts, queue);
            return this;
        }

        public Builder ttl(Duration ttl, Duration unreachableTtl) {
            this.ttl = ttl;
            this.unreachableTtl = unreachableTtl;
            return this;
        }

        public Builder access(AccessPolicy access) {
            this.access = access;
            return this;
        }

        public Builder hosts(String... names) {
            for (String n : names) {
                hosts.add(Host.ssh(n, "127.0.0.1", 22, Set.of()));
            }
            return this;
        }

        public Builder host(Host host) {
            hosts.add(host);
            return this;
        }

        public Builder check(Check check) {
            checks.add(check);
            return this;
        }

        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        public DispatchBench build() {
            return new DispatchBench(this);
        }
    }
}
