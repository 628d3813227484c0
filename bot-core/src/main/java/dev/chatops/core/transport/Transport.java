package dev.chatops.core.transport;

import dev.chatops.core.host.Host;

/**
 * The port through which probes reach a host (SSH, a local process, a fake in tests).
 * Implementations live in the adapters.
 */
public interface Transport {

    /**
     * Opens one session to the host; all probes of one check run go through it.
     *
     * @throws TransportException when the host cannot be reached or refuses us; the message says
     *                            which host, why, and what to do
     */
    TransportSession open(Host host) throws TransportException;
}
