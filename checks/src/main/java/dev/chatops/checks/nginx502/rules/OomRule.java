package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Confidence;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.fix.Words;
import dev.chatops.checks.nginx502.incident.Backends;
import dev.chatops.checks.nginx502.incident.Failure;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.parse.host.KernelEvents;
import dev.chatops.core.spi.Fix;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.log.ErrorKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel killed a backend for memory shortly before (or while) nginx's upstream errors began: the
 * refused or dropped connections are a consequence, the OOM kill is the cause.
 */
final class OomRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.OOM_KILLED);
    }

    private static final Duration BEFORE = Duration.ofMinutes(10);

    @Override
    public List<Finding> apply(Incident in) {
        HostEvidence host = in.host();
        List<Failure> failures = in.failures(ErrorKind.REFUSED, ErrorKind.NO_SOCKET_FILE, ErrorKind.RESET,
                ErrorKind.PREMATURE_CLOSE, ErrorKind.NO_LIVE, ErrorKind.READ_TIMEOUT);
        if (failures.isEmpty()) {
            return List.of();
        }
        Instant firstError = failures.stream().map(f -> host.window().instantOf(f.first().time())).min(Instant::compareTo)
                .orElseThrow();
        List<KernelEvents.OomKill> kills = host.kernel().oomKills().stream()
                .filter(k -> !k.program().startsWith("nginx"))
                .filter(k -> k.time().map(t -> !t.isBefore(firstError.minus(BEFORE)) && !t.isAfter(host.window().now()
                        .plusSeconds(60))).orElse(false))
                .toList();
        if (kills.isEmpty()) {
            return List.of();
        }
        KernelEvents.OomKill k = kills.get(kills.size() - 1);
        Failure f = failures.get(0);
        Endpoint e = f.endpoint().orElse(Endpoint.tcp("?", 0));
        long gap = Duration.between(k.time().get(), firstError).toSeconds();
        Optional<String> service = Backends.serviceFor(host, e, f.fastcgi());
        Long total = host.facts().meminfoKb().get("MemTotal");
        List<Finding> out = new ArrayList<>();
        Finding.Builder b = Finding.of(CauseId.OOM_KILLED, Confidence.CONFIRMED)
                .headline("the kernel killed " + k.program() + " (pid " + k.pid() + ") for memory; then "
                        + f.serverName() + " → " + f.upstreamLabel() + " failed")
                .detail("Out of memory: the kernel killed " + k.program() + " (pid " + k.pid() + ")"
                        + (gap >= 0 ? " " + gap + " s before" : " " + (-gap) + " s after") + " nginx's first upstream "
                        + "error (" + f.count() + "× " + f.kind().name().toLowerCase().replace('_', ' ') + " to "
                        + e.key() + ")" + (kills.size() > 1 ? "; " + kills.size() + " OOM kills in all" : "") + ". "
                        + "Restart it, and stop it from outgrowing the memory: lower its heap or worker count, or give "
                        + "it more memory" + (total == null ? "" : " (the host has " + total / 1024 + " MiB)") + ".")
                .evidence("dmesg", k.line(), kills.size())
                .evidence(f);
        Backends.restart(host, service, e).forEach(c -> b.fix(Fix.command(c)));
        // the program name is the kernel's copy of a name any local user may give a process: only in the comment
        b.fix(Fix.command("lower the memory use of the killed program (heap size, pm.max_children, workers) or raise its "
                + "memory limit    # the kernel killed " + Words.shown(k.program()) + " (pid " + k.pid() + ")"));
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        out.add(b.build());
        return out;
    }
}
