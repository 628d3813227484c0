package dev.chatops.checks.nginx502.explain;

import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.core.spi.Fix;
import java.util.List;

/**
 * The few causes an access-log line shows by itself: a status of {@code 009} (an answer that was not HTTP,
 * passed through), a 504 after exactly nginx's default 60 s, a 502 whose upstream address is the upstream
 * group's name (nginx writes the name when no server of it could be tried). Otherwise an access line says
 * what clients got, not why.
 */
final class AccessSignals {

    private static final String FIND = "sudo nginx -T 2>/dev/null | grep -nE ";

    private AccessSignals() {
    }

    static List<Signal> of(Reading.Access a) {
        int status = a.access().status();
        if (status == 9) {
            return List.of(new Signal(CauseId.PROTOCOL_MISMATCH.id(), 0.6, "nginx logged status 009: the backend's answer "
                    + "was not HTTP (an HTTP/0.9-style reply), so nginx passed bytes through; it speaks the wrong "
                    + "protocol to that port.",
                    List.of(Fix.directive("proxy_pass https://…; or fastcgi_pass …;    # whichever the backend speaks")),
                    List.of(FIND + "'(proxy|fastcgi|uwsgi|grpc)_pass'    # what nginx speaks to whom")));
        }
        if (status == 504 && a.upstreamTime().map(t -> t >= 59.5 && t < 61).orElse(false)) {
            return List.of(new Signal(CauseId.TIMEOUT.id(), 0.55, "The request failed after "
                    + String.format(java.util.Locale.ROOT, "%.1f", a.upstreamTime().get()) + " s, nginx's default read "
                    + "timeout: the backend is slower than 60 s for it.",
                    List.of(Fix.directive("proxy_read_timeout 120s;    # or fastcgi_read_timeout; above the slowest "
                            + "request you accept")),
                    List.of(FIND + "'_read_timeout'    # the timeouts set (60s if none)")));
        }
        boolean groupName = a.access().lastUpstream().map(u -> !u.isEmpty() && u.indexOf(':') < 0 && u.indexOf('/') < 0
                && u.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')).orElse(false);
        if (status == 502 && groupName) {
            return List.of(new Signal(CauseId.NO_LIVE_UPSTREAMS.id(), 0.55, "The upstream address logged is the group's "
                    + "name, which nginx writes when no server of the group could be tried: all were marked failed.",
                    List.of(Fix.directive("server … max_fails=3 fail_timeout=10s;    # in the upstream block")),
                    List.of(FIND + "'upstream|max_fails|fail_timeout'    # the group and its settings")));
        }
        return List.of();
    }
}
