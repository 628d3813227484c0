package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Confidence;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.fix.Places;
import dev.chatops.checks.nginx502.fix.Words;
import dev.chatops.checks.nginx502.incident.Backends;
import dev.chatops.checks.nginx502.incident.Failure;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.incident.Texts;
import dev.chatops.checks.nginx502.parse.host.UpstreamChecks;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpm;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpmPool;
import dev.chatops.core.spi.Fix;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.log.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The backend accepted the request and then dropped it ({@code upstream prematurely closed connection},
 * {@code 104: Connection reset by peer}): it crashed or was killed per request, hit its own time limit,
 * or closed a kept-alive connection nginx was reusing. A TLS port spoken to in plain HTTP resets too:
 * that case is left to the protocol rule.
 */
final class ClosedEarlyRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.CLOSED_EARLY);
    }

    @Override
    public List<Finding> apply(Incident in) {
        List<Finding> out = new ArrayList<>();
        for (Failure f : in.failures(ErrorKind.PREMATURE_CLOSE, ErrorKind.RESET)) {
            // a backend that speaks another protocol closes early too: the protocol rule names that
            if (!ProtocolRule.plainToTls(in, f) && in.failures(ErrorKind.NO_VALID_HTTP, ErrorKind.FASTCGI_PROTOCOL)
                    .stream().noneMatch(p -> p.endpoint().equals(f.endpoint()))) {
                out.add(closedEarly(in, f));
            }
        }
        return out;
    }

    /** php-fpm's lines of the window about children killed or crashed, for a FastCGI backend. */
    private static List<PhpFpm.LogLine> killedChildren(HostEvidence host, Failure f) {
        return f.fastcgi() ? host.phpFpm().log().stream()
                .filter(l -> host.window().contains(host.window().instantOf(l.time())))
                .filter(l -> l.message().contains("execution timed out") || l.message().contains("exited on signal")
                        || l.message().contains("terminating") || l.message().contains("exited with code"))
                .toList() : List.of();
    }

    private static Finding closedEarly(Incident in, Failure f) {
        HostEvidence host = in.host();
        Endpoint e = f.endpoint().orElse(Endpoint.tcp("?", 0));
        List<PhpFpm.LogLine> fpm = killedChildren(host, f);
        boolean reading = f.last().phase().contains("reading response header");
        Optional<UpstreamChecks.TcpResult> probe = e.isUnix() ? Optional.empty() : host.upstreams().tcp(e);
        // after the header the status is already sent: clients got a cut body, not a 502
        Finding.Builder b = Finding.of(CauseId.CLOSED_EARLY, reading || f.last().phase().contains("sending")
                        ? Confidence.PROBABLE : Confidence.WEAK)
                .headline(f.serverName() + " → " + f.upstreamLabel() + " closes connections before answering ("
                        + (f.kind() == ErrorKind.RESET ? "reset by peer" : "prematurely closed") + ")")
                .detail(detail(f, e, reading, probe, fpm))
                .evidence(f);
        fpm.stream().reduce((a, c) -> c).ifPresent(l -> b.evidence(host.phpFpm().logPaths().stream().findFirst()
                .orElse("php-fpm log"), l.raw(), fpm.size()));
        Optional<PhpFpmPool> pool = f.fastcgi() ? Backends.poolFor(host, e) : Optional.empty();
        if (pool.isPresent() && fpm.stream().anyMatch(l -> l.message().contains("execution timed out"))) {
            PhpFpmPool p = pool.get();
            b.fix(Fix.directive("request_terminate_timeout = 0    # or above the slowest request; it kills the child",
                    p.setting("request_terminate_timeout").map(PhpFpmPool.Setting::at).orElse(p.at())));
        }
        Optional<String> service = Backends.serviceFor(host, e, f.fastcgi()).flatMap(Words::name);
        Optional<String> url = e.isUnix() || f.fastcgi() ? Optional.empty()
                : Words.httpUrlOrPlaceholder(e, f.last().uri());
        if (service.isPresent() && host.facts().systemd()) {
            b.fix(Fix.command("sudo journalctl -u " + service.get() + " --since '-" + Texts.minutes(host.window()
                    .length()).replace(" ", "") + "' --no-pager | tail -50    # why it drops requests"));
        } else if (url.isPresent()) {
            // the client's URI only when it is a plain path, else named as a placeholder
            b.fix(Fix.command("curl -sv " + url.get() + " -o /dev/null    # does the backend drop it when asked "
                    + "directly?"));
        }
        if (f.target().flatMap(t -> t.upstream()).flatMap(u -> u.keepalive()).isPresent()) {
            b.fix(Fix.command("keep the backend's idle keep-alive timeout above nginx's (upstream keepalive_timeout, "
                    + "default 60s), or nginx reuses connections the backend already closed"));
        }
        Places.addressReference(f.target(), f.peer(), e.key()).ifPresent(b::fix);
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }

    private static String detail(Failure f, Endpoint e, boolean reading, Optional<UpstreamChecks.TcpResult> probe,
                                 List<PhpFpm.LogLine> fpm) {
        StringBuilder detail = new StringBuilder(e.key()).append(" accepted ").append(f.count())
                .append(" requests and closed the connection ").append(reading ? "before sending a response header"
                        : "while nginx was " + f.last().phase()).append(' ').append(Texts.span(f.first(), f.last()))
                .append("; clients got 502.");
        probe.ifPresent(p -> {
            if (p.httpExit().orElse(0) == 52 || p.httpExit().orElse(0) == 56) {
                detail.append(" A request from this host was dropped the same way (").append(p.httpError())
                        .append(").");
            }
        });
        if (!fpm.isEmpty()) {
            detail.append(" php-fpm logged ").append(fpm.size()).append(" killed or crashed children in the window.");
        } else {
            detail.append(" The backend crashes or is killed per request, hits its own time limit, or closes "
                    + "kept-alive connections nginx still reuses: its own log says which.");
        }
        return detail.toString();
    }
}
