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
 */
public record SshSettings(String user, Path identityFile, Optional<Secret> identityPassphrase, Path knownHosts,
                          Duration connectTimeout, Duration commandTimeout, Duration runTimeout, boolean sudo,
                          Optional<String> jumpHost) {

    public SshSettings {
        requireNonNull(user, "user is null");
        requireNonNull(identityFile, "identityFile is null");
        requireNonNull(identityPassphrase, "identityPassphrase is null");
        requireNonNull(knownHosts, "knownHosts is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(commandTimeout, "commandTimeout is null");
        requireNonNull(runTimeout, "runTimeout is null");
        requireNonNull(jumpHost, "jumpHost is null");
    }
}
