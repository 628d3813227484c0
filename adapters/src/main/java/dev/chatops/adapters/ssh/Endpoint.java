package dev.chatops.adapters.ssh;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SSH server the bot logs in to: a host of the allowlist, or the jump host in front of it.
 *
 * @param label   how messages name it: the allowlist name, or {@code jump host bastion}
 * @param address the name or IP connected to, and looked up in known_hosts
 * @param port    the SSH port
 * @param user    the login name
 */
record Endpoint(String label, String address, int port, String user) {

    /**
     * What an address may look like: a DNS name, IPv4, or a bracketed IPv6 literal. Nothing here can
     * be a shell metacharacter, an option (no leading '-') or a second word.
     */
    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}]|[0-9A-Fa-f:.]{2,45}");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    private static final Pattern JUMP = Pattern.compile("(?:([a-z_][a-z0-9_.-]{0,31})@)?([A-Za-z0-9._-]{1,253})(?::(\\d{1,5}))?");

    Endpoint {
        requireNonNull(label, "label is null");
        requireNonNull(address, "address is null");
        requireNonNull(user, "user is null");
        if (!isValidAddress(address)) {
            throw new IllegalArgumentException(label + ": `" + address + "` is not a host name or IP address");
        }
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException(label + ": `" + user + "` is not a user name");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(label + ": port must be 1-65535, not " + port);
        }
    }

    static boolean isValidAddress(String address) {
        return address != null && ADDRESS.matcher(address).matches();
    }

    /** The jump host of {@code ssh.jumpHost}: {@code [user@]host[:port]}; user defaults to the bot's. */
    static Optional<Endpoint> jumpHost(String spec, String defaultUser) {
        Matcher m = JUMP.matcher(spec);
        if (!m.matches()) {
            return Optional.empty();
        }
        int port = m.group(3) == null ? 22 : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        String user = m.group(1) == null ? defaultUser : m.group(1);
        return Optional.of(new Endpoint("jump host " + m.group(2), m.group(2), port, user));
    }

    /** The address without IPv6 brackets, as sockets and JSch take it. */
    String bareAddress() {
        return address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
    }

    /** How known_hosts names this server, as OpenSSH and ssh-keyscan write it. */
    String knownHostsName() {
        return port == 22 ? bareAddress() : "[" + bareAddress() + "]:" + port;
    }

    /** For messages: {@code web-03 (10.0.3.13:22)}. */
    String describe() {
        return label + " (" + address + ":" + port + ")";
    }

    /** The ssh-keyscan command that prints this server's key of that type, appended to the file. */
    String keyscan(String type, String knownHostsFile) {
        return "ssh-keyscan -p " + port + (type.isEmpty() ? "" : " -t " + type) + " " + bareAddress() + " >> "
                + knownHostsFile;
    }
}
