package dev.chatops.checks.nginx502.fix;

import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.LocationBlock;
import dev.chatops.nginx.config.NginxConfig;
import dev.chatops.nginx.config.PassTarget;
import dev.chatops.nginx.config.Peer;
import dev.chatops.nginx.config.ServerBlock;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Location;
import java.util.Optional;

/**
 * Where a fix goes in the config. A directive that tunes the requests that failed goes in the location
 * that served them: on the line of the same directive when that location already sets it (replace it),
 * else beside the location's {@code *_pass} directive (add it there). An address is changed where it is
 * written: the upstream's {@code server} line, the {@code set} line of a variable, or the pass directive.
 */
public final class Places {

    private Places() {
    }

    /** The place for {@code name} in a location: its own line if the location sets it, else the pass line. */
    public static Optional<Location> inLocation(Optional<LocationBlock> location, Optional<PassTarget> target,
                                                String name) {
        if (location.isPresent()) {
            Optional<Directive> own = own(location.get().directive(), name);
            if (own.isPresent()) {
                return Optional.of(own.get().at());
            }
        }
        if (target.isPresent()) {
            return Optional.of(target.get().directive().at());
        }
        return location.map(l -> l.directive().at());
    }

    /** The directive as the location currently has it (set there, or inherited), if any. */
    public static Optional<Directive> effective(Optional<LocationBlock> location, Optional<ServerBlock> server,
                                                String name) {
        if (location.isPresent()) {
            return NginxConfig.effective(location.get().scope(), name);
        }
        return server.flatMap(s -> NginxConfig.effective(s.scope(), name));
    }

    private static Optional<Directive> own(Directive block, String name) {
        Optional<Directive> d = block.last(name);
        if (d.isPresent()) {
            return d;
        }
        for (Directive c : block.children()) {
            if (c.block() && (c.name().equals("if") || c.name().equals("limit_except"))) {
                Optional<Directive> inner = c.last(name);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    /** The directive where the address nginx used is written. */
    public static Optional<Directive> addressDirective(Optional<PassTarget> target, Optional<Peer> peer) {
        if (peer.isPresent() && peer.get().server().isPresent()) {
            return peer.get().server();
        }
        if (target.isEmpty()) {
            return Optional.empty();
        }
        if (target.get().variable().isPresent() && target.get().variable().get().name().equals("set")) {
            return target.get().variable();
        }
        return Optional.of(target.get().directive());
    }

    /**
     * For causes whose remedy lies in the backend: where the address nginx used is written, so the
     * engineer sees which directive sends these requests there (and changes it if the backend moved).
     */
    public static Optional<Fix> addressReference(Optional<PassTarget> target, Optional<Peer> peer, String address) {
        return addressDirective(target, peer).map(d -> Fix.directive(d.text() + "    # sends these requests to "
                + address + "; change it only if the backend has moved", d.at()));
    }

    /** The same directive with one address replaced by another, as it would be written. */
    public static String replaceAddress(Directive d, String oldAddress, String newAddress) {
        String text = d.text();
        if (text.contains(oldAddress)) {
            return text.replace(oldAddress, newAddress);
        }
        return text;
    }

    /** A main-context directive: its own line, else the line of {@code worker_processes}, else the first line. */
    public static Location mainContext(NginxConfig config, String name) {
        return config.mainDirective(name).map(Directive::at)
                .or(() -> config.mainDirective("worker_processes").map(Directive::at))
                .or(() -> config.main().stream().findFirst().map(Directive::at))
                .orElse(new Location(config.mainFile().isEmpty() ? "nginx.conf" : config.mainFile(), 1));
    }

    /** {@code worker_connections} in the events block, else the events block itself. */
    public static Location events(NginxConfig config) {
        return config.events().flatMap(e -> e.last("worker_connections").map(Directive::at)
                .or(() -> Optional.of(e.at()))).orElse(mainContext(config, "events"));
    }
}
