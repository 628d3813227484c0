package dev.chatops.adapters.ssh;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import com.jcraft.jsch.Channel;
import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
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
 * {@code knownHosts} before the bot authenticates, probes on parallel exec channels. With
 * {@code ssh.keepAlive} a run's connection is kept for that long and the host's next run reuses
 * it (see {@link KeptConnections}); {@link #close()} closes what is kept.
 *
 * <p>Every failure to connect is a {@link TransportException} whose message names the host and
 * says what to do: connection refused, timeout, unresolvable address, key refused, unknown or
 * changed host key (with the fingerprint offered and the {@code ssh-keyscan} line that adds it).
 */
public final class SshTransport implements Transport, AutoCloseable {

    /** The longest a kept connection may take to confirm a channel before the run connects anew. */
    private static final long LIVENESS_MILLIS = 2000;

    private final SshSettings settings;
    private final Optional<ConfigRepository> sshConfig;
    private final Optional<KeptConnections> kept;
    private final Object keyLock = new Object();
    private JSch jsch;
    private UserKey userKey;

    public SshTransport(SshSettings settings) {
        this(settings, Optional.empty(), Ticker.systemTicker());
    }

    /**
     * @param sshConfig OpenSSH client options JSch applies to each session (algorithms, keep-alive);
     *                  whatever they say, the host, port, known hosts and strict host key checking
     *                  stay the bot's own
     */
    SshTransport(SshSettings settings, Optional<ConfigRepository> sshConfig) {
        this(settings, sshConfig, Ticker.systemTicker());
    }

    /**
     * @param ticker    the time source for closing kept connections once idle for ssh.keepAlive
     */
    SshTransport(SshSettings settings, Optional<ConfigRepository> sshConfig, Ticker ticker) {
        this.settings = requireNonNull(settings, "settings is null");
        this.sshConfig = requireNonNull(sshConfig, "sshConfig is null");
        requireNonNull(ticker, "ticker is null");
        UserKey.requirePrivate(settings.identityFile());
        this.kept = settings.keepsConnections() ? Optional.of(new KeptConnections(settings.keepAlive(), ticker))
                : Optional.empty();
    }

    @Override
    public TransportSession open(Host host) throws TransportException {
        requireNonNull(host, "host is null");
        long runDeadline = System.nanoTime() + settings.runTimeout().toNanos();
        Endpoint target = endpoint(host);
        Optional<Endpoint> jumpHost = settings.jumpHost().map(spec -> Endpoint.jumpHost(spec, settings.user())
                .orElseThrow(() -> BotException.badInput("ssh.jumpHost `" + spec + "` is not [user@]host[:port]")));
        SshConnector connector = connector();
        if (kept.isEmpty()) {
            return session(target, connect(connector, target, jumpHost, runDeadline), SshSession.Release.CLOSE,
                    runDeadline);
        }
        KeptConnections pool = kept.get();
        KeptConnections.Key key = new KeptConnections.Key(host.name(), target, jumpHost, settings.identityFile());
        SshSession.Release giveBack = (connection, clean) -> {
            if (clean) {
                pool.giveBack(key, connection);
            } else {
                connection.disconnect();
            }
        };
        Optional<KeptConnections.Connection> reused = pool.take(key)
                .filter(c -> stillUsable(c, connector.knownHosts(), runDeadline));
        KeptConnections.Connection connection = reused.isPresent() ? reused.get()
                : connect(connector, target, jumpHost, runDeadline);
        return session(target, connection, giveBack, runDeadline);
    }

    private SshSession session(Endpoint target, KeptConnections.Connection connection, SshSession.Release release,
                               long runDeadline) {
        return new SshSession(target, connection, release, settings.connectTimeout(), settings.commandTimeout(),
                settings.runTimeout(), runDeadline, settings.sudo());
    }

    /** A new connection: TCP, key exchange, the host key checked against known_hosts, login. */
    private static KeptConnections.Connection connect(SshConnector connector, Endpoint target,
                                                      Optional<Endpoint> jumpHost, long runDeadline) {
        Optional<SshConnector.Connected> jump = Optional.empty();
        if (jumpHost.isPresent()) {
            jump = Optional.of(connector.connect(jumpHost.get(), Optional.empty(), runDeadline));
        }
        try {
            return new KeptConnections.Connection(connector.connect(target, jump, runDeadline), jump);
        } catch (RuntimeException e) {
            jump.ifPresent(j -> j.session().disconnect());
            throw e;
        }
    }

    /**
     * A kept connection is used again only while known_hosts still trusts the keys it was verified
     * with and the host still answers: opening (and closing) a channel is one round trip and starts
     * nothing on the host. Otherwise it is closed and the run connects anew.
     */
    private boolean stillUsable(KeptConnections.Connection c, KnownHostsCheck known, long runDeadline) {
        boolean trusted = known.stillTrusts(c.target().verified())
                && c.jump().map(j -> known.stillTrusts(j.verified())).orElse(true);
        // one round trip; a host that takes longer is better served by a new connection's own timeout
        long budgetMillis = Math.min(Math.min(settings.connectTimeout().toMillis(), LIVENESS_MILLIS),
                (runDeadline - System.nanoTime()) / 1_000_000);
        if (trusted && budgetMillis > 0) {
            try {
                Channel probe = c.target().session().openChannel("session");
                try {
                    probe.connect((int) budgetMillis);
                    return true;
                } finally {
                    probe.disconnect();
                }
            } catch (JSchException e) {
                // gone while it was kept (host restarted, connection dropped): connect anew below
            }
        }
        c.disconnect();
        return false;
    }

    /** Closes the connections kept for ssh.keepAlive; runs under way close theirs when they end. */
    @Override
    public void close() {
        kept.ifPresent(KeptConnections::close);
    }

    /** The connections kept now, for tests. */
    int keptConnections() {
        return kept.map(KeptConnections::idleCount).orElse(0);
    }

    /** Closes what has been idle for ssh.keepAlive now, as the timer would; for tests moving their ticker. */
    void closeIdle() {
        kept.ifPresent(KeptConnections::closeIdle);
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
