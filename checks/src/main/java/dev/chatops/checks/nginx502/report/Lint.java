package dev.chatops.checks.nginx502.report;

import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.LocationBlock;
import dev.chatops.nginx.config.NginxConfig;
import dev.chatops.nginx.config.ServerBlock;
import dev.chatops.nginx.config.Units;
import dev.chatops.nginx.config.UpstreamBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Config findings that are not a cause on their own but make 502s likelier or harder to read: keepalive
 * that is never used, logs without upstream fields, WebSocket locations without upgrade headers,
 * certificate checks turned off.
 */
final class Lint {

    private static final int MAX = 4;

    private Lint() {
    }

    static List<String> notes(NginxConfig config) {
        Set<String> out = new LinkedHashSet<>();
        for (NginxConfig.Routed r : config.routes()) {
            Optional<UpstreamBlock> up = r.target().upstream();
            List<Directive> scope = r.location().scope();
            if (up.isPresent() && up.get().keepalive().isPresent() && r.target().module().equals("proxy")) {
                boolean v11 = NginxConfig.effective(scope, "proxy_http_version").flatMap(d -> d.arg(0))
                        .map("1.1"::equals).orElse(false);
                boolean connection = NginxConfig.effectiveAll(scope, "proxy_set_header").stream()
                        .anyMatch(d -> d.arg(0).map(h -> h.equalsIgnoreCase("Connection")).orElse(false)
                                && d.arg(1).map(v -> v.isEmpty() || v.equals("\"\"")).orElse(false));
                if (!v11 || !connection) {
                    out.add("upstream " + up.get().name() + " has keepalive (" + up.get().keepalive().get().file() + ":"
                            + up.get().keepalive().get().line() + ") but " + r.location().label() + " ("
                            + r.location().directive().file() + ":" + r.location().directive().line() + ") lacks "
                            + (v11 ? "" : "proxy_http_version 1.1") + (v11 || connection ? "" : " and ")
                            + (connection ? "" : "proxy_set_header Connection \"\"") + ": connections are not reused");
                }
            }
            if (isWebSocket(r.location())) {
                boolean upgrade = NginxConfig.effectiveAll(scope, "proxy_set_header").stream()
                        .anyMatch(d -> d.arg(0).map(h -> h.equalsIgnoreCase("Upgrade")).orElse(false));
                Duration read = NginxConfig.effectiveTime(scope, "proxy_read_timeout", Duration.ofSeconds(60));
                if (!upgrade) {
                    out.add(r.location().label() + " (" + r.location().directive().file() + ":"
                            + r.location().directive().line() + ") looks like a WebSocket endpoint but sets no Upgrade/"
                            + "Connection headers: proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "
                            + "\"upgrade\";");
                } else if (read.compareTo(Duration.ofSeconds(60)) < 0) {
                    out.add(r.location().label() + " proxies WebSockets with proxy_read_timeout " + Units.format(read)
                            + ": idle sockets are cut; use 300s or more");
                }
            }
            NginxConfig.effective(scope, "proxy_ssl_verify").filter(d -> d.arg(0).map("off"::equals).orElse(false))
                    .filter(d -> r.target().tls())
                    .ifPresent(d -> out.add("proxy_ssl_verify off (" + d.file() + ":" + d.line() + "): the upstream's "
                            + "certificate is not checked"));
        }
        List<String> formats = new ArrayList<>();
        for (ServerBlock s : config.servers()) {
            for (NginxConfig.AccessLog a : config.accessLogs(s)) {
                if (!a.format().contains("$upstream_status") && !a.format().contains("$upstream_response_time")
                        && !formats.contains(a.formatName())) {
                    formats.add(a.formatName());
                }
            }
        }
        if (!formats.isEmpty()) {
            out.add("access log format " + String.join(", ", formats) + " has no $upstream_addr/$upstream_status/"
                    + "$upstream_response_time: add them to see which backend answered and how slowly");
        }
        return out.stream().limit(MAX).toList();
    }

    private static boolean isWebSocket(LocationBlock l) {
        String p = l.pattern().toLowerCase(Locale.ROOT);
        boolean named = p.contains("websocket") || p.contains("/ws") || p.contains("socket.io") || p.endsWith("/cable");
        boolean upgrade = NginxConfig.effectiveAll(l.scope(), "proxy_set_header").stream()
                .anyMatch(d -> d.arg(0).map(h -> h.equalsIgnoreCase("Upgrade")).orElse(false));
        return named || upgrade;
    }
}
