package dev.chatops.adapters.slack;

import dev.chatops.core.host.Host;
import dev.chatops.core.transport.Transport;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportSession;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A transport that holds every check at the door until the test opens the gate, so a test can
 * look at what Slack saw while the check is still running. Open by default.
 */
final class GatedTransport implements Transport {

    private final Transport inner;
    private final CountDownLatch gate;
    private final CountDownLatch arrived = new CountDownLatch(1);
    private volatile RuntimeException bug;

    GatedTransport(Transport inner, boolean closed) {
        this.inner = inner;
        this.gate = new CountDownLatch(closed ? 1 : 0);
    }

    void open() {
        gate.countDown();
    }

    /** Waits until a check has reached the gate. */
    boolean awaitArrival(long seconds) throws InterruptedException {
        return arrived.await(seconds, TimeUnit.SECONDS);
    }

    boolean isClosed() {
        return gate.getCount() > 0;
    }

    /** Sessions fail with {@code bug}, as a transport with a bug in it would: not a host that is unreachable. */
    void breakWith(RuntimeException bug) {
        this.bug = bug;
    }

    @Override
    public TransportSession open(Host host) throws TransportException {
        arrived.countDown();
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new TransportException(TransportException.Reason.UNREACHABLE, "test gate never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(TransportException.Reason.UNREACHABLE, "interrupted at the test gate");
        }
        RuntimeException b = bug;
        if (b != null) {
            throw b;
        }
        return inner.open(host);
    }
}
