package dev.chatops.adapters.ssh;

import static java.util.Objects.requireNonNull;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import dev.chatops.config.ConfigException;
import dev.chatops.config.Secret;
import dev.chatops.core.error.BotException;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The bot's private key (OpenSSH or PEM format; ed25519, ECDSA or RSA), loaded once and checked
 * before any host is contacted, so a missing file or a wrong passphrase is reported as such and not
 * as a host refusing us.
 *
 * @param file        the private key file
 * @param fingerprint the public half, to name in "the host refused our key" messages
 */
record UserKey(Path file, HostKeyFingerprint fingerprint) {

    UserKey {
        requireNonNull(file, "file is null");
        requireNonNull(fingerprint, "fingerprint is null");
    }

    /** Checks the key and hands it to JSch for public key authentication. */
    static UserKey addTo(JSch jsch, Path file, Optional<Secret> passphrase) throws TransportException {
        if (!Files.isRegularFile(file)) {
            throw refused("the SSH key " + file + " does not exist; create it with `ssh-keygen -t ed25519 -f " + file
                    + "` and add " + file + ".pub to the hosts' authorized_keys (see docs/ssh.md)");
        }
        if (!Files.isReadable(file)) {
            throw refused("the SSH key " + file + " cannot be read by this process; make it readable by the bot's user "
                    + "only (chmod 600)");
        }
        requirePrivate(file);
        KeyPair pair;
        try {
            pair = KeyPair.load(jsch, file.toString());
        } catch (JSchException e) {
            throw refused("the SSH key " + file + " is not a private key JSch can read (" + e.getMessage()
                    + "); use an OpenSSH key made with `ssh-keygen -t ed25519`");
        }
        byte[] secret = null;
        try {
            if (pair.isEncrypted()) {
                secret = passphrase(file, passphrase);
                if (!pair.decrypt(secret)) {
                    throw refused("the passphrase for the SSH key " + file + " is wrong; check the variable "
                            + "ssh.identityPassphrase names");
                }
            }
            HostKeyFingerprint fingerprint = HostKeyFingerprint.of(pair.getPublicKeyBlob());
            jsch.addIdentity(file.toString(), secret);
            return new UserKey(file, fingerprint);
        } catch (JSchException e) {
            throw refused("cannot use the SSH key " + file + ": " + e.getMessage());
        } finally {
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
            pair.dispose();
        }
    }

    /**
     * Refuses a key file that its group or others may read or change, as OpenSSH refuses an
     * "UNPROTECTED PRIVATE KEY FILE": such a key may already be copied, and a bot that used it would
     * hide the problem from whoever runs {@code ssh} by hand. Checked when the transport is built and
     * again before each first use, so it is a configuration error (exit code 2), never a host refusing us.
     *
     * @throws BotException (bad input) with the chmod that fixes it; nothing when the file is absent or
     *                      the file system has no POSIX permissions
     */
    static void requirePrivate(Path file) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return; // absent or unreadable: addTo says so in its own words
        }
        Set<PosixFilePermission> others = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        if (!Collections.disjoint(perms, others)) {
            throw BotException.badInput("the SSH key " + file + " is accessible by others (permissions "
                    + PosixFilePermissions.toString(perms) + "), an UNPROTECTED PRIVATE KEY FILE that OpenSSH would "
                    + "refuse and so does the bot; run chmod 600 " + file);
        }
    }

    private static byte[] passphrase(Path file, Optional<Secret> configured) throws TransportException {
        Secret secret = configured.orElseThrow(() -> refused("the SSH key " + file + " is protected by a passphrase, "
                + "but ssh.identityPassphrase is not set; add identityPassphrase: ${CHATOPS_SSH_PASSPHRASE} to the "
                + "ssh: section and export that variable"));
        try {
            return secret.require().getBytes(StandardCharsets.UTF_8);
        } catch (ConfigException e) {
            throw refused("the SSH key " + file + " is protected by a passphrase, but " + e.getMessage());
        }
    }

    private static TransportException refused(String message) {
        return new TransportException(Reason.AUTH_FAILED, message);
    }
}
