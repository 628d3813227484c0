package dev.chatops.core.transport;

import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One open connection to a host, shared by the probes of one check run. */
public interface TransportSession extends AutoCloseable {

    /**
     * Runs the probes (possibly in parallel) and returns their results keyed by probe name, in the
     * order given. A probe that fails, times out or exceeds its cap still has a result; only a
     * lost connection throws.
     */
    Map<String, ProbeResult> run(List<Probe> probes) throws TransportException;

    /** The host key fingerprint that was verified for this session, for the audit log. */
    default Optional<String> hostKeyFingerprint() {
        return Optional.empty();
    }

    @Override
    void close();
}
