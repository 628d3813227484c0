package dev.chatops.core.testing;

import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.Transport;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport for concurrency tests. Every probe answers with the host's scripted status (default
 * {@code healthy}). A host (or every host) can be held: its sessions block until the test releases
 * it, as a slow or dead host would until its deadline. It counts sessions (all and per host), the sessions open at
 * once and the most that ever were, and lets a test wait until a given number of sessions opened.
 */
public final class GatedTransport implements Transport {

    private static final long WAIT_SECONDS = 20;

    private final Map<String, String> status = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Map<String, TransportException> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perHost = new ConcurrentHashMap<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final Semaphore openings = new Semaphore(0);
    private volatile CountDownLatch everyHost = new CountDownLatch(0);

    public GatedTransport status(String host, String line) {
        status.put(host, line);
        return this;
    }

    public GatedTransport fail(String host, TransportException failure) {
        failures.put(host, failure);
        return this;
    }

    /** Sessions to {@code host} block until {@link #release(String)}. */
    public GatedTransport hold(String host) {
        holds.put(host, new CountDownLatch(1));
        return this;
    }

    public void release(String host) {
        CountDownLatch l = holds.remove(host);
        if (l != null) {
            l.countDown();
        }
    }

    /** Sessions to every host block until {@link #releaseAll()}. */
    public GatedTransport holdAll() {
        everyHost = new CountDownLatch(1);
        return this;
    }

    public void releaseAll() {
        everyHost.countDown();
    }

    /** Blocks until {@code n} more sessions have been opened since the last call; false on timeout. */
    public boolean awaitOpened(int n) throws InterruptedException {
        return openings.tryAcquire(n, WAIT_SECONDS, TimeUnit.SECONDS);
    }

    public int sessionsOpened() {
        return opened.get();
    }

    public int sessionsOpened(String host) {
        AtomicInteger n = perHost.get(host);
        return n == null ? 0 : n.get();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public TransportSession open(Host host) throws TransportException {
        opened.incrementAndGet();
        perHost.computeIfAbsent(host.name(), h -> new AtomicInteger()).incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        openings.release();
        try {
            await(everyHost, host.name() + " was held with every host and never released");
            CountDownLatch hold = holds.get(host.name());
            if (hold != null) {
                await(hold, host.name() + " was held and never released");
            }
            TransportException failure = failures.get(host.name());
            if (failure != null) {
                throw failure;
            }
        } catch (RuntimeException | Error e) {
            inFlight.decrementAndGet();
            throw e;
        }
        String line = status.getOrDefault(host.name(), "healthy");
        return new TransportSession() {
            @Override
            public Map<String, ProbeResult> run(List<Probe> probes) {
                Map<String, ProbeResult> out = new LinkedHashMap<>();
                probes.forEach(p -> out.put(p.name(), new ProbeResult(p.command(), 0, line, "", 1, false)));
                return out;
            }

            @Override
            public Optional<String> hostKeyFingerprint() {
                return Optional.of("SHA256:" + host.name());
            }

            @Override
            public void close() {
                inFlight.decrementAndGet();
            }
        };
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(what + " (" + WAIT_SECONDS + " s)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted");
        }
    }
}
