package dev.chatops.adapters.ssh;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Authenticated connections kept open after their run for {@code ssh.keepAlive}, so that the next
 * run of the same host during an incident skips the handshake (what OpenSSH's ControlPersist
 * does). At most one idle connection per host entry. A run takes its host's connection out and
 * gives it back when it ends cleanly, so no two runs ever use one at the same time; a run that
 * finds none connects anew. A connection is closed once it has been idle for {@code keepAlive},
 * when the host entry's address, port, user, identity or jump host no longer match it, and on
 * {@link #close()}.
 */
final class KeptConnections implements AutoCloseable {

    /** What a connection was made for; it is reused only when all of it is the same. */
    record Key(String hostName, Endpoint target, Optional<Endpoint> jump, Path identityFile) {

        Key {
            requireNonNull(hostName, "hostName is null");
            requireNonNull(target, "target is null");
            requireNonNull(jump, "jump is null");
            requireNonNull(identityFile, "identityFile is null");
        }
    }

    /** An open connection to a host, through the jump host's own connection when there is one. */
    record Connection(SshConnector.Connected target, Optional<SshConnector.Connected> jump) {

        Connection {
            requireNonNull(target, "target is null");
            requireNonNull(jump, "jump is null");
        }

        boolean isConnected() {
            return target.session().isConnected() && jump.map(j -> j.session().isConnected()).orElse(true);
        }

        void disconnect() {
            target.session().disconnect();
            jump.ifPresent(j -> j.session().disconnect());
        }
    }

    private record Idle(Key key, Connection connection, long sinceNanos) {
    }

    private final Duration keepAlive;
    private final Ticker ticker;
    private final ScheduledExecutorService timer;
    private final Map<String, Idle> idle = new HashMap<>();
    private boolean closed;

    /** @param ticker the time source for idleness (tests move a fake one instead of waiting) */
    KeptConnections(Duration keepAlive, Ticker ticker) {
        this.keepAlive = requireNonNull(keepAlive, "keepAlive is null");
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("keepAlive must be positive, not " + keepAlive);
        }
        this.ticker = requireNonNull(ticker, "ticker is null");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ssh-keep-alive");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Takes the host's idle connection out, when there is one made for exactly this key, idle for
     * less than {@code keepAlive} and still connected; any other idle connection of the host is
     * closed. The caller owns what it gets: it gives it back or disconnects it.
     */
    Optional<Connection> take(Key key) {
        requireNonNull(key, "key is null");
        Idle found;
        synchronized (this) {
            found = idle.remove(key.hostName());
        }
        if (found == null) {
            return Optional.empty();
        }
        boolean usable = found.key().equals(key) && !expired(found, ticker.read())
                && found.connection().isConnected();
        if (!usable) {
            found.connection().disconnect();
            return Optional.empty();
        }
        return Optional.of(found.connection());
    }

    /**
     * Keeps a connection whose run ended cleanly for the host's next run. When the host already
     * has an idle one (two runs of it at once), the one given back last is kept.
     */
    void giveBack(Key key, Connection connection) {
        requireNonNull(key, "key is null");
        requireNonNull(connection, "connection is null");
        Idle replaced = null;
        boolean keep;
        synchronized (this) {
            keep = !closed && connection.isConnected();
            if (keep) {
                replaced = idle.put(key.hostName(), new Idle(key, connection, ticker.read()));
            }
        }
        if (!keep) {
            connection.disconnect();
            return;
        }
        if (replaced != null) {
            replaced.connection().disconnect();
        }
        try {
            timer.schedule(this::closeIdle, keepAlive.toMillis() + 50, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile: close() disconnects what is idle
        }
    }

    /** Closes every connection idle for {@code keepAlive} or longer (the timer runs this after each run). */
    void closeIdle() {
        long now = ticker.read();
        List<Idle> expired = new ArrayList<>();
        synchronized (this) {
            idle.values().removeIf(i -> {
                if (expired(i, now) || !i.connection().isConnected()) {
                    expired.add(i);
                    return true;
                }
                return false;
            });
        }
        expired.forEach(i -> i.connection().disconnect());
    }

    /** How many connections are idle now. */
    synchronized int idleCount() {
        return idle.size();
    }

    private boolean expired(Idle i, long now) {
        return now - i.sinceNanos() >= keepAlive.toNanos();
    }

    /** Closes every idle connection; a connection given back afterwards is closed at once. */
    @Override
    public void close() {
        List<Idle> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle.values());
            idle.clear();
        }
        timer.shutdownNow();
        all.forEach(i -> i.connection().disconnect());
    }
}
