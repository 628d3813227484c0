package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Confidence;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.fix.Places;
import dev.chatops.checks.nginx502.incident.AccessStats;
import dev.chatops.checks.nginx502.incident.Backends;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpmPool;
import dev.chatops.core.spi.Fix;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.NginxConfig;
import dev.chatops.nginx.config.Peer;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * 502s in the access log and nothing in the error log (its level hides [error] lines, or it logs elsewhere): the
 * upstreams of the servers that answered 502 are checked directly, for a backend that is down
 * ({@code upstream-down}) or a php-fpm pool listening where nginx does not look ({@code upstream-wrong-address}).
 */
final class SilentLogRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.UPSTREAM_DOWN, CauseId.WRONG_ADDRESS);
    }

    @Override
    public List<Finding> apply(Incident in) {
        return in.upstreamErrorCount() == 0 && in.gatewayErrors() > 0 ? silentLog(in) : List.of();
    }

    /** The first upstream address of a server that answered 502 where nothing listens now, worded. */
    private static List<Finding> silentLog(Incident in) {
        for (AccessStats a : in.access()) {
            if (a.gatewayErrors() == 0) {
                continue;
            }
            for (NginxConfig.Routed r : in.config().routes()) {
                if (!a.servers().isEmpty() && !a.servers().contains(r.server().shortLabel())) {
                    continue;
                }
                for (Peer p : r.target().peers()) {
                    if (!Backends.state(in.host(), p.endpoint()).downNow()) {
                        continue;
                    }
                    Endpoint e = p.endpoint();
                    boolean fastcgi = r.target().module().equals("fastcgi");
                    List<PhpFpmPool> pools = e.isUnix() || fastcgi ? Backends.otherPhpPools(in.host(), e) : List.of();
                    // php-fpm runs and listens, just not where nginx looks
                    return List.of(pools.isEmpty() ? down(in, a, r, e)
                            : poolElsewhere(in, a, r, p, pools.stream().filter(x -> x.listensOnUnix() == e.isUnix())
                            .findFirst().orElse(pools.get(0))));
                }
            }
        }
        return List.of();
    }

    private static Finding poolElsewhere(Incident in, AccessStats a, NginxConfig.Routed r, Peer p, PhpFpmPool pool) {
        HostEvidence host = in.host();
        Endpoint e = p.endpoint();
        String listen = pool.listen().orElseThrow();
        String nginxForm = Backends.poolAddress(listen);
        String setAt = pool.setting("listen").map(x -> x.file() + ":" + x.line()).orElse(pool.file());
        Finding.Builder w = Finding.of(CauseId.WRONG_ADDRESS, Confidence.PLAUSIBLE)
                .headline(r.server().shortLabel() + " → " + r.target().label() + ": nothing listens on "
                        + e.key() + "; php-fpm pool [" + pool.name() + "] listens on " + listen
                        + " (the error log is silent)")
                .detail(a.gatewayErrors() + " requests answered 502/504 in the window but the error log "
                        + "has no upstream error; " + r.location().label() + " passes to " + e.key()
                        + ", where nothing listens now (" + Backends.listingSource(host, e) + "), while "
                        + "php-fpm runs and its pool [" + pool.name() + "] listens on " + listen + " ("
                        + setAt + "). Point nginx at the pool's address, and let the error log record "
                        + "[error] lines again.")
                .evidence(a.path(), a.count(502) + a.count(504) + " of " + a.total() + " requests "
                        + "answered " + a.statusText(), 1)
                .evidence(Backends.listingSource(host, e), "nothing listens on " + e.key(), 1)
                .evidence(setAt, "[" + pool.name() + "] listen = " + listen, 1);
        Places.addressDirective(Optional.of(r.target()), Optional.of(p)).ifPresent(d -> w.fix(
                Fix.directive(Places.replaceAddress(d, e.key(), nginxForm), d.at())));
        w.fix(Fix.command(in.instance().reloadCommand()));
        return w.build();
    }

    private static Finding down(Incident in, AccessStats a, NginxConfig.Routed r, Endpoint e) {
        HostEvidence host = in.host();
        Finding.Builder b = Finding.of(CauseId.UPSTREAM_DOWN, Confidence.SUGGESTED)
                .headline(r.server().shortLabel() + " → " + r.target().label() + " is down: nothing listens on "
                        + e.key() + " (the error log is silent)")
                .detail(a.gatewayErrors() + " requests answered 502/504 in the window but the error log has "
                        + "no upstream error, so the cause cannot be read from it; " + r.location().label()
                        + " passes to " + e.key() + ", where nothing listens now ("
                        + Backends.listingSource(host, e) + "). Start the backend, and let the error log "
                        + "record [error] lines again.")
                .evidence(a.path(), a.count(502) + a.count(504) + " of " + a.total() + " requests answered "
                        + a.statusText(), 1)
                .evidence(Backends.listingSource(host, e), "nothing listens on " + e.key(), 1);
        Backends.bringBack(host, Backends.serviceFor(host, e, r.target().module().equals("fastcgi")), e)
                .forEach(b::fix);
        return b.build();
    }
}
