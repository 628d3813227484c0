package dev.chatops.core.host;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The hosts the bot may contact, by name, in configuration order. */
public final class Allowlist {

    private final Map<String, Host> hosts;
    private final List<Host> order;

    public Allowlist(Collection<Host> hosts) {
        requireNonNull(hosts, "hosts is null");
        Map<String, Host> byName = new LinkedHashMap<>();
        for (Host h : hosts) {
            if (byName.putIfAbsent(h.name(), h) != null) {
                throw new IllegalArgumentException("host " + h.name() + " is listed twice");
            }
        }
        this.hosts = Map.copyOf(byName);
        this.order = List.copyOf(byName.values());
    }

    public Optional<Host> find(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    public List<Host> all() {
        return order;
    }

    public List<String> names() {
        return order.stream().map(Host::name).toList();
    }

    public List<Host> tagged(String tag) {
        return order.stream().filter(h -> h.tags().contains(tag)).toList();
    }
}
