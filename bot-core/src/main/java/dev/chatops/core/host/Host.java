package dev.chatops.core.host;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of the allowlist: the only hosts the bot ever contacts.
 *
 * @param name      the name users type, e.g. {@code web-03}
 * @param address   where to connect (name or IP); for local hosts, informational
 * @param port      the SSH port
 * @param tags      for schedules and for finding a host's siblings, e.g. {@code web}; in the order
 *                  configured, the first naming the group a host belongs to most
 * @param transport how probes reach the host
 */
public record Host(String name, String address, int port, Set<String> tags, TransportKind transport) {

    /** What a host name may look like; anything else is refused before any lookup. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    public enum TransportKind { SSH, LOCAL }

    public Host {
        requireNonNull(name, "name is null");
        requireNonNull(address, "address is null");
        requireNonNull(transport, "transport is null");
        // kept in order: the first tag is the one "check siblings" goes by
        if (requireNonNull(tags, "tags is null").stream().anyMatch(t -> t == null)) {
            throw new NullPointerException("a tag is null");
        }
        tags = Collections.unmodifiableSet(new LinkedHashSet<>(tags));
        if (!isValidName(name)) {
            throw new IllegalArgumentException("host name " + name + " may only hold letters, digits, '.', '_' and '-'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535");
        }
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static Host local(String name) {
        return new Host(name, "localhost", 22, Set.of(), TransportKind.LOCAL);
    }

    public static Host ssh(String name, String address, int port, Set<String> tags) {
        return new Host(name, address, port, tags, TransportKind.SSH);
    }
}
