package dev.chatops.checks.nginx502.incident;

import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.fix.Words;
import dev.chatops.checks.nginx502.parse.host.BackendCandidates;
import dev.chatops.checks.nginx502.parse.host.HostFacts;
import dev.chatops.checks.nginx502.parse.host.Listener;
import dev.chatops.checks.nginx502.parse.host.UpstreamChecks;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpm;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpmPool;
import dev.chatops.core.spi.Fix;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.NginxConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the host says about the backends behind an address: is it up now, who else listens, who owns it. */
public final class Backends {

    private static final Pattern PHP_SOCKET = Pattern.compile("php(\\d+\\.\\d+)-fpm");

    private Backends() {
    }

    /** How an address answers now, by the listing and by the follow-up's own connect. */
    public record State(boolean listenersKnown, List<Listener> listeners, Optional<UpstreamChecks.TcpResult> tcp,
                 Optional<UpstreamChecks.UnixResult> unix) {

        public boolean listening() {
            return !listeners.isEmpty();
        }

        /** It accepts connections now (by the listing or a connect from this host). */
        public boolean upNow() {
            if (listening()) {
                return true;
            }
            if (tcp.isPresent() && tcp.get().httpExit().isPresent()) {
                int e = tcp.get().httpExit().getAsInt();
                return e != 7 && !(e == 28 && tcp.get().httpError().contains("onnect"));
            }
            if (unix.isPresent() && unix.get().connectExit().isPresent()) {
                return unix.get().connectExit().getAsInt() != 7;
            }
            return false;
        }

        /** Nothing accepts there: known from the listing, or the connect was refused. */
        public boolean downNow() {
            if (upNow()) {
                return false;
            }
            return listenersKnown || tcp.map(UpstreamChecks.TcpResult::refused).orElse(false)
                    || unix.map(u -> !u.exists() || u.connectExit().orElse(0) == 7).orElse(false);
        }

        public String listenerText() {
            return listeners.stream().map(Listener::label).distinct().reduce((a, b) -> a + ", " + b).orElse("");
        }
    }

    public static State state(HostEvidence host, Endpoint e) {
        List<Listener> ls = host.listeners().serving(e);
        return new State(host.listeners().known(), ls, e.isUnix() ? Optional.empty() : host.upstreams().tcp(e),
                e.isUnix() ? host.upstreams().unix(e) : Optional.empty());
    }

    /** {@code ss -ltnp} or {@code ss -lxnp}, as the evidence source of "what listens". */
    public static String listingSource(HostEvidence host, Endpoint e) {
        String s = host.listeners().source();
        if (s.equals("ss")) {
            return e.isUnix() ? "ss -lxnp" : "ss -ltnp";
        }
        return s.equals("netstat") ? (e.isUnix() ? "netstat -lxnp" : "netstat -ltnp") : s;
    }

    /** Running php-fpm pools that listen somewhere else than this address: where the backend really is. */
    public static List<PhpFpmPool> otherPhpPools(HostEvidence host, Endpoint e) {
        PhpFpm fpm = host.phpFpm();
        List<PhpFpmPool> out = new ArrayList<>();
        for (PhpFpmPool p : fpm.pools()) {
            if (p.listen().isEmpty() || !fpm.running(p.config())) {
                continue;
            }
            String l = p.listen().get();
            boolean same = e.isUnix() ? l.equals(e.unixPath().get()) : PhpFpmSame.same(l, e);
            if (!same) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Listeners that look like the application nginx means to reach, but on another address; those the
     * follow-up asked and that did not answer HTTP properly are left out (a half-broken neighbour is not the
     * lost backend).
     */
    public static List<Listener> otherBackends(HostEvidence host, Endpoint e, boolean fastcgi) {
        List<NginxConfig> configs = host.nginx().instances().stream().map(i -> i.config()).toList();
        List<Listener> near = BackendCandidates.near(host.listeners(), configs, e, fastcgi);
        return near.stream().filter(l -> answersWell(host, BackendCandidates.endpointOf(l, e))).toList();
    }

    private static boolean answersWell(HostEvidence host, Endpoint e) {
        if (e.isUnix()) {
            return true;
        }
        return host.upstreams().tcp(e).map(t -> t.httpCode().isPresent() && t.httpCode().getAsInt() < 500)
                .orElse(true);
    }

    /** The service that should serve an address: a php-fpm pool's unit, else a failed unit. */
    public static Optional<String> serviceFor(HostEvidence host, Endpoint e, boolean fastcgi) {
        if (e.isUnix() || fastcgi) {
            Optional<PhpFpmPool> pool = host.phpFpm().pools().stream()
                    .filter(p -> p.listen().map(l -> e.isUnix() ? l.equals(e.unixPath().get())
                            : PhpFpmSame.same(l, e)).orElse(false)).findFirst();
            if (pool.isPresent()) {
                return Optional.of(pool.get().serviceName());
            }
            Matcher m = PHP_SOCKET.matcher(e.key());
            if (m.find()) {
                return Optional.of("php" + m.group(1) + "-fpm");
            }
            if (fastcgi || e.key().contains("php")) {
                return host.facts().units().stream().map(HostFacts.Unit::name).filter(n -> n.contains("fpm"))
                        .findFirst().map(n -> n.replace(".service", ""))
                        .or(() -> host.facts().initScripts().stream().filter(n -> n.contains("fpm")).findFirst());
            }
        }
        return host.facts().units().stream().filter(HostFacts.Unit::failed).filter(u -> !u.name().startsWith("nginx"))
                .map(HostFacts.Unit::name).findFirst();
    }

    /** The php-fpm pool configured to listen on this address (running or not). */
    public static Optional<PhpFpmPool> poolFor(HostEvidence host, Endpoint e) {
        return host.phpFpm().pools().stream().filter(p -> p.listen().map(l -> e.isUnix()
                ? l.equals(e.unixPath().get()) : PhpFpmSame.same(l, e)).orElse(false)).findFirst();
    }

    /**
     * Commands that bring a service back on this host, or say how when nothing supervises it. Service names,
     * paths and addresses are the host's: each goes in only as a valid word of its kind.
     */
    public static List<String> restart(HostEvidence host, Optional<String> service, Endpoint e) {
        List<String> out = new ArrayList<>();
        Optional<String> unit = service.flatMap(Words::name);
        if (unit.isPresent()) {
            Optional<String> cmd = host.facts().restartCommand(unit.get());
            if (cmd.isPresent()) {
                out.add(cmd.get());
                if (host.facts().systemd()) {
                    out.add("sudo journalctl -u " + unit.get() + " -n 50 --no-pager");
                }
                return out;
            }
            Optional<PhpFpmPool> pool = poolFor(host, e);
            if (pool.isPresent() && unit.get().contains("fpm")) {
                String bin = Words.name(unit.get().replaceFirst("^php(\\d+\\.\\d+)-fpm$", "php-fpm$1")).orElse("php-fpm");
                out.add("sudo " + bin + " --fpm-config " + Words.path(pool.get().config()).orElse(Words.PATH)
                        + "    # no systemd or init script here: start php-fpm directly");
                return out;
            }
        }
        Optional<String> probe = e.isUnix()
                ? e.unixPath().flatMap(Words::path).map(p -> "curl -sS --unix-socket " + p + " http://localhost/ -o /dev/null")
                : Words.httpUrl(e, "/").map(u -> "curl -sS -o /dev/null -w '%{http_code}\\n' " + u);
        out.add("start the service that should listen on " + Words.shown(e.key()) + (host.facts().systemd() ? ""
                : " (no systemd on this host: start it the way this host runs it)"));
        probe.ifPresent(p -> out.add(p + "    # answers once it is back"));
        return out;
    }

    /**
     * What brings the backend of an address back: a restart, unless the service runs and listens already
     * (elsewhere: the address is what is wrong, and restarting it changes nothing).
     */
    public static List<Fix> bringBack(HostEvidence host, Optional<String> service, Endpoint e) {
        List<Listener> serving = service.map(s -> listenersOf(host, s)).orElse(List.of()).stream()
                .filter(l -> !l.serves(e)).toList();
        if (!serving.isEmpty()) {
            String who = service.get().contains("fpm") ? "php-fpm" : Words.shown(service.get());
            return List.of(Fix.command(who + " runs and listens on " + Words.shown(serving.stream().map(Listener::where)
                    .distinct().reduce((x, y) -> x + ", " + y).orElse("")) + ": restarting it changes nothing; point "
                    + "nginx at the address it listens on, or make it listen on " + Words.shown(e.key())));
        }
        return restart(host, service, e).stream().map(Fix::command).toList();
    }

    /** The sockets a running service listens on: php-fpm's pools, or a unit's main process. */
    public static List<Listener> listenersOf(HostEvidence host, String service) {
        if (service.contains("fpm")) {
            return host.phpFpm().pools().stream().filter(p -> host.phpFpm().running(p.config()))
                    .flatMap(p -> p.listen().stream())
                    .flatMap(l -> Endpoint.parse(poolAddress(l), 80).stream())
                    .flatMap(ep -> host.listeners().serving(ep).stream()).distinct().toList();
        }
        Optional<HostFacts.Unit> unit = host.facts().unit(service).filter(u -> u.active().equals("active"));
        Optional<Integer> pid = unit.map(u -> u.details().getOrDefault("MainPID", "")).filter(p -> p.matches("[1-9]\\d{0,9}"))
                .map(Long::parseLong).filter(p -> p <= Integer.MAX_VALUE).map(Long::intValue);
        return pid.map(p -> host.listeners().all().stream().filter(l -> l.pids().contains(p)).toList())
                .orElse(List.of());
    }

    /** A php-fpm {@code listen} value as nginx writes the address: {@code unix:/run/…}, {@code host:port}. */
    public static String poolAddress(String listen) {
        return listen.startsWith("/") ? "unix:" + listen : listen.contains(":") ? listen : "127.0.0.1:" + listen;
    }

    public static String unitEnd(HostFacts.Unit u) {
        String t = u.details().getOrDefault("InactiveEnterTimestamp", u.details().getOrDefault("ExecMainExitTimestamp", ""));
        String status = u.details().getOrDefault("ExecMainStatus", "");
        StringBuilder sb = new StringBuilder();
        if (!t.isBlank()) {
            sb.append(", stopped ").append(t);
        }
        if (!status.isBlank() && !status.equals("0")) {
            sb.append(", exit code ").append(status);
        }
        return sb.toString();
    }

    /** php-fpm's {@code listen} value compared with a TCP endpoint. */
    public static final class PhpFpmSame {
        private PhpFpmSame() {
        }

        public static boolean same(String listen, Endpoint e) {
            if (e.isUnix() || listen.startsWith("/")) {
                return false;
            }
            String port = listen.contains(":") ? listen.substring(listen.lastIndexOf(':') + 1) : listen;
            String host = listen.contains(":") ? listen.substring(0, listen.lastIndexOf(':')) : "";
            if (!port.equals(String.valueOf(e.port()))) {
                return false;
            }
            return host.isEmpty() || host.equals("0.0.0.0") || host.equals("[::]") || host.equals("any")
                    || host.equalsIgnoreCase(e.bareHost()) || host.equals("[" + e.bareHost() + "]")
                    || (host.equals("127.0.0.1") && e.bareHost().equals("localhost"));
        }
    }
}
