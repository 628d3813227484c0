package dev.chatops.adapters.ssh;

import static java.util.Objects.requireNonNull;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host keys of one {@code known_hosts} file (plain, hashed and {@code [host]:port} entries, as
 * JSch parses them), read-only, remembering what the server offered and what the file said about
 * it. JSch refuses an unknown or changed key only while StrictHostKeyChecking is "yes"; the verdict
 * kept here lets the session refuse again on its own and explain the refusal with the offered
 * fingerprint.
 */
final class KnownHostsCheck implements HostKeyRepository {

    /** What the server offered and what the file said. */
    record Offer(String lookedUpAs, byte[] key, int verdict) {
        HostKeyFingerprint fingerprint() {
            return HostKeyFingerprint.of(key);
        }

        boolean known() {
            return verdict == OK;
        }
    }

    private final Path file;
    private final boolean fileExists;
    private final HostKeyRepository keys;
    private volatile Offer offer;

    private KnownHostsCheck(Path file, boolean fileExists, HostKeyRepository keys) {
        this.file = file;
        this.fileExists = fileExists;
        this.keys = keys;
    }

    /** Reads the file now; a missing file is an empty one (every host is then unknown). */
    static KnownHostsCheck load(Path file) throws IOException {
        requireNonNull(file, "file is null");
        byte[] text;
        boolean exists = true;
        try {
            text = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            text = new byte[0];
            exists = false;
        }
        // a private JSch instance: its known_hosts is the parser, never shared between sessions
        JSch parser = new JSch();
        try {
            parser.setKnownHosts(new ByteArrayInputStream(text));
        } catch (JSchException e) {
            throw new IOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
        return new KnownHostsCheck(file, exists, parser.getHostKeyRepository());
    }

    /** The same keys with nothing offered yet: one per connection attempt. */
    KnownHostsCheck fresh() {
        return new KnownHostsCheck(file, fileExists, keys);
    }

    Path file() {
        return file;
    }

    boolean fileExists() {
        return fileExists;
    }

    /** What the server offered on this connection, once the key exchange got that far. */
    Optional<Offer> offer() {
        return Optional.ofNullable(offer);
    }

    /** The fingerprints the file holds for that name (as looked up: {@code host} or {@code [host]:port}). */
    List<HostKeyFingerprint> knownFingerprints(String lookedUpAs) {
        List<HostKeyFingerprint> out = new ArrayList<>();
        HostKey[] known = keys.getHostKey(lookedUpAs, null);
        if (known != null) {
            for (HostKey k : known) {
                if (k.getMarker().isEmpty()) {
                    out.add(HostKeyFingerprint.ofBase64(k.getKey()));
                }
            }
        }
        return out;
    }

    /**
     * Whether the file still lists, unrevoked, the key a connection was verified with: a kept
     * connection is reused only while it does, so removing or revoking a key takes effect at once.
     */
    boolean stillTrusts(Offer earlier) {
        requireNonNull(earlier, "earlier is null");
        if (keys.check(earlier.lookedUpAs(), earlier.key()) != OK) {
            return false;
        }
        String offered = java.util.Base64.getEncoder().encodeToString(earlier.key());
        HostKey[] listed = keys.getHostKey(earlier.lookedUpAs(), null);
        if (listed != null) {
            for (HostKey k : listed) {
                if (k.getMarker().equals("@revoked") && k.getKey().equals(offered)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int check(String host, byte[] key) {
        int verdict = keys.check(host, key);
        offer = new Offer(host, key.clone(), verdict);
        return verdict;
    }

    /** Never writes: keys are added by people, with ssh-keyscan, after checking them. */
    @Override
    public void add(HostKey hostkey, UserInfo ui) {
    }

    @Override
    public void remove(String host, String type) {
    }

    @Override
    public void remove(String host, String type, byte[] key) {
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return file.toString();
    }

    @Override
    public HostKey[] getHostKey() {
        return keys.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return keys.getHostKey(host, type);
    }
}
