package dev.chatops.nginx.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@code server {...}} block of the http context: its names, listens and locations. */
public final class ServerBlock {

    private final Directive directive;
    private final Directive http;
    private final List<String> names;
    private final List<Listen> listens;
    private final List<LocationBlock> locations = new ArrayList<>();

    ServerBlock(Directive directive, Directive http) {
        this.directive = requireNonNull(directive, "directive is null");
        this.http = requireNonNull(http, "http is null");
        this.names = directive.all("server_name").stream().flatMap(d -> d.args().stream()).toList();
        List<Listen> ls = directive.all("listen").stream().map(Listen::of).toList();
        this.listens = ls.isEmpty() ? List.of() : ls;
        for (Directive d : directive.children()) {
            if (d.name().equals("location") && d.block()) {
                locations.add(new LocationBlock(d, this, Optional.empty()));
            }
        }
    }

    public Directive directive() {
        return directive;
    }

    public Directive http() {
        return http;
    }

    public List<String> names() {
        return names;
    }

    /** The name nginx logs as {@code server:} — the first {@code server_name}, or empty. */
    public String primaryName() {
        return names.isEmpty() ? "" : names.get(0);
    }

    public List<Listen> listens() {
        return listens;
    }

    public List<Integer> ports() {
        return listens.isEmpty() ? List.of(80) : listens.stream().map(Listen::port).distinct().toList();
    }

    public boolean isDefaultFor(int port) {
        return listens.stream().anyMatch(l -> l.port() == port && l.defaultServer());
    }

    public List<LocationBlock> locations() {
        return List.copyOf(locations);
    }

    /** Every location, nested ones included, in the order written. */
    public List<LocationBlock> allLocations() {
        List<LocationBlock> out = new ArrayList<>();
        for (LocationBlock l : locations) {
            l.collect(out);
        }
        return out;
    }

    /** The innermost-first chain of blocks whose directives apply to the server itself: server, http. */
    public List<Directive> scope() {
        return List.of(directive, http);
    }

    /** How people know this server: its first name and first port, e.g. {@code shop.example.com:80}. */
    public String label() {
        String name = primaryName().isEmpty() || primaryName().equals("_") ? "default server" : primaryName();
        return name + " (port " + ports().get(0) + ", " + directive.file() + ":" + directive.line() + ")";
    }

    public String shortLabel() {
        return primaryName().isEmpty() || primaryName().equals("_") ? "the server on port " + ports().get(0)
                : primaryName();
    }

    @Override
    public String toString() {
        return label();
    }
}
