package dev.chatops.core.transport;

import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** One open connection to a host, shared by the probes of one check run. */
public interface TransportSession extends AutoCloseable {

    /**
     * Runs the probes (possibly in parallel) and returns their results keyed by probe name, in the
     * order given. A probe that fails, times out or exceeds its cap still has a result; only a
     * lost connection throws.
     */
    Map<String, ProbeResult> run(List<Probe> probes) throws TransportException;

    /**
     * Starts one probe and returns at once, for a run that starts follow-ups as results arrive. The future
     * completes with the probe's result as {@link #run} would give it, or exceptionally with a
     * {@link TransportException} when the connection is lost. Probes started this way run alongside each other.
     * The default runs the probe before it returns: a session that cannot run probes alongside still works, one
     * probe after the other.
     */
    default CompletableFuture<ProbeResult> start(Probe probe) {
        try {
            return CompletableFuture.completedFuture(run(List.of(probe)).get(probe.name()));
        } catch (TransportException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The host key fingerprint that was verified for this session, for the audit log. */
    default Optional<String> hostKeyFingerprint() {
        return Optional.empty();
    }

    @Override
    void close();
}
