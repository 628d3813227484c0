package dev.chatops.adapters.ssh;

import static java.util.Objects.requireNonNull;

import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.JSch;
import dev.chatops.config.SshSettings;
import dev.chatops.core.error.BotException;
import dev.chatops.core.host.Host;
import dev.chatops.core.transport.Transport;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportException.Reason;
import dev.chatops.core.transport.TransportSession;
import java.io.IOException;
import java.util.Optional;

/**
 * Reaches allowlisted hosts over SSH with the settings of the {@code ssh:} section: one
 * connection per check run (two with a jump host), the host key verified against
 * {@code knownHosts} before the bot authenticates, probes on parallel exec channels.
 *
 * <p>Every failure to connect is a {@link TransportException} whose message names the host and
 * says what to do: connection refused, timeout, unresolvable address, key refused, unknown or
 * changed host key (with the fingerprint offered and the {@code ssh-keyscan} line that adds it).
 */
public final class SshTransport implements Transport {

    private final SshSettings settings;
    private final Optional<ConfigRepository> sshConfig;
    private final Object keyLock = new Object();
    private JSch jsch;
    private UserKey userKey;

    public SshTransport(SshSettings settings) {
        this(settings, Optional.empty());
    }

    /**
     * @param sshConfig OpenSSH client options JSch applies to each session (algorithms, keep-alive);
     *                  whatever they say, the host, port, known hosts and strict host key checking
     *                  stay the bot's own
     */
    SshTransport(SshSettings settings, Optional<ConfigRepository> sshConfig) {
        this.settings = requireNonNull(settings, "settings is null");
        this.sshConfig = requireNonNull(sshConfig, "sshConfig is null");
        UserKey.requirePrivate(settings.identityFile());
    }

    @Override
    public TransportSession open(Host host) throws TransportException {
        requireNonNull(host, "host is null");
        long runDeadline = System.nanoTime() + settings.runTimeout().toNanos();
        Endpoint target = endpoint(host);
        Optional<Endpoint> jumpHost = settings.jumpHost().map(spec -> Endpoint.jumpHost(spec, settings.user())
                .orElseThrow(() -> BotException.badInput("ssh.jumpHost `" + spec + "` is not [user@]host[:port]")));
        SshConnector connector = connector();
        Optional<SshConnector.Connected> jump = Optional.empty();
        if (jumpHost.isPresent()) {
            jump = Optional.of(connector.connect(jumpHost.get(), Optional.empty(), runDeadline));
        }
        try {
            SshConnector.Connected connected = connector.connect(target, jump, runDeadline);
            return new SshSession(target, connected, jump.map(SshConnector.Connected::session),
                    settings.connectTimeout(), settings.commandTimeout(), settings.runTimeout(), runDeadline,
                    settings.sudo());
        } catch (RuntimeException e) {
            jump.ifPresent(j -> j.session().disconnect());
            throw e;
        }
    }

    /** Refuses, before any connection, an address that could be anything but one host. */
    private Endpoint endpoint(Host host) {
        try {
            return new Endpoint(host.name(), host.address(), host.port(), settings.user());
        } catch (IllegalArgumentException e) {
            throw BotException.badInput("refusing to contact " + host.name() + ": " + e.getMessage()
                    + "; fix hosts." + host.name() + " in the config (address: a host name or IP address)");
        }
    }

    private SshConnector connector() throws TransportException {
        JSch keyed;
        UserKey key;
        synchronized (keyLock) {
            if (jsch == null) {
                JSch fresh = new JSch();
                sshConfig.ifPresent(fresh::setConfigRepository);
                userKey = UserKey.addTo(fresh, settings.identityFile(), settings.identityPassphrase());
                jsch = fresh;
            }
            keyed = jsch;
            key = userKey;
        }
        KnownHostsCheck known;
        try {
            known = KnownHostsCheck.load(settings.knownHosts());
        } catch (IOException e) {
            throw new TransportException(Reason.HOST_KEY_UNKNOWN, "cannot read the known hosts file "
                    + settings.knownHosts() + " (" + e.getMessage() + "); the bot checks every host key against it, "
                    + "so it contacts no host until it can read it", e);
        }
        return new SshConnector(keyed, key, known, settings.connectTimeout());
    }
}
