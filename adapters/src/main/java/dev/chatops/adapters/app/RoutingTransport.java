package dev.chatops.adapters.app;

import static java.util.Objects.requireNonNull;

import dev.chatops.adapters.ssh.SshTransport;
import dev.chatops.core.host.Host;
import dev.chatops.core.transport.Transport;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportSession;
import java.util.Map;

/** Sends each host to the transport its allowlist entry names (SSH or local); closing it closes them. */
public final class RoutingTransport implements Transport, AutoCloseable {

    private final Map<Host.TransportKind, Transport> transports;

    public RoutingTransport(Map<Host.TransportKind, Transport> transports) {
        this.transports = Map.copyOf(requireNonNull(transports, "transports is null"));
    }

    @Override
    public TransportSession open(Host host) throws TransportException {
        Transport t = transports.get(host.transport());
        if (t == null) {
            throw new TransportException(TransportException.Reason.UNREACHABLE, "host " + host.name() + " is reached over "
                    + host.transport().name().toLowerCase(java.util.Locale.ROOT) + ", which is not configured; "
                    + "add an ssh: section to the config");
        }
        return t.open(host);
    }

    /** Closes the transports that hold something open (the SSH connections kept for ssh.keepAlive). */
    @Override
    public void close() {
        for (Transport t : transports.values()) {
            if (t instanceof SshTransport ssh) {
                ssh.close();
            }
        }
    }
}
