package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Confidence;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.fix.Places;
import dev.chatops.checks.nginx502.fix.Words;
import dev.chatops.checks.nginx502.incident.Failure;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.incident.Texts;
import dev.chatops.checks.nginx502.parse.host.HostFacts;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Location;
import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.UpstreamBlock;
import dev.chatops.nginx.log.ErrorKind;
import dev.chatops.nginx.log.ErrorLogLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx or the host ran out of something: worker connection slots, file descriptors, local ports, disk
 * space or memory.
 */
final class ResourceRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.EPHEMERAL_PORTS, CauseId.FD_EXHAUSTED, CauseId.RESOURCES_EXHAUSTED, CauseId.WORKER_CONNECTIONS);
    }

    private static final Pattern WORKER_CONNECTIONS = Pattern.compile("(\\d+) worker_connections are not enough");

    @Override
    public List<Finding> apply(Incident in) {
        List<Finding> out = new ArrayList<>();
        in.failures(ErrorKind.WORKER_CONNECTIONS).forEach(f -> out.add(workerConnections(in, f)));
        in.failures(ErrorKind.TOO_MANY_FILES).forEach(f -> out.add(fdExhausted(in, f)));
        in.failures(ErrorKind.ADDR_NOT_AVAIL).forEach(f -> out.add(ephemeralPorts(in, f)));
        out.addAll(diskAndMemory(in));
        return out;
    }

    private static Finding workerConnections(Incident in, Failure f) {
        Matcher m = WORKER_CONNECTIONS.matcher(f.last().message());
        int n = m.find() ? Integer.parseInt(m.group(1)) : in.config().events().flatMap(e -> e.last("worker_connections"))
                .flatMap(d -> d.arg(0)).filter(s -> s.matches("\\d+")).map(Integer::parseInt).orElse(512);
        int want = Math.max(1024, n * 4);
        Location at = Places.events(in.config());
        return Finding.of(CauseId.WORKER_CONNECTIONS, Confidence.PROVEN)
                .headline("nginx ran out of worker connections (" + n + " per worker)")
                .detail("\"" + n + " worker_connections are not enough\" " + Texts.times(f.count()) + " "
                        + Texts.span(f.first(), f.last()) + ": every slot of a worker was taken (each proxied "
                        + "request uses two: client and upstream), so nginx closed new connections without an "
                        + "answer (they do not reach the access log) or answered 500. "
                        + "Raise worker_connections, and the open-file limit with it.")
                .evidence(f)
                .fix(Fix.directive("worker_connections " + want + ";", at))
                .fix(Fix.directive("worker_rlimit_nofile " + want * 2 + ";", Places.mainContext(in.config(),
                        "worker_rlimit_nofile")))
                .fix(Fix.command(in.instance().reloadCommand())).build();
    }

    private static Finding fdExhausted(Incident in, Failure f) {
        HostEvidence host = in.host();
        Optional<Long> limit = host.facts().nginxOpenFileLimits().values().stream().min(Comparator.naturalOrder());
        Optional<Directive> rlimit = in.config().mainDirective("worker_rlimit_nofile");
        Finding.Builder b = Finding.of(CauseId.FD_EXHAUSTED, Confidence.PROVEN)
                .headline("nginx ran out of file descriptors (Too many open files)"
                        + limit.map(l -> ": its limit is " + l).orElse(""))
                .detail("\"" + f.last().message().replaceFirst(",.*$", "") + "\" " + Texts.times(f.count()) + " "
                        + Texts.span(f.first(), f.last()) + ". Each connection is a file descriptor; nginx's workers "
                        + "run with " + limit.map(l -> "Max open files " + l).orElse("a low open-file limit")
                        + rlimit.map(d -> " (worker_rlimit_nofile at " + d.file() + ":" + d.line() + ")").orElse("")
                        + ". nginx answers 500 when socket() or accept() fail this way.")
                .evidence(f);
        limit.ifPresent(l -> b.evidence("/proc/<nginx worker>/limits", "Max open files " + l, 1));
        b.fix(Fix.directive("worker_rlimit_nofile 65535;", Places.mainContext(in.config(), "worker_rlimit_nofile")));
        if (host.facts().systemd()) {
            b.fix(Fix.command("sudo systemctl edit nginx    # [Service] LimitNOFILE=65535, then sudo systemctl restart "
                    + "nginx"));
        } else {
            b.fix(Fix.command("raise the open-file limit of the process that starts nginx (ulimit -n 65535), then "
                    + "restart nginx"));
        }
        return b.build();
    }

    private static Finding ephemeralPorts(Incident in, Failure f) {
        HostEvidence host = in.host();
        long tw = host.facts().timeWait().orElse(-1);
        Optional<UpstreamBlock> up = f.target().flatMap(t -> t.upstream());
        Finding.Builder b = Finding.of(CauseId.EPHEMERAL_PORTS, Confidence.HIGH)
                .headline(f.serverName() + " → " + f.upstreamLabel() + ": no local ports left for new connections")
                .detail("connect() failed with \"Cannot assign requested address\" (99) " + Texts.times(f.count()) + " "
                        + Texts.span(f.first(), f.last()) + (tw >= 0 ? "; " + tw + " sockets wait in TIME-WAIT" : "")
                        + ". nginx opens a new connection per request to this upstream and every local port to "
                        + f.endpoint().map(Endpoint::key).orElse("it") + " is in use or waiting. Keep connections "
                        + "alive instead.")
                .evidence(f);
        if (tw >= 0) {
            b.evidence("ss -s", host.facts().sockstat().lines().filter(l -> l.startsWith("TCP:")).findFirst()
                    .orElse("timewait " + tw), 1);
        }
        if (up.isPresent()) {
            b.fix(Fix.directive("keepalive 32;", up.get().keepalive().map(Directive::at)
                    .orElse(up.get().directive().at())));
        } else {
            f.target().ifPresent(t -> b.fix(Fix.directive("upstream backend { server " + t.target()
                    + "; keepalive 32; }    # and proxy_pass to it", t.directive().at())));
        }
        Places.inLocation(f.location(), f.target(), "proxy_http_version").ifPresent(p -> b.fix(Fix.directive(
                "proxy_http_version 1.1; proxy_set_header Connection \"\";", p)));
        return b.build();
    }

    private List<Finding> diskAndMemory(Incident in) {
        HostEvidence host = in.host();
        List<Finding> out = new ArrayList<>();
        List<ErrorLogLine> nospace = in.errors().stream().filter(e -> e.kind() == ErrorKind.NO_SPACE).toList();
        List<HostFacts.Disk> full = host.facts().disks().stream().filter(d -> d.usedPercent() >= 98).toList();
        List<HostFacts.Disk> noInodes = host.facts().inodes().stream().filter(d -> d.usedPercent() >= 98).toList();
        boolean troubled = in.gatewayErrors() > 0 || in.upstreamErrorCount() > 0 || !nospace.isEmpty();
        if (!nospace.isEmpty() || (!full.isEmpty() || !noInodes.isEmpty()) && troubled) {
            HostFacts.Disk d = !full.isEmpty() ? full.get(0) : !noInodes.isEmpty() ? noInodes.get(0) : null;
            Finding.Builder b = Finding.of(CauseId.RESOURCES_EXHAUSTED, nospace.isEmpty() ? Confidence.POSSIBLE : Confidence.STRONG)
                    .headline(d == null ? "No space left on device" : d.mount() + " is full (" + d.usedPercent() + "%"
                            + (full.contains(d) ? "" : " of inodes") + ")")
                    .detail((nospace.isEmpty() ? "" : "nginx failed to write " + Texts.times(nospace.size()) + " with \"No space "
                            + "left on device\" (28): buffering request or response bodies to temp files fails. ")
                            + (d == null ? "" : d.mount() + " (" + d.filesystem() + ") is " + d.usedPercent()
                            + "% used" + (full.contains(d) ? "" : " (inodes)") + "."))
                    .fix(Fix.command("sudo du -xh " + (d == null ? "/var" : Words.path(d.mount()).orElse(Words.PATH))
                            + " --max-depth=2 2>/dev/null | "
                            + "sort -h | tail -15    # the largest consumers; free space there"));
            if (!nospace.isEmpty()) {
                ErrorLogLine l = nospace.get(nospace.size() - 1);
                b.evidence("error log", l.raw(), nospace.size());
            }
            if (d != null) {
                b.evidence("df -P", d.filesystem() + " " + d.usedPercent() + "% " + d.mount(), 1);
            }
            out.add(b.build());
        }
        Long total = host.facts().meminfoKb().get("MemTotal");
        Long avail = host.facts().meminfoKb().get("MemAvailable");
        Long swapTotal = host.facts().meminfoKb().getOrDefault("SwapTotal", 0L);
        Long swapFree = host.facts().meminfoKb().getOrDefault("SwapFree", 0L);
        if (total != null && avail != null && total > 0 && avail * 100 / total < 3
                && (swapTotal == 0 || swapFree * 100 / Math.max(1, swapTotal) < 10) && troubled) {
            out.add(Finding.of(CauseId.RESOURCES_EXHAUSTED, Confidence.PLAUSIBLE)
                    .headline("the host is out of memory: " + avail / 1024 + " MiB available of " + total / 1024 + " MiB")
                    .detail("MemAvailable is " + avail / 1024 + " MiB of " + total / 1024 + " MiB"
                            + (swapTotal == 0 ? " and there is no swap" : ", swap nearly full") + ": backends cannot "
                            + "fork workers or allocate, and the kernel starts killing processes.")
                    .evidence("/proc/meminfo", "MemAvailable: " + avail + " kB of MemTotal: " + total + " kB", 1)
                    .fix(Fix.command("ps -eo pid,rss,args --sort=-rss | head -10    # the largest consumers"))
                    .build());
        }
        return out;
    }
}
