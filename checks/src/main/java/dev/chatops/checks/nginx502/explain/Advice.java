package dev.chatops.checks.nginx502.explain;

import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.fix.Words;
import dev.chatops.checks.nginx502.parse.host.KernelEvents;
import dev.chatops.core.spi.Fix;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.log.ErrorKind;
import dev.chatops.nginx.log.ErrorLogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The causes one line supports, with the fix in general form and the commands that confirm it. No config
 * and no host were read, so a fix names directives without a file and line, and a confidence stays below
 * what the full check gives when it has seen the host. Values from a line (an address, a path, a name) go
 * into a command only through {@link Words}; otherwise the command names a placeholder.
 */
final class Advice {

    private static final Pattern MAX_CHILDREN = Pattern.compile("pm\\.max_children setting \\((\\d{1,6})\\)");
    private static final Pattern SIGNAL = Pattern.compile("exited on signal (\\d{1,2})");
    private static final Pattern WORKER_CONNECTIONS = Pattern.compile("^(\\d{1,9}) worker_connections");
    private static final Pattern UNRESOLVED = Pattern.compile("^(?:no resolver defined to resolve (\\S{1,253})"
            + "|(\\S{1,253}) could not be resolved|host not found in upstream \"([^\"]{1,260})\")");

    private static final String FIND_DIRECTIVE = "sudo nginx -T 2>/dev/null | grep -nE ";

    private Advice() {
    }

    /** What an nginx error-log line supports. */
    static List<Signal> error(ErrorLogLine e) {
        ErrorKind kind = e.kind();
        Optional<Endpoint> at = e.upstreamEndpoint().or(e::messageEndpoint);
        String to = at.map(x -> " to " + Words.shown(x.key())).orElse("");
        String prefix = prefix(e.upstreamScheme());
        List<Signal> out = new ArrayList<>();
        switch (kind) {
            case REFUSED, NO_SOCKET_FILE -> {
                String what = kind == ErrorKind.REFUSED ? "the connection was refused" : "the socket file does not exist";
                boolean ipv6Loopback = at.map(x -> x.bareHost().equals("::1")).orElse(false);
                List<String> confirm = listening(at);
                confirm.add("systemctl --failed --type=service    # the backend's unit, if it failed");
                out.add(new Signal(CauseId.UPSTREAM_DOWN.id(), ipv6Loopback ? 0.4 : 0.7, "nginx could not connect" + to
                        + ": " + what + ", so nothing accepted there. Most often the backend is not running.",
                        List.of(Fix.command("sudo systemctl restart <SERVICE>    # the backend's unit; "
                                + "systemctl --failed names it")), confirm));
                out.add(new Signal(CauseId.WRONG_ADDRESS.id(), ipv6Loopback ? 0.7 : 0.45, (ipv6Loopback
                        ? "nginx tried the IPv6 loopback [::1] (localhost resolves to both), where backends often do "
                        + "not listen. "
                        : "If the backend runs, it listens elsewhere than where nginx connects. ")
                        + "Point nginx at the address the backend listens on.",
                        List.of(Fix.directive(prefix + "_pass <the address the backend listens on>;    # 127.0.0.1 "
                                + "rather than localhost")),
                        List.of("sudo ss -ltnpx    # where the backend really listens (its process name is shown)",
                                FIND_DIRECTIVE + "'(proxy|fastcgi|uwsgi|grpc)_pass|server '    # where nginx points")));
            }
            case PERMISSION -> {
                boolean unix = at.map(Endpoint::isUnix).orElse(false) || e.message().startsWith("connect() to unix:")
                        || e.upstream().map(u -> u.contains("://unix:")).orElse(false);
                if (unix) {
                    String path = at.flatMap(x -> x.unixPath()).flatMap(Words::path).orElse(Words.PATH);
                    out.add(new Signal(CauseId.SOCKET_PERMISSION.id(), 0.75, "nginx's worker user may not connect to the "
                            + "unix socket" + to + " (permission denied).",
                            List.of(Fix.directive("listen.owner = www-data"), Fix.directive("listen.group = www-data"),
                                    Fix.directive("listen.mode = 0660"),
                                    Fix.command("sudo systemctl restart <php-fpm unit>    # after changing the pool")),
                            List.of("ls -l " + path + "    # owner, group and mode of the socket",
                                    "ps -o user= -C nginx | sort -u    # the user nginx's workers run as")));
                } else {
                    out.add(new Signal(CauseId.SELINUX_DENIED.id(), 0.6, "The kernel refused nginx's TCP connection"
                            + to + " (permission denied): on a host with SELinux enforcing, nginx may not connect "
                            + "out until httpd_can_network_connect is on.",
                            List.of(Fix.command("sudo setsebool -P httpd_can_network_connect 1")),
                            List.of("getenforce    # Enforcing: SELinux applies",
                                    "getsebool httpd_can_network_connect    # off: nginx may not connect out",
                                    "sudo ausearch -m avc -c nginx -ts recent    # the denials themselves")));
                    out.add(new Signal(CauseId.APPARMOR_DENIED.id(), 0.35, "An AppArmor profile can also deny nginx's "
                            + "connections.",
                            List.of(Fix.command("sudo aa-complain /etc/apparmor.d/usr.sbin.nginx    # to confirm; then "
                                    + "fix the profile")),
                            List.of("sudo aa-status | grep -i nginx    # an enforced nginx profile",
                                    "sudo dmesg | grep 'apparmor=\"DENIED\"'    # its denials")));
                }
            }
            case CONNECT_TIMEOUT, UNREACHABLE -> out.add(new Signal(CauseId.CONNECT_TIMEOUT.id(), 0.75, "nginx got no "
                    + "answer while connecting" + to + (kind == ErrorKind.UNREACHABLE ? " (no route to the network)" : "")
                    + ": a firewall, security group or route drops the packets, or the host is down.",
                    List.of(Fix.command("open the port in the firewall or security group between nginx and the backend"),
                            Fix.directive(prefix + "_connect_timeout 5s;    # only if the network is merely slow")),
                    reach(at)));
            case READ_TIMEOUT, SEND_TIMEOUT -> {
                out.add(new Signal(CauseId.TIMEOUT.id(), 0.7, "The backend" + to + " did not answer within nginx's "
                        + (kind == ErrorKind.SEND_TIMEOUT ? "send" : "read") + " timeout (60 s unless set): it is too "
                        + "slow for the request, or stuck.",
                        List.of(Fix.directive(prefix + (kind == ErrorKind.SEND_TIMEOUT ? "_send_timeout" : "_read_timeout")
                                + " 120s;    # above the slowest request you accept"),
                                Fix.command("look at the backend's slow log for what it was doing")),
                        timing(at, prefix)));
                if (prefix.equals("fastcgi")) {
                    out.add(new Signal(CauseId.PHP_FPM_SATURATED.id(), 0.45, "With php-fpm, a request also times out "
                            + "waiting for a free child when every child is busy.",
                            List.of(Fix.directive("pm.max_children = <higher>    # from free memory / average child size")),
                            phpFpmConfirm()));
                }
            }
            case RESET, PREMATURE_CLOSE -> {
                // while reading the body, the status had been sent: clients got a cut answer, not a 502
                boolean body = e.phase().equals("reading upstream");
                out.add(new Signal(CauseId.CLOSED_EARLY.id(), body ? 0.35 : 0.7, "The backend" + to + " closed the "
                        + "connection " + (body ? "in the middle of its answer, after nginx had sent the status (clients "
                        + "got a cut response rather than a 502)" : "before it answered") + ": its worker crashed or "
                        + "was killed (a request timeout, the OOM killer), or it closed an idle keepalive connection "
                        + "nginx was reusing.",
                        List.of(Fix.command("look at the backend's own log at the same second for the crash or kill"),
                                Fix.directive("request_terminate_timeout = 0    # php-fpm: or above the slowest request")),
                        List.of("systemctl --failed --type=service    # a backend that died",
                                "sudo dmesg -T | grep -iE 'killed process|segfault'    # workers the kernel killed or "
                                        + "that crashed")));
                if (kind == ErrorKind.RESET && e.upstreamScheme().map("http"::equals).orElse(false)) {
                    out.add(new Signal(CauseId.PROTOCOL_MISMATCH.id(), 0.3, "A reset right away can also be a TLS port "
                            + "answering nginx's plain HTTP.",
                            List.of(Fix.directive("proxy_pass https://…;    # if the backend speaks TLS")),
                            tlsProbe(at)));
                }
            }
            case TOO_BIG_HEADER -> out.add(new Signal(CauseId.BUFFER_TOO_SMALL.id(), 0.85, "The backend" + to + " sent "
                    + "response headers (often large cookies) that do not fit nginx's buffer.",
                    List.of(Fix.directive(prefix + "_buffer_size 16k;"), Fix.directive(prefix + "_buffers 8 16k;"),
                            Fix.directive(prefix + "_busy_buffers_size 32k;")),
                    List.of(headers(at).orElse("curl -sS -D - -o /dev/null <URL>    # the size of the headers"))));
            case INVALID_HEADER -> out.add(new Signal(CauseId.INVALID_HEADER.id(), 0.85, "The backend" + to + " sent a "
                    + "response header nginx refuses (a space or control character in a name, a duplicate, or "
                    + "Content-Length with Transfer-Encoding); it often shows right after an nginx upgrade.",
                    List.of(Fix.command("fix the header in the backend; nginx is right to refuse it")),
                    List.of(headers(at).orElse("curl -sS -D - -o /dev/null <URL>    # the offending header"))));
            case NO_VALID_HTTP, FASTCGI_PROTOCOL -> out.add(new Signal(CauseId.PROTOCOL_MISMATCH.id(), 0.8, "nginx speaks "
                    + "the wrong protocol" + to + ": "
                    + (kind == ErrorKind.FASTCGI_PROTOCOL ? "FastCGI to a port that speaks HTTP" : "the backend did not "
                    + "answer in HTTP (TLS, FastCGI or another protocol)") + ".",
                    List.of(Fix.directive(kind == ErrorKind.FASTCGI_PROTOCOL
                            ? "proxy_pass http://…;    # instead of fastcgi_pass, for an HTTP backend"
                            : "fastcgi_pass …; or proxy_pass https://…;    # whichever the backend speaks")),
                    tlsProbe(at)));
            case SSL_VERIFY -> out.add(new Signal(CauseId.SSL_VERIFY.id(), 0.85, "The backend's TLS certificate" + to
                    + " does not verify against the CA nginx trusts, or does not match the name nginx sends.",
                    List.of(Fix.directive("proxy_ssl_trusted_certificate /etc/nginx/upstream-ca.pem;"),
                            Fix.directive("proxy_ssl_name <name on the certificate>;"),
                            Fix.directive("proxy_ssl_verify_depth 2;    # when the chain has an intermediate")),
                    tlsProbe(at)));
            case SSL_HANDSHAKE -> out.add(new Signal(CauseId.SSL_HANDSHAKE.id(), 0.8, "The TLS handshake with the "
                    + "backend" + to + " failed: most often it wants SNI, which nginx does not send unless told, or the "
                    + "two share no protocol or cipher.",
                    List.of(Fix.directive("proxy_ssl_server_name on;"),
                            Fix.directive("proxy_ssl_protocols TLSv1.2 TLSv1.3;")),
                    tlsProbe(at)));
            case NO_RESOLVER, NOT_RESOLVED, HOST_NOT_FOUND -> {
                Optional<String> name = unresolved(e.message());
                String shownName = name.map(n -> " " + Words.shown(n)).orElse("");
                out.add(new Signal(CauseId.DNS_RESOLUTION.id(), 0.85, "nginx could not resolve the upstream name"
                        + shownName + (kind == ErrorKind.NO_RESOLVER ? ": a name in a variable needs a resolver "
                        + "directive, and there is none" : "") + ".",
                        List.of(Fix.directive("resolver 127.0.0.53 valid=30s;    # the host's resolver, from "
                                + "/etc/resolv.conf"), Fix.command("or use an IP address in the upstream")),
                        List.of("getent hosts " + name.flatMap(Words::host).orElse(Words.HOST)
                                + "    # nothing printed: the name does not resolve",
                                "grep -E '^nameserver' /etc/resolv.conf    # the resolver to name")));
            }
            case NO_LIVE -> {
                out.add(new Signal(CauseId.NO_LIVE_UPSTREAMS.id(), 0.6, "Every server of the upstream group was marked "
                        + "failed after earlier errors, so nginx tried none.",
                        List.of(Fix.directive("server … max_fails=3 fail_timeout=10s;    # in the upstream block"),
                                Fix.directive("server … backup;    # a server to use when the others fail")),
                        List.of(FIND_DIRECTIVE + "'upstream|server .*(max_fails|fail_timeout)'    # the group and "
                                + "its settings", "sudo grep -E 'connect\\(\\) failed|timed out' "
                                + "/var/log/nginx/error.log | tail -n 20    # the errors that marked them failed")));
                out.add(new Signal(CauseId.UPSTREAM_DOWN.id(), 0.4, "If the backends are down now, that is the cause and "
                        + "this line its consequence.",
                        List.of(Fix.command("sudo systemctl restart <SERVICE>    # the backends' unit")),
                        List.of("systemctl --failed --type=service    # a backend that died")));
            }
            case AGAIN -> out.add(new Signal(CauseId.PHP_FPM_SATURATED.id(), 0.7, "The backend's socket" + to + " had a "
                    + "full accept queue (resource temporarily unavailable): every worker was busy and the queue "
                    + "overflowed.",
                    List.of(Fix.directive("pm.max_children = <higher>    # from free memory / average child size"),
                            Fix.directive("listen.backlog = 4096")),
                    phpFpmConfirm()));
            case ADDR_NOT_AVAIL -> out.add(new Signal(CauseId.EPHEMERAL_PORTS.id(), 0.85, "No local port was left for a "
                    + "new connection" + to + ": nginx opens one per request and they wait in TIME-WAIT.",
                    List.of(Fix.directive("keepalive 32;    # in the upstream block"),
                            Fix.directive("proxy_http_version 1.1;"), Fix.directive("proxy_set_header Connection \"\";")),
                    List.of("ss -s    # many connections in TIME-WAIT (timewait)",
                            "sysctl net.ipv4.ip_local_port_range    # the ports there are")));
            case TOO_MANY_FILES -> out.add(new Signal(CauseId.FD_EXHAUSTED.id(), 0.85, "nginx ran out of file "
                    + "descriptors (too many open files).",
                    List.of(Fix.directive("worker_rlimit_nofile 65535;"),
                            Fix.command("sudo systemctl edit nginx    # [Service] LimitNOFILE=65535, then restart")),
                    List.of("grep 'open files' /proc/$(cat /run/nginx.pid)/limits    # the master's limit",
                            FIND_DIRECTIVE + "'worker_(rlimit_nofile|connections)'    # nginx's own settings")));
            case NO_SPACE -> out.add(new Signal(CauseId.RESOURCES_EXHAUSTED.id(), 0.85, "A filesystem nginx writes to "
                    + "(temp files, logs, cache) is full.",
                    List.of(Fix.command("free space on the full filesystem (old logs, caches)")),
                    List.of("df -h    # a filesystem at 100%", "df -i    # or out of inodes")));
            case WORKER_CONNECTIONS -> {
                Matcher m = WORKER_CONNECTIONS.matcher(e.message());
                String now = m.find() ? m.group(1) : "";
                String more = now.isEmpty() ? "<twice the current>" : Long.toString(Math.min(Long.parseLong(now) * 2,
                        1_000_000));
                out.add(new Signal(CauseId.WORKER_CONNECTIONS.id(), 0.9, "nginx ran out of connection slots"
                        + (now.isEmpty() ? "" : " (worker_connections " + now + ")") + "; each proxied request "
                        + "takes two.",
                        List.of(Fix.directive("worker_connections " + more + ";    # in events { }"),
                                Fix.directive("worker_rlimit_nofile " + (now.isEmpty() ? "<4 × worker_connections>"
                                        : Long.toString(Math.min(Long.parseLong(now) * 4, 4_000_000))) + ";")),
                        List.of(FIND_DIRECTIVE + "'worker_(connections|processes|rlimit_nofile)'    # the settings",
                                "ss -s    # how many connections are open")));
            }
            default -> {
            }
        }
        return out;
    }

    /** What a line of php-fpm's log supports. */
    static List<Signal> phpFpm(String level, String message) {
        List<Signal> out = new ArrayList<>();
        Matcher max = MAX_CHILDREN.matcher(message);
        if (message.contains("server reached pm.max_children") || max.find()) {
            String now = max.find(0) ? max.group(1) : "";
            String more = now.isEmpty() ? "<higher>" : Long.toString(Long.parseLong(now) * 2);
            out.add(new Signal(CauseId.PHP_FPM_SATURATED.id(), 0.85, "php-fpm had every child busy"
                    + (now.isEmpty() ? "" : " (pm.max_children " + now + ")") + ", so requests waited: nginx then "
                    + "times out (504) or finds the socket queue full (502).",
                    List.of(Fix.directive("pm.max_children = " + more + "    # sized from free memory / average child "
                            + "size"), Fix.command("sudo systemctl reload <php-fpm unit>")),
                    phpFpmConfirm()));
        } else if (message.contains("seems busy")) {
            out.add(new Signal(CauseId.PHP_FPM_SATURATED.id(), 0.5, "php-fpm was short of idle children and started "
                    + "more; near pm.max_children, requests wait.",
                    List.of(Fix.directive("pm.max_children = <higher>    # sized from free memory / average child size"),
                            Fix.directive("pm.start_servers, pm.min_spare_servers, pm.max_spare_servers higher")),
                    phpFpmConfirm()));
        } else if (message.contains("execution timed out")) {
            out.add(new Signal(CauseId.CLOSED_EARLY.id(), 0.75, "php-fpm killed a child whose script ran longer than "
                    + "request_terminate_timeout; nginx sees the connection closed before an answer (502).",
                    List.of(Fix.directive("request_terminate_timeout = 0    # or above the slowest request; it kills "
                            + "the child"), Fix.directive("request_slowlog_timeout = 5s    # to see where scripts hang")),
                    List.of("sudo grep -h 'execution timed out' /var/log/php*-fpm.log | tail -n 5    # how often, which "
                            + "scripts", "sudo grep -rh '^request_terminate_timeout' /etc/php/    # the limit set")));
        } else {
            Matcher sig = SIGNAL.matcher(message);
            if (message.contains("exited on signal") && sig.find()) {
                int n = Integer.parseInt(sig.group(1));
                boolean killed = n == 9;
                out.add(new Signal(CauseId.CLOSED_EARLY.id(), 0.7, "A php-fpm child died on signal " + n
                        + (n == 11 ? " (a crash: SIGSEGV, often an extension)" : killed ? " (SIGKILL)" : "")
                        + "; the request it served got no answer, which nginx logs as prematurely closed (502).",
                        List.of(Fix.command(n == 11 ? "find the crashing extension: disable recently added ones, or "
                                + "read the core dump" : "find what killed the child (the OOM killer, a watchdog)")),
                        List.of("sudo grep -h 'exited on signal' /var/log/php*-fpm.log | tail -n 5    # how often",
                                "sudo dmesg -T | grep -iE 'killed process|segfault'    # the kernel's view")));
                if (killed) {
                    out.add(new Signal(CauseId.OOM_KILLED.id(), 0.45, "SIGKILL is what the kernel's OOM killer sends.",
                            List.of(Fix.directive("pm.max_children = <lower>    # or give the host more memory")),
                            oomConfirm()));
                }
            }
        }
        return out;
    }

    /** What a kernel line supports. */
    static List<Signal> kernel(KernelEvents k) {
        List<Signal> out = new ArrayList<>();
        for (KernelEvents.OomKill kill : k.oomKills()) {
            out.add(new Signal(CauseId.OOM_KILLED.id(), 0.75, "The kernel killed " + Words.shown(kill.program()) + " (pid "
                    + kill.pid() + ") for memory; if it is the backend, nginx's refused or closed connections follow.",
                    List.of(Fix.command("sudo systemctl restart <SERVICE>    # the killed program's unit"),
                            Fix.command("lower its memory use (heap size, pm.max_children, workers) or raise its "
                                    + "memory limit")),
                    oomConfirm()));
        }
        k.apparmor().stream().filter(d -> d.subject().contains("nginx")).findFirst().ifPresent(d -> out.add(
                new Signal(CauseId.APPARMOR_DENIED.id(), 0.75, "AppArmor denied nginx " + Words.shown(d.operation())
                        + (d.target().isEmpty() ? "" : " on " + Words.shown(d.target())) + ".",
                        List.of(Fix.command("sudo aa-complain /etc/apparmor.d/usr.sbin.nginx    # to confirm; then "
                                + "allow it in the profile")),
                        List.of("sudo aa-status | grep -i nginx    # an enforced nginx profile"))));
        k.avc().stream().filter(d -> d.subject().contains("nginx")).findFirst().ifPresent(d -> out.add(
                new Signal(CauseId.SELINUX_DENIED.id(), d.permissive() ? 0.4 : 0.8, "SELinux denied nginx { "
                        + Words.shown(d.operation()) + " }" + (d.permissive() ? " in permissive mode (logged, not "
                        + "enforced)" : "") + ".",
                        List.of(Fix.command(d.operation().contains("name_connect")
                                ? "sudo setsebool -P httpd_can_network_connect 1"
                                : "sudo setsebool -P httpd_can_network_relay 1    # or a policy module for what was "
                                + "denied")),
                        List.of("getenforce    # Enforcing: SELinux applies",
                                "sudo ausearch -m avc -c nginx -ts recent    # the denials"))));
        return out;
    }

    private static String prefix(Optional<String> scheme) {
        return scheme.map(s -> switch (s) {
            case "fastcgi" -> "fastcgi";
            case "uwsgi" -> "uwsgi";
            case "scgi" -> "scgi";
            case "grpc", "grpcs" -> "grpc";
            default -> "proxy";
        }).orElse("proxy");
    }

    private static List<String> listening(Optional<Endpoint> at) {
        List<String> out = new ArrayList<>();
        if (at.map(Endpoint::isUnix).orElse(false)) {
            String path = at.flatMap(Endpoint::unixPath).flatMap(Words::path).orElse(Words.PATH);
            out.add("ls -l " + path + "    # missing: nothing serves the socket");
            out.add("sudo ss -lxnp | grep -F -- " + path + "    # empty: no process listens on it");
        } else {
            String port = at.flatMap(e -> Words.port(e.port())).orElse("<PORT>");
            out.add("sudo ss -ltnp 'sport = :" + port + "'    # empty: nothing listens on port " + port);
        }
        return out;
    }

    private static List<String> reach(Optional<Endpoint> at) {
        List<String> out = new ArrayList<>();
        String host = at.flatMap(Words::host).orElse(Words.HOST);
        String port = at.flatMap(e -> Words.port(e.port())).orElse("<PORT>");
        out.add("nc -vz -w 5 " + host + " " + port + "    # from the nginx host: a time-out means packets are "
                + "dropped on the way");
        out.add("ip route get " + host + "    # the route taken");
        out.add("sudo iptables -S | grep -- " + port + "    # a rule for the port; or nft list ruleset");
        return out;
    }

    private static List<String> timing(Optional<Endpoint> at, String prefix) {
        List<String> out = new ArrayList<>();
        at.flatMap(e -> Words.httpUrl(e, "/")).filter(u -> prefix.equals("proxy")).ifPresent(u -> out.add(
                "curl -sS -o /dev/null -m 300 -w '%{http_code} %{time_total}s\\n' " + u + "    # how long the backend "
                        + "takes, straight"));
        out.add(FIND_DIRECTIVE + "'" + prefix + "_(read|send)_timeout'    # the timeouts set (60s if none)");
        return out;
    }

    private static List<String> tlsProbe(Optional<Endpoint> at) {
        String hp = at.flatMap(Words::hostPort).orElse("<HOST>:<PORT>");
        List<String> out = new ArrayList<>();
        out.add("openssl s_client -connect " + hp + " -servername <NAME> </dev/null    # the certificate and protocol "
                + "the backend offers");
        at.flatMap(e -> Words.httpUrl(e, "/")).ifPresent(u -> out.add("curl -sS -o /dev/null -w '%{http_code}\\n' " + u
                + "    # whether it answers plain HTTP"));
        return out;
    }

    private static Optional<String> headers(Optional<Endpoint> at) {
        return at.flatMap(e -> Words.httpUrl(e, "/")).map(u -> "curl -sS -D - -o /dev/null " + u
                + "    # the headers the backend sends, straight");
    }

    private static List<String> phpFpmConfirm() {
        return List.of("sudo grep -h 'max_children' /var/log/php*-fpm.log | tail -n 5    # how often it was reached",
                "ps -eo rss=,args= | grep '[p]hp-fpm: pool'    # the children and their memory (KiB)",
                "free -m    # memory left for more children");
    }

    private static List<String> oomConfirm() {
        return List.of("sudo dmesg -T | grep -iE 'killed process|oom-kill'    # when, and which program",
                "free -m    # memory now", "systemctl --failed --type=service    # a backend that did not come back");
    }

    /** The name a resolution error is about, without a port. */
    static Optional<String> unresolved(String message) {
        Matcher m = UNRESOLVED.matcher(message);
        if (!m.find()) {
            return Optional.empty();
        }
        String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf(':') == colon && name.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            name = name.substring(0, colon);
        }
        return Optional.of(name);
    }
}
