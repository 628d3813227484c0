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
import dev.chatops.checks.nginx502.incident.PhpFpmSaturation;
import dev.chatops.checks.nginx502.incident.Texts;
import dev.chatops.checks.nginx502.parse.host.Listener;
import dev.chatops.checks.nginx502.parse.host.UpstreamChecks;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpm;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Location;
import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.NginxConfig;
import dev.chatops.nginx.config.Units;
import dev.chatops.nginx.log.ErrorKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * nginx's own timers ran out (504): reading the response ({@code upstream-timeout}) — unless php-fpm
 * says all its children were busy ({@code php-fpm-saturated}) — or connecting, when SYNs get no
 * answer ({@code upstream-connect-timeout}). A full unix-socket queue ({@code 11}) is saturation too.
 */
final class TimeoutRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.CONNECT_TIMEOUT, CauseId.PHP_FPM_SATURATED, CauseId.TIMEOUT);
    }

    @Override
    public List<Finding> apply(Incident in) {
        List<Finding> out = new ArrayList<>();
        HostEvidence host = in.host();
        Optional<PhpFpmSaturation.Saturated> saturated = PhpFpmSaturation.find(host);
        boolean satReported = false;
        for (Failure f : in.failures(ErrorKind.READ_TIMEOUT, ErrorKind.SEND_TIMEOUT, ErrorKind.AGAIN)) {
            if ((f.fastcgi() || f.kind() == ErrorKind.AGAIN) && saturated.isPresent()) {
                if (!satReported) {
                    out.add(saturatedFinding(in, f, saturated.get(), Confidence.CONFIRMED));
                    satReported = true;
                }
                continue;
            }
            if (f.kind() == ErrorKind.AGAIN) {
                out.add(Finding.of(CauseId.PHP_FPM_SATURATED, f.fastcgi() ? Confidence.PROBABLE : Confidence.POSSIBLE)
                        .headline(f.serverName() + " → " + f.upstreamLabel() + ": the socket's accept queue is full")
                        .detail("connect() to " + f.endpoint().map(Endpoint::key).orElse("the socket") + " failed with "
                                + "errno 11 " + Texts.times(f.count()) + ": the backend accepts connections more slowly than "
                                + "they arrive and its listen queue overflowed; all its workers are busy.")
                        .evidence(f)
                        .fix(Fix.command("raise the backend's worker count (php-fpm: pm.max_children) and its listen "
                                + "backlog (php-fpm: listen.backlog)")).build());
                continue;
            }
            out.add(timeout(in, f));
        }
        if (!satReported && saturated.isPresent() && (in.gatewayErrors() > 0 || in.upstreamErrorCount() > 0)) {
            Failure any = in.failures().stream().filter(Failure::fastcgi).findFirst()
                    .orElse(in.failures().isEmpty() ? null : in.failures().get(0));
            out.add(saturatedFinding(in, any, saturated.get(), any != null && any.fastcgi() ? Confidence.LIKELY : Confidence.POSSIBLE));
        }
        for (Failure f : in.failures(ErrorKind.CONNECT_TIMEOUT, ErrorKind.UNREACHABLE)) {
            out.add(connect(in, f));
        }
        return out;
    }

    private Finding timeout(Incident in, Failure f) {
        String m = f.module();
        String name = m + (f.kind() == ErrorKind.SEND_TIMEOUT ? "_send_timeout" : "_read_timeout");
        Duration current = f.location().map(l -> NginxConfig.effectiveTime(l.scope(), name, Duration.ofSeconds(60)))
                .orElse(Duration.ofSeconds(60));
        Optional<Directive> set = Places.effective(f.location(), f.server(), name);
        Duration suggested = current.compareTo(Duration.ofSeconds(60)) < 0 ? Duration.ofSeconds(60) : current.multipliedBy(2);
        Optional<Location> place = Places.inLocation(f.location(), f.target(), name);
        String addr = f.endpoint().map(Endpoint::key).orElse("the upstream");
        Optional<UpstreamChecks.TcpResult> probe = f.endpoint().filter(e -> !e.isUnix())
                .flatMap(e -> in.host().upstreams().tcp(e));
        StringBuilder detail = new StringBuilder("nginx waited ").append(Units.format(current)).append(" (").append(name)
                .append(set.map(d -> ", set at " + d.file() + ":" + d.line()).orElse(", nginx's default"))
                .append(") for ").append(addr).append(f.kind() == ErrorKind.SEND_TIMEOUT ? " to take the request"
                        : " to answer").append(" and gave up ").append(Texts.times(f.count())).append(" ")
                .append(Texts.span(f.first(), f.last())).append("; clients got 504.");
        probe.ifPresent(p -> {
            if (p.httpExit().orElse(0) == 28) {
                detail.append(" A request from this host got no answer within 2 s either.");
            } else if (p.ttfb().isPresent() && p.speaksHttp()) {
                detail.append(" A request to / from this host answered in ").append(String.format("%.2f s",
                        p.ttfb().getAsDouble())).append(": the slow part is the requests that fail, not the server.");
            }
        });
        detail.append(" The backend is slower than the timeout: raise it above the real response time, and find why "
                + "the backend is slow (its slow log).");
        Finding.Builder b = Finding.of(CauseId.TIMEOUT, Confidence.LIKELY)
                .headline(f.serverName() + " → " + f.upstreamLabel() + " answers slower than " + name + " "
                        + Units.format(current))
                .detail(detail.toString())
                .evidence(f);
        place.ifPresent(p -> b.fix(Fix.directive(name + " " + Units.format(suggested) + ";", p)));
        Optional<String> url = f.endpoint().filter(e -> !e.isUnix())
                .flatMap(e -> Words.httpUrlOrPlaceholder(e, f.last().uri()));
        if (url.isPresent() && !f.fastcgi()) {
            // the URI is the client's: asked again only when it is a plain path, else named as a placeholder
            b.fix(Fix.command("curl -sS -o /dev/null -w '%{time_starttransfer}s\\n' " + url.get()
                    + "    # how long the backend really takes" + (url.get().endsWith(Words.URI)
                    ? "; " + Words.URI + ": the path of a request that timed out" : "")));
        } else if (f.fastcgi()) {
            Backends.poolFor(in.host(), f.endpoint().orElse(Endpoint.tcp("", 0))).ifPresent(p -> b.fix(Fix.directive(
                    "request_slowlog_timeout = 5s    # with slowlog = /var/log/php-fpm-slow.log: which scripts are slow",
                    p.at())));
        }
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }

    private Finding saturatedFinding(Incident in, Failure f, PhpFpmSaturation.Saturated s, Confidence conf) {
        HostEvidence host = in.host();
        PhpFpm.LogLine w = s.warnings().get(s.warnings().size() - 1);
        String poolName = s.pool().map(p -> p.name()).or(() -> PhpFpmSaturation.poolOf(w)).orElse("?");
        StringBuilder detail = new StringBuilder("php-fpm pool [").append(poolName).append("] hit pm.max_children")
                .append(s.children() > 0 ? " (" + s.children() + ")" : "").append(' ')
                .append(Texts.times(s.warnings().size())).append(" in the window");
        if (f != null) {
            detail.append(", while nginx's requests to it ")
                    .append(f.kind() == ErrorKind.AGAIN ? "overflowed its socket queue (502)" : f.kind().status() == 504
                            ? "timed out (504)" : "failed").append(" ").append(Texts.times(f.count()));
        }
        detail.append(": every child was busy and new requests queued until nginx gave up.");
        Finding.Builder b = Finding.of(CauseId.PHP_FPM_SATURATED, conf)
                .headline((f == null ? "" : f.serverName() + " → ") + "php-fpm pool [" + poolName
                        + "] is saturated: server reached pm.max_children" + (s.children() > 0 ? " (" + s.children() + ")" : ""))
                .evidence(host.phpFpm().logPaths().stream().findFirst().orElse("php-fpm log"), w.raw(),
                        s.warnings().size());
        if (f != null) {
            b.evidence(f);
        }
        if (s.pool().isPresent()) {
            b.fix(PhpFpmSaturation.maxChildrenFix(host, s.pool().get(), detail));
            b.fix(Fix.command(PhpFpmSaturation.reload(host, s.pool().get())));
            b.fix(Fix.directive("request_slowlog_timeout = 5s    # and slowlog = …: find the slow scripts",
                    s.pool().get().at()));
        } else {
            b.fix(Fix.command("raise pm.max_children in php-fpm pool [" + Words.shown(poolName) + "], then reload php-fpm"));
        }
        b.detail(detail.toString());
        if (f != null) {
            in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        }
        return b.build();
    }

    private Finding connect(Incident in, Failure f) {
        Endpoint e = f.endpoint().orElse(Endpoint.tcp("?", 0));
        boolean unreachable = f.kind() == ErrorKind.UNREACHABLE;
        String name = f.module() + "_connect_timeout";
        Duration current = f.location().map(l -> NginxConfig.effectiveTime(l.scope(), name, Duration.ofSeconds(60)))
                .orElse(Duration.ofSeconds(60));
        Optional<Listener> full = in.host().listeners().serving(e).stream().filter(Listener::queueFull).findFirst();
        String what = unreachable ? "The kernel reports the host or network unreachable (" + f.first().errno().orElse(113)
                + ")" : "nginx's SYNs to " + e.key() + " got no answer within " + Units.format(current) + " (" + name + ")";
        String why = full.map(l -> " " + l.label() + " listens, but its accept queue is full (" + l.queued() + " waiting, "
                + "backlog " + l.backlog() + "): the backend stopped accepting connections (hung, or overloaded), so the "
                + "kernel drops new SYNs. Restart it and find out why it hangs.")
                .orElse(" Something drops the packets: a firewall on either side, a security group, or routing. A slow "
                        + "backend would accept the connection and time out later.");
        Finding.Builder b = Finding.of(CauseId.CONNECT_TIMEOUT, Confidence.LIKELY)
                .headline(f.serverName() + " → " + f.upstreamLabel() + ": " + (unreachable ? "no route to " + e.key()
                        : full.isPresent() ? e.key() + " stopped accepting connections (accept queue full)"
                        : "connections to " + e.key() + " get no answer"))
                .detail(what + ", " + Texts.times(f.count()) + " " + Texts.span(f.first(), f.last()) + "." + why)
                .evidence(f);
        full.ifPresent(l -> b.evidence(Backends.listingSource(in.host(), e), "LISTEN " + l.queued() + " " + l.backlog()
                + " " + l.label() + "    (accept queue full)", 1));
        if (full.isPresent()) {
            Listener l = full.get();
            Optional<String> service = Backends.serviceFor(in.host(), e, f.fastcgi());
            if (service.isPresent() && in.host().facts().systemd()) {
                Backends.restart(in.host(), service, e).forEach(c -> b.fix(Fix.command(c)));
            } else if (!l.pids().isEmpty()) {
                // program names are whatever a process calls itself: only after the comment
                b.fix(Fix.command("restart the backend on " + Words.shown(e.key()) + " (pid " + l.pids().get(0)
                        + "): it no longer accepts connections    # " + Words.shown(String.join(", ", l.programs()))));
                b.fix(Fix.command("sudo cat /proc/" + l.pids().get(0) + "/stack    # before restarting: what it is stuck "
                        + "on (or py-spy dump / jstack for its runtime)"));
            }
        } else if (!e.isUnix()) {
            b.fix(Fix.command("sudo iptables -S | grep -e " + e.port() + " -e DROP; sudo nft list ruleset 2>/dev/null | grep "
                    + e.port() + "    # a DROP rule on this host?"));
            Optional<String> remote = Words.host(e).filter(h -> !e.isLoopback());
            if (remote.isPresent()) {
                b.fix(Fix.command("on " + remote.get() + ": sudo firewall-cmd --add-port=" + e.port()
                        + "/tcp --permanent && sudo firewall-cmd --reload    # or open it in the security group"));
                b.fix(Fix.command("ip route get " + remote.get()));
            }
        }
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }
}
