package dev.chatops.adapters.ssh;

import static java.util.Objects.requireNonNull;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportException.Reason;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens one authenticated, host-verified SSH connection and turns every way that can fail into a
 * {@link TransportException} whose message names the host, what it offered and what to do.
 */
final class SshConnector {

    /** Fast, modern first; the rest only so that older servers still work. */
    static final String KEX = "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
            + "ecdh-sha2-nistp521,diffie-hellman-group14-sha256,diffie-hellman-group16-sha512,"
            + "diffie-hellman-group-exchange-sha256";
    static final String HOST_KEY_ALGORITHMS = "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
            + "ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256";
    static final String CIPHERS = "aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr";

    private final JSch jsch;
    private final UserKey userKey;
    private final KnownHostsCheck knownHosts;
    private final Duration connectTimeout;

    SshConnector(JSch jsch, UserKey userKey, KnownHostsCheck knownHosts, Duration connectTimeout) {
        this.jsch = requireNonNull(jsch, "jsch is null");
        this.userKey = requireNonNull(userKey, "userKey is null");
        this.knownHosts = requireNonNull(knownHosts, "knownHosts is null");
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
    }

    /**
     * Connects, directly or through the jump host's connection, and returns the session with the
     * fingerprint of the verified host key. The attempt ends by {@code deadlineNanos}
     * (System.nanoTime) at the latest.
     */
    Connected connect(Endpoint to, Optional<Connected> jump, long deadlineNanos) throws TransportException {
        Session session;
        try {
            session = jsch.getSession(to.user(), to.bareAddress(), to.port());
        } catch (JSchException e) {
            throw new TransportException(Reason.UNREACHABLE, "cannot set up an SSH session to " + to.describe() + ": "
                    + e.getMessage(), e);
        }
        KnownHostsCheck check = knownHosts.fresh();
        harden(session, to, check);
        jump.ifPresent(j -> session.setProxy(new DirectTcpipProxy(j.session())));
        try {
            // a host that stops answering mid-run is noticed and the connection dropped, not waited on
            session.setServerAliveInterval((int) Math.max(1000, connectTimeout.toMillis()));
            session.setServerAliveCountMax(2);
        } catch (JSchException e) {
            throw new IllegalStateException("JSch refused a positive keep-alive interval", e);
        }

        long budget = Math.min(connectTimeout.toNanos(), deadlineNanos - System.nanoTime());
        if (budget <= 0) {
            throw new TransportException(Reason.TIMEOUT, "no time was left to connect to " + to.describe()
                    + " within the run's time limit (ssh.runTimeout)");
        }
        AtomicBoolean cutOff = new AtomicBoolean();
        ScheduledFuture<?> watchdog = HandshakeWatchdog.after(budget, () -> {
            cutOff.set(true);
            session.disconnect();
        });
        try {
            session.connect((int) Math.max(1, budget / 1_000_000));
        } catch (JSchException e) {
            session.disconnect();
            throw explain(e, to, jump.map(Connected::endpoint), check, cutOff.get(), Duration.ofNanos(budget));
        } finally {
            watchdog.cancel(false);
        }
        if (cutOff.get() || !session.isConnected()) {
            session.disconnect();
            throw new TransportException(Reason.TIMEOUT, to.describe() + " did not complete the SSH handshake within "
                    + DurationText.of(Duration.ofNanos(budget)) + "; check that sshd there is healthy, or raise "
                    + "ssh.connectTimeout");
        }
        // JSch only refuses while StrictHostKeyChecking is "yes"; check again without relying on it
        Optional<KnownHostsCheck.Offer> offer = check.offer();
        if (offer.isEmpty() || !offer.get().known()) {
            session.disconnect();
            throw hostKeyRefused(to, check, offer);
        }
        return new Connected(to, session, offer.get());
    }

    /** The known hosts this connector verifies against, as read for this run. */
    KnownHostsCheck knownHosts() {
        return knownHosts;
    }

    /** A connected session and the host key that was verified for it. */
    record Connected(Endpoint endpoint, Session session, KnownHostsCheck.Offer verified) {

        HostKeyFingerprint hostKey() {
            return verified.fingerprint();
        }
    }

    /**
     * Settings that hold whatever JSch's global defaults or an ssh config said: applied after
     * {@code getSession} (which applies config), StrictHostKeyChecking last of all. JSch treats any
     * value other than yes/ask/no (OpenSSH's {@code accept-new}, {@code off}) like "no" for changed
     * keys and silently accepts them.
     */
    static void harden(Session session, Endpoint to, KnownHostsCheck check) {
        // an ssh config may have redirected the session (Hostname, Port, HostKeyAlias, UserKnownHostsFile)
        session.setHost(to.bareAddress());
        session.setPort(to.port());
        session.setHostKeyAlias(null);
        session.setHostKeyRepository(check);
        session.setUserInfo(null);
        session.setConfig("kex", KEX);
        // JSch would otherwise make throwaway curve25519 and curve448 key pairs before every connection to see
        // whether this runtime has them; Java 17, which the bot requires, has every algorithm of KEX
        session.setConfig("CheckKexes", "");
        session.setConfig("server_host_key", HOST_KEY_ALGORITHMS);
        session.setConfig("prefer_known_host_key_types", "yes");
        session.setConfig("cipher.c2s", CIPHERS);
        session.setConfig("cipher.s2c", CIPHERS);
        session.setConfig("compression.c2s", "none");
        session.setConfig("compression.s2c", "none");
        session.setConfig("PreferredAuthentications", "publickey");
        session.setConfig("HashKnownHosts", "no");
        session.setConfig("ClearAllForwardings", "yes");
        session.setConfig("StrictHostKeyChecking", "yes");
    }

    private TransportException explain(JSchException e, Endpoint to, Optional<Endpoint> jump, KnownHostsCheck check,
                                       boolean cutOff, Duration budget) {
        Optional<KnownHostsCheck.Offer> offer = check.offer();
        if (offer.isPresent() && !offer.get().known()) {
            return hostKeyRefused(to, check, offer);
        }
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("revoked HostKey")) {
            return new TransportException(Reason.HOST_KEY_CHANGED, to.describe() + " offered the host key "
                    + offer.map(o -> o.fingerprint().toString()).orElse("") + ", which " + check.file()
                    + " marks @revoked; the bot refuses it: install a new host key on the host and add that one", e);
        }
        if (message.startsWith("Auth fail") || message.startsWith("Auth cancel")) {
            return new TransportException(Reason.AUTH_FAILED, to.describe() + " refused the bot's key "
                    + userKey.file() + " (" + userKey.fingerprint() + ") for user " + to.user() + "; add "
                    + userKey.file() + ".pub to ~" + to.user() + "/.ssh/authorized_keys there (ssh-copy-id -i "
                    + userKey.file() + ".pub -p " + to.port() + " " + to.user() + "@" + to.bareAddress()
                    + "), or check ssh.user and ssh.identityFile", e);
        }
        if (jump.isPresent() && message.contains("channel is not opened")) {
            return new TransportException(Reason.UNREACHABLE, jump.get().describe() + " could not open a connection "
                    + "to " + to.describe() + ": nothing listens there, it is unreachable from the jump host, or "
                    + "the jump host forbids forwarding (AllowTcpForwarding, PermitOpen)", e);
        }
        Throwable cause = rootCause(e);
        if (cause instanceof ConnectException) {
            return new TransportException(Reason.CONNECTION_REFUSED, to.describe() + " refused the connection: "
                    + "nothing listens on port " + to.port() + "; check that sshd runs there and that the port "
                    + "in the config is right", e);
        }
        if (cause instanceof UnknownHostException) {
            return new TransportException(Reason.UNREACHABLE, "cannot resolve the address " + to.bareAddress()
                    + " of " + to.label() + "; check its address: in the config and DNS", e);
        }
        if (cause instanceof NoRouteToHostException) {
            return new TransportException(Reason.UNREACHABLE, to.describe() + " is unreachable (no route to host); "
                    + "check the address, the network path and firewalls", e);
        }
        if (cause instanceof SocketTimeoutException || message.startsWith("timeout: socket is not established")) {
            return new TransportException(Reason.TIMEOUT, to.describe() + " did not answer within "
                    + DurationText.of(budget) + " (ssh.connectTimeout); check the address, firewalls and that "
                    + "the host is up", e);
        }
        if (cutOff) {
            return new TransportException(Reason.TIMEOUT, to.describe() + " did not complete the SSH handshake "
                    + "within " + DurationText.of(budget) + "; check that sshd there is healthy, or raise "
                    + "ssh.connectTimeout", e);
        }
        if (e instanceof com.jcraft.jsch.JSchAlgoNegoFailException) {
            return new TransportException(Reason.UNREACHABLE, to.describe() + " and the bot share no SSH algorithm ("
                    + message + "); the bot needs an OpenSSH 7.3 or newer server (curve25519, ed25519 or rsa-sha2)", e);
        }
        if (message.contains("closed by foreign host") || message.contains("Connection reset")
                || message.contains("End of IO Stream")) {
            return new TransportException(Reason.UNREACHABLE, to.describe() + " closed the connection during the "
                    + "SSH handshake; check sshd's log there (MaxStartups, AllowUsers, firewall or tcp wrappers)", e);
        }
        return new TransportException(Reason.UNREACHABLE, "cannot connect to " + to.describe() + " over SSH: "
                + message, e);
    }

    private TransportException hostKeyRefused(Endpoint to, KnownHostsCheck check,
                                              Optional<KnownHostsCheck.Offer> offer) {
        if (offer.isEmpty()) {
            return new TransportException(Reason.HOST_KEY_UNKNOWN, to.describe() + " was not checked against "
                    + check.file() + " (no host key was offered), so the bot refuses it");
        }
        HostKeyFingerprint offered = offer.get().fingerprint();
        String keyscan = to.keyscan(offered.keyscanType(), check.file().toString());
        String hostSide = "ssh-keygen -lf /etc/ssh/ssh_host_" + offered.keyscanType() + "_key.pub";
        if (offer.get().verdict() == KnownHostsCheck.CHANGED) {
            List<HostKeyFingerprint> known = check.knownFingerprints(offer.get().lookedUpAs()).stream()
                    .filter(f -> f.type().equals(offered.type())).toList();
            return new TransportException(Reason.HOST_KEY_CHANGED, "the host key of " + to.describe()
                    + " has CHANGED: it offered " + offered + " but " + check.file() + " lists "
                    + (known.isEmpty() ? "another key" : known.stream().map(HostKeyFingerprint::sha256)
                    .reduce((a, b) -> a + ", " + b).orElse("")) + " for " + offer.get().lookedUpAs()
                    + ", so the bot refuses to connect (the host may have been reinstalled, or someone is "
                    + "intercepting the connection); compare with `" + hostSide + "` on the host and, only if it "
                    + "matches, replace the entry: ssh-keygen -R '" + offer.get().lookedUpAs() + "' -f "
                    + check.file() + " && " + keyscan);
        }
        String whereNot = check.fileExists() ? check.file() + " does not list it"
                : check.file() + " does not exist";
        return new TransportException(Reason.HOST_KEY_UNKNOWN, to.describe() + " offered the unknown host key "
                + offered + " (" + whereNot + "), so the bot refuses to connect; check it against `" + hostSide
                + "` on the host and, if it matches, add it with: " + keyscan);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
