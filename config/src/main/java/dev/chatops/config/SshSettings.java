package dev.chatops.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach hosts over SSH.
 *
 * @param identityPassphrase the private key's passphrase, from the environment; absent for none
 * @param runTimeout         the whole run on one host, all probes included
 * @param jumpHost           {@code [user@]host[:port]} of a bastion to tunnel through
 * @param keepAlive          how long a host's authenticated connection is kept open after a run for the
 *                           next run of that host; zero closes it at the end of each run
 */
public record SshSettings(String user, Path identityFile, Optional<Secret> identityPassphrase, Path knownHosts,
                          Duration connectTimeout, Duration commandTimeout, Duration runTimeout, boolean sudo,
                          Optional<String> jumpHost, Duration keepAlive) {

    /** The longest {@code keepAlive}: an idle authenticated session is not left open on a host for hours. */
    public static final Duration MAX_KEEP_ALIVE = Duration.ofHours(1);

    /** Settings that close each connection at the end of its run. */
    public SshSettings(String user, Path identityFile, Optional<Secret> identityPassphrase, Path knownHosts,
                       Duration connectTimeout, Duration commandTimeout, Duration runTimeout, boolean sudo,
                       Optional<String> jumpHost) {
        this(user, identityFile, identityPassphrase, knownHosts, connectTimeout, commandTimeout, runTimeout, sudo,
                jumpHost, Duration.ZERO);
    }

    public SshSettings {
        requireNonNull(user, "user is null");
        requireNonNull(identityFile, "identityFile is null");
        requireNonNull(identityPassphrase, "identityPassphrase is null");
        requireNonNull(knownHosts, "knownHosts is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(commandTimeout, "commandTimeout is null");
        requireNonNull(runTimeout, "runTimeout is null");
        requireNonNull(jumpHost, "jumpHost is null");
        requireNonNull(keepAlive, "keepAlive is null");
        if (keepAlive.isNegative() || keepAlive.compareTo(MAX_KEEP_ALIVE) > 0) {
            throw new IllegalArgumentException("keepAlive must be between 0 and 1h, not " + keepAlive);
        }
    }

    /** Whether connections outlive their run. */
    public boolean keepsConnections() {
        return !keepAlive.isZero();
    }
}
