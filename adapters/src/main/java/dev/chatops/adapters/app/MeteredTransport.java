package dev.chatops.adapters.app;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.host.Host;
import dev.chatops.core.metrics.Metrics;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.Transport;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportSession;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts, by reason, the connections that fail and the sessions that are lost, then passes the
 * failure on unchanged: the run still reports the host unreachable with the transport's sentence.
 */
final class MeteredTransport implements Transport {

    private final Transport inner;
    private final Metrics metrics;

    MeteredTransport(Transport inner, Metrics metrics) {
        this.inner = requireNonNull(inner, "inner is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    @Override
    public TransportSession open(Host host) throws TransportException {
        TransportSession session;
        try {
            session = inner.open(host);
        } catch (TransportException e) {
            metrics.transportFailure(host.transport(), e.reason());
            throw e;
        }
        AtomicBoolean lostCounted = new AtomicBoolean();
        return new TransportSession() {
            @Override
            public Map<String, ProbeResult> run(List<Probe> probes) throws TransportException {
                try {
                    return session.run(probes);
                } catch (TransportException e) {
                    metrics.transportFailure(host.transport(), e.reason());
                    throw e;
                }
            }

            @Override
            public CompletableFuture<ProbeResult> start(Probe probe) {
                // every probe running when a connection drops fails with it: the loss counts once
                return session.start(probe).whenComplete((r, error) -> {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof TransportException e && lostCounted.compareAndSet(false, true)) {
                        metrics.transportFailure(host.transport(), e.reason());
                    }
                });
            }

            @Override
            public Optional<String> hostKeyFingerprint() {
                return session.hostKeyFingerprint();
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }
}
