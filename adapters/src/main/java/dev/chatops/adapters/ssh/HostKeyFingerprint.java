package dev.chatops.adapters.ssh;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A public key as OpenSSH shows it: the key type and the SHA-256 of the key blob in unpadded base64,
 * e.g. {@code ssh-ed25519 SHA256:BpMJlX0xCN533LwuEfW150LFDgobIauvI4/dRC5H5T0}, so it can be compared
 * with what {@code ssh-keygen -lf} prints on the host.
 *
 * @param type   the key type named inside the blob, e.g. {@code ssh-ed25519}, {@code ssh-rsa}
 * @param sha256 {@code SHA256:} followed by the unpadded base64 digest
 */
record HostKeyFingerprint(String type, String sha256) {

    HostKeyFingerprint {
        requireNonNull(type, "type is null");
        requireNonNull(sha256, "sha256 is null");
    }

    /** The fingerprint of an SSH wire-format public key blob. */
    static HostKeyFingerprint of(byte[] blob) {
        requireNonNull(blob, "blob is null");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return new HostKeyFingerprint(typeOf(blob),
                    "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The fingerprint of a key as written in known_hosts or a .pub file (base64 of the blob). */
    static HostKeyFingerprint ofBase64(String base64Blob) {
        return of(Base64.getDecoder().decode(base64Blob));
    }

    /** The short type name ssh-keyscan's {@code -t} takes: ed25519, rsa, ecdsa. */
    String keyscanType() {
        if (type.startsWith("ssh-ed25519")) {
            return "ed25519";
        }
        if (type.startsWith("ecdsa-")) {
            return "ecdsa";
        }
        if (type.startsWith("ssh-rsa")) {
            return "rsa";
        }
        if (type.startsWith("ssh-dss")) {
            return "dsa";
        }
        return type;
    }

    private static String typeOf(byte[] blob) {
        // the blob starts with the key type as an SSH string: uint32 length, then the name
        if (blob.length < 4) {
            return "unknown";
        }
        int len = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (len <= 0 || len > 64 || blob.length < 4 + len) {
            return "unknown";
        }
        return new String(blob, 4, len, StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return type + " " + sha256;
    }
}
