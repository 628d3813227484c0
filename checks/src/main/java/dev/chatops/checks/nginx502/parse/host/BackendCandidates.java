package dev.chatops.checks.nginx502.parse.host;

import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.NginxConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Listeners that could be the application nginx failed to reach: a likely backend program (not nginx, sshd
 * or other infrastructure), used by no nginx config on the host, of the same kind (php-fpm for FastCGI),
 * and close to the address nginx tried: the same port on another address, or a port at most 10 away.
 */
public final class BackendCandidates {

    private static final int NEAR = 10;

    private BackendCandidates() {
    }

    public static List<Listener> near(Listeners listeners, List<NginxConfig> configs, Endpoint tried, boolean fastcgi) {
        List<Endpoint> used = configs.stream().flatMap(c -> c.endpoints().stream()).toList();
        Set<Integer> nginxPorts = configs.stream().flatMap(c -> c.servers().stream()).flatMap(s -> s.ports().stream())
                .collect(Collectors.toSet());
        List<Listener> out = new ArrayList<>();
        for (Listener l : listeners.all()) {
            if (l.isUnix() != tried.isUnix()) {
                continue;
            }
            boolean php = l.programs().stream().anyMatch(p -> p.toLowerCase(Locale.ROOT).startsWith("php"));
            if (fastcgi != php) {
                continue;
            }
            if (l.programs().isEmpty() && !tried.isUnix() && l.port() != tried.port()) {
                // without process names, only a listener on the same port at another address is telling
                continue;
            }
            if (l.programs().stream().anyMatch(ProcessTable::isInfrastructure)) {
                continue;
            }
            if (!l.isUnix() && nginxPorts.contains(l.port())) {
                continue;
            }
            if (used.stream().anyMatch(l::serves)) {
                continue;
            }
            if (!tried.isUnix() && !fastcgi && Math.abs(l.port() - tried.port()) > NEAR) {
                continue;
            }
            out.add(l);
        }
        out.sort(Comparator.comparingInt(l -> l.isUnix() ? 0 : Math.abs(l.port() - tried.port())));
        return out;
    }

    /** The address a follow-up probe connects to for a candidate: its own, or the tried host on its port. */
    public static Endpoint endpointOf(Listener l, Endpoint tried) {
        if (l.isUnix()) {
            return Endpoint.unix(l.path().get());
        }
        String host = l.wildcard() ? tried.host() : l.address().contains(":") && !l.address().startsWith("[")
                ? "[" + l.address() + "]" : l.address();
        return Endpoint.tcp(host, l.port());
    }
}
