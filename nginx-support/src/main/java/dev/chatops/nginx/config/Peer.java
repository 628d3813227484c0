package dev.chatops.nginx.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * One address nginx may send a request to: a {@code server} of an upstream block, or the address
 * written directly in a {@code *_pass} directive.
 *
 * @param server the {@code server} directive in an upstream block; empty for a direct address
 */
public record Peer(Endpoint endpoint, Optional<Directive> server, boolean backup, boolean down, int maxFails,
                   Duration failTimeout) {

    public Peer {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(server, "server is null");
        requireNonNull(failTimeout, "failTimeout is null");
    }

    static Peer direct(Endpoint endpoint) {
        return new Peer(endpoint, Optional.empty(), false, false, 1, Duration.ofSeconds(10));
    }

    static Optional<Peer> ofServer(Directive d) {
        Optional<Endpoint> e = d.arg(0).flatMap(a -> Endpoint.parse(a, 80));
        if (e.isEmpty()) {
            return Optional.empty();
        }
        int maxFails = 1;
        Duration failTimeout = Duration.ofSeconds(10);
        boolean backup = false;
        boolean down = false;
        for (String a : d.args().subList(1, d.args().size())) {
            if (a.startsWith("max_fails=")) {
                try {
                    maxFails = Integer.parseInt(a.substring(10));
                } catch (NumberFormatException ignored) {
                    // nginx -t would have refused it; keep the default
                }
            } else if (a.startsWith("fail_timeout=")) {
                failTimeout = Units.time(a.substring(13)).orElse(failTimeout);
            } else if (a.equals("backup")) {
                backup = true;
            } else if (a.equals("down")) {
                down = true;
            }
        }
        return Optional.of(new Peer(e.get(), Optional.of(d), backup, down, maxFails, failTimeout));
    }
}
