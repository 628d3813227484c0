package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Confidence;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.incident.AccessStats;
import dev.chatops.checks.nginx502.incident.Backends;
import dev.chatops.checks.nginx502.incident.Failure;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.incident.Texts;
import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.NginxConfig;
import dev.chatops.nginx.config.Peer;
import dev.chatops.nginx.config.UpstreamBlock;
import dev.chatops.checks.nginx502.parse.container.Container;
import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.fix.Places;
import dev.chatops.checks.nginx502.fix.Words;
import dev.chatops.checks.nginx502.parse.host.BackendCandidates;
import dev.chatops.checks.nginx502.parse.host.HostFacts;
import dev.chatops.checks.nginx502.parse.host.Listener;
import dev.chatops.nginx.log.ErrorKind;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpmPool;
import dev.chatops.core.spi.Fix;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Connections the upstream did not accept ({@code 111}, a missing unix socket, {@code no live upstreams}),
 * told apart by what the host shows now: nothing listening at all ({@code upstream-down}), the backend
 * listening elsewhere ({@code upstream-wrong-address}), a name that now resolves elsewhere
 * ({@code upstream-stale-dns}), or backends that are up while nginx still marks them failed
 * ({@code no-live-upstreams}).
 */
final class ConnectionRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.NO_LIVE_UPSTREAMS, CauseId.STALE_DNS, CauseId.UPSTREAM_DOWN, CauseId.WRONG_ADDRESS);
    }

    @Override
    public List<Finding> apply(Incident in) {
        List<Finding> out = new ArrayList<>();
        for (Failure f : in.failures(ErrorKind.REFUSED, ErrorKind.NO_SOCKET_FILE)) {
            if (f.endpoint().isPresent()) {
                out.addAll(refused(in, f, f.endpoint().get()));
            }
        }
        for (Failure f : in.failures(ErrorKind.NO_LIVE)) {
            out.addAll(noLive(in, f));
        }
        if (in.upstreamErrorCount() == 0 && in.gatewayErrors() > 0) {
            out.addAll(silentLog(in));
        }
        return out;
    }

    /**
     * 502s in the access log and nothing in the error log (its level hides [error] lines, or it goes
     * elsewhere): the upstreams of the servers that answered 502 are checked directly.
     */
    private List<Finding> silentLog(Incident in) {
        HostEvidence host = in.host();
        List<Finding> out = new ArrayList<>();
        for (AccessStats a : in.access()) {
            if (a.gatewayErrors() == 0) {
                continue;
            }
            for (NginxConfig.Routed r : in.config().routes()) {
                if (!a.servers().isEmpty() && !a.servers().contains(r.server().shortLabel())) {
                    continue;
                }
                for (Peer p : r.target().peers()) {
                    Backends.State st = Backends.state(host, p.endpoint());
                    if (!st.downNow()) {
                        continue;
                    }
                    Endpoint e = p.endpoint();
                    boolean fastcgi = r.target().module().equals("fastcgi");
                    List<PhpFpmPool> pools = e.isUnix() || fastcgi ? Backends.otherPhpPools(host, e) : List.of();
                    if (!pools.isEmpty()) {
                        // php-fpm runs and listens, just not where nginx looks
                        PhpFpmPool pool = pools.stream().filter(x -> x.listensOnUnix() == e.isUnix()).findFirst()
                                .orElse(pools.get(0));
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
                        out.add(w.build());
                        return out;
                    }
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
                    out.add(b.build());
                    return out;
                }
            }
        }
        return out;
    }

    private List<Finding> refused(Incident in, Failure f, Endpoint e) {
        HostEvidence host = in.host();
        List<Finding> out = new ArrayList<>();
        Backends.State st = Backends.state(host, e);
        String what = f.kind() == ErrorKind.NO_SOCKET_FILE ? "the socket " + e.unixPath().orElse("") + " does not exist"
                : "connections to " + e.key() + " are refused";
        String listing = Backends.listingSource(host, e);
        Optional<String> clients = in.clientsGot(f.server());

        // a name resolved once at start-up, now pointing elsewhere
        if (!e.isUnix() && f.peer().isPresent() && !f.target().map(t -> t.dynamic()).orElse(false)
                && !f.peer().get().endpoint().isIpLiteral()
                && !f.peer().get().endpoint().bareHost().equalsIgnoreCase("localhost")) {
            String name = f.peer().get().endpoint().bareHost();
            Optional<List<String>> now = host.upstreams().resolved(name);
            if (now.isPresent() && !now.get().isEmpty() && !now.get().contains(e.bareHost())) {
                Finding.Builder b = Finding.of(CauseId.STALE_DNS, Confidence.HIGH)
                        .headline(f.serverName() + " → " + name + ": nginx still connects to " + e.bareHost()
                                + ", which " + name + " resolved to at start-up; it resolves to "
                                + String.join(", ", now.get()) + " now")
                        .detail("nginx resolves names in proxy_pass and upstream servers once, when it starts or "
                                + "reloads. " + name + " now resolves to " + String.join(", ", now.get())
                                + ", but nginx keeps connecting to " + e.bareHost() + " and " + what + ".")
                        .evidence(f)
                        .evidence("getent ahosts " + name, name + " resolves to " + String.join(", ", now.get())
                                + " now", 1)
                        .fix(Fix.command(in.instance().reloadCommand() + "    # re-resolves " + name + " now"));
                String ns = host.facts().nameservers().stream().findFirst().orElse("127.0.0.53");
                f.target().ifPresent(t -> b.fix(Fix.directive("resolver " + ns + " valid=10s;  # and proxy_pass "
                        + "with a variable: set $upstream_host " + name + "; proxy_pass " + t.scheme() + "://$upstream_host:"
                        + e.port() + ";", t.directive().at())));
                clients.ifPresent(c -> b.evidence(in.accessSource(), c, 1));
                out.add(b.build());
                return out;
            }
        }

        // "localhost" resolves to ::1 too, and the backend only listens on IPv4
        if (!e.isUnix() && e.bareHost().equals("::1") && st.downNow()) {
            Endpoint v4 = Endpoint.tcp("127.0.0.1", e.port());
            Backends.State s4 = Backends.state(host, v4);
            if (s4.upNow()) {
                Optional<Directive> d = Places.addressDirective(f.target(), f.peer());
                Finding.Builder b = Finding.of(CauseId.WRONG_ADDRESS, Confidence.STRONG)
                        .headline(f.serverName() + " → " + f.upstreamLabel() + ": localhost also resolves to ::1, "
                                + "where nothing listens; the backend listens on 127.0.0.1:" + e.port() + " only")
                        .detail("nginx sends part of the requests to [::1]:" + e.port() + " (localhost resolves to "
                                + "both 127.0.0.1 and ::1, or ::1 is written in the config), but the backend listens on "
                                + "IPv4 only (" + s4.listenerText() + "): every attempt on [::1]:" + e.port()
                                + " is refused, nginx retries the other address or, once all have failed, answers "
                                + "502 (\"no live upstreams\"). Write the IPv4 address." + clients.map(c -> "")
                                .orElse(" No client got a 5xx in the window: the retries hid it, at the cost of a "
                                        + "failed connect per attempt."))
                        .evidence(f)
                        .evidence(listing, "127.0.0.1:" + e.port() + " is listening"
                                + (s4.listenerText().isEmpty() ? "" : " (" + s4.listenerText() + ")")
                                + "; nothing on [::1]:" + e.port(), 1);
                d.ifPresent(dir -> b.fix(Fix.directive(dir.text().contains("localhost")
                        ? Places.replaceAddress(dir, "localhost", "127.0.0.1")
                        : "# delete: " + dir.text() + "    (nothing listens on [::1]:" + e.port() + "; 127.0.0.1:"
                        + e.port() + " is the backend)", dir.at())));
                b.fix(Fix.command(in.instance().reloadCommand()));
                clients.ifPresent(c -> b.evidence(in.accessSource(), c, 1));
                out.add(b.build());
                return out;
            }
        }

        if (st.upNow()) {
            if (in.failures(ErrorKind.NO_LIVE).stream().anyMatch(n -> n.target().isPresent()
                    && n.target().equals(f.target()))) {
                return out;
            }
            // it accepts connections again: it was down for a while inside the window
            Finding.Builder b = Finding.of(CauseId.UPSTREAM_DOWN, Confidence.WEAK)
                    .headline(f.serverName() + " → " + f.upstreamLabel() + " refused connections "
                            + Texts.span(f.first(), f.last()) + " but accepts them now")
                    .detail(e.key() + " was not accepting connections " + Texts.span(f.first(), f.last())
                            + " (" + Texts.attempts(f.count()) + "); it accepts them now"
                            + (st.listenerText().isEmpty() ? "" : " (" + st.listenerText() + ")")
                            + ". It restarted or was restarted: look at why it stopped.")
                    .evidence(f);
            // the unit's name is the host's: a command names it only as a valid unit name
            Optional<String> service = Backends.serviceFor(host, e, f.fastcgi()).flatMap(Words::name);
            if (service.isPresent() && host.facts().systemd()) {
                b.fix(Fix.command("sudo journalctl -u " + service.get() + " --since '" + Texts.stamp(f.first().time())
                        + "' -n 100 --no-pager"));
            } else {
                b.fix(Fix.command("look at the backend's own log around " + Texts.time(f.first().time())
                        + " for why it stopped accepting connections on " + Words.shown(e.key())));
            }
            out.add(b.build());
            return out;
        }

        boolean fastcgi = f.fastcgi() || e.key().contains("php");
        List<PhpFpmPool> pools = e.isUnix() || fastcgi ? Backends.otherPhpPools(host, e) : List.of();
        List<Listener> others = Backends.otherBackends(host, e, fastcgi);
        boolean wrongAddress = false;
        boolean backendRunsElsewhere = false;
        Optional<Directive> addr = Places.addressDirective(f.target(), f.peer());
        String written = f.peer().map(p -> p.endpoint().key()).orElse(e.key());
        if (!pools.isEmpty() && st.downNow()) {
            PhpFpmPool p = pools.stream().filter(x -> x.listensOnUnix() == e.isUnix()).findFirst().orElse(pools.get(0));
            String listen = p.listen().orElseThrow();
            String nginxForm = Backends.poolAddress(listen);
            Finding.Builder b = Finding.of(CauseId.WRONG_ADDRESS, Confidence.HIGH)
                    .headline(f.serverName() + " → " + f.upstreamLabel() + ": " + what + "; php-fpm pool ["
                            + p.name() + "] listens on " + listen)
                    .detail("nginx passes PHP requests to " + e.key() + ", where nothing listens ("
                            + listing + "), while php-fpm runs and its pool [" + p.name() + "] listens on " + listen
                            + " (" + p.setting("listen").map(s -> s.file() + ":" + s.line()).orElse(p.file())
                            + "). Point nginx at the pool's socket (or change the pool's listen).")
                    .evidence(f)
                    .evidence(p.setting("listen").map(s -> s.file() + ":" + s.line()).orElse(p.file()),
                            "[" + p.name() + "] listen = " + listen, 1)
                    .evidence(listing, "nothing listens on " + e.key(), 1);
            addr.ifPresent(d -> b.fix(Fix.directive(Places.replaceAddress(d, written, nginxForm), d.at())));
            b.fix(Fix.command(in.instance().reloadCommand()));
            p.setting("listen").ifPresent(s -> b.fix(Fix.directive("listen = " + e.unixPath().orElse(e.key())
                    + "    # or make the pool listen where nginx looks, then restart " + p.serviceName(), s.at())));
            clients.ifPresent(c -> b.evidence(in.accessSource(), c, 1));
            out.add(b.build());
            wrongAddress = true;
            backendRunsElsewhere = true;
        } else if (!others.isEmpty() && st.downNow()) {
            Listener c = others.get(0);
            String newAddr = c.isUnix() ? "unix:" + c.path().get()
                    : (c.wildcard() ? e.host() : c.address()) + ":" + c.port();
            // one clear candidate is a misaddressed config; several are as likely unrelated neighbours
            Confidence conf = others.size() == 1 ? Confidence.LIKELY : Confidence.DOUBTFUL;
            Finding.Builder b = Finding.of(CauseId.WRONG_ADDRESS, conf)
                    .headline(f.serverName() + " → " + f.upstreamLabel() + ": " + what + "; the backend ("
                            + String.join(", ", c.programs()) + ") listens on " + c.where())
                    .detail("Nothing listens on " + e.key() + " (" + listing + "), but " + c.label()
                            + " does, and no other part of the config uses it"
                            + (others.size() > 1 ? " (other candidates: " + others.subList(1, others.size()).stream()
                            .map(Listener::label).reduce((x, y) -> x + ", " + y).orElse("") + ")" : "")
                            + ". If that is the application, the address in the config is wrong.")
                    .evidence(f)
                    .evidence(listing, "nothing listens on " + e.key() + "; " + c.label() + " is listening", 1);
            addr.ifPresent(d -> b.fix(Fix.directive(Places.replaceAddress(d, written, newAddr), d.at())));
            b.fix(Fix.command(in.instance().reloadCommand()));
            clients.ifPresent(cl -> b.evidence(in.accessSource(), cl, 1));
            out.add(b.build());
            wrongAddress = true;
        }

        if (backendRunsElsewhere) {
            // php-fpm runs and listens elsewhere: nothing is down, the address is wrong
            return out;
        }
        // another listener only might be the application: then down stays a close second
        Confidence down = wrongAddress && others.size() == 1 ? Confidence.PLAUSIBLE : st.downNow() ? Confidence.HIGH : Confidence.POSSIBLE;
        Optional<String> service = Backends.serviceFor(host, e, fastcgi);
        Optional<HostFacts.Unit> unit = service.flatMap(host.facts()::unit);
        StringBuilder detail = new StringBuilder();
        detail.append(Texts.capitalize(what)).append(" (").append(Texts.attempts(f.count())).append(" ")
                .append(Texts.span(f.first(), f.last())).append(")");
        if (st.listenersKnown()) {
            detail.append(", and nothing listens on ").append(e.key()).append(" now (").append(listing).append(")");
        } else if (st.downNow()) {
            detail.append(", and a connect from this host is refused too");
        }
        detail.append('.');
        unit.ifPresent(u -> detail.append(" ").append(u.name()).append(" is ").append(u.active()).append(" (")
                .append(u.sub()).append(")").append(Backends.unitEnd(u)).append('.'));
        if (e.isUnix() && f.fastcgi() || e.key().contains("php")) {
            if (!host.phpFpm().running()) {
                detail.append(" No php-fpm process runs on this host.");
            }
        }
        if (!host.facts().systemd()) {
            detail.append(" This host has no systemd").append(host.facts().initName().isEmpty() ? ""
                    : " (pid 1 is " + host.facts().initName() + ")").append(".");
        }
        if (in.instance().container().isPresent()) {
            out.add(downInContainer(in, f, e, what, in.instance().container().get(), clients));
            return out;
        }
        Finding.Builder b = Finding.of(CauseId.UPSTREAM_DOWN, down)
                .headline(f.serverName() + " → " + f.upstreamLabel() + " is down: "
                        + (f.kind() == ErrorKind.NO_SOCKET_FILE ? "socket " + e.unixPath().orElse("") + " is missing"
                        : "nothing listens on " + e.key()))
                .detail(detail.toString())
                .evidence(f);
        if (st.listenersKnown()) {
            b.evidence(listing, "nothing listens on " + e.key(), 1);
        }
        unit.ifPresent(u -> b.evidence("systemctl", u.name() + " " + u.active() + " (" + u.sub() + ")" + Backends.unitEnd(u), 1));
        clients.ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        Backends.bringBack(host, service, e).forEach(b::fix);
        Places.addressReference(f.target(), f.peer(), e.key()).ifPresent(b::fix);
        out.add(b.build());
        return out;
    }

    /**
     * Refused inside a container: its addresses are its own network's (its 127.0.0.1 is its loopback), so the
     * host's listeners say nothing about them; what it proxies to is gone, and restarting the container (or
     * the one that serves that address) brings it back.
     */
    private static Finding downInContainer(Incident in, Failure f, Endpoint e, String what, Container c,
                                           Optional<String> clients) {
        Finding.Builder b = Finding.of(CauseId.UPSTREAM_DOWN, Confidence.PROBABLE)
                .headline(f.serverName() + " → " + f.upstreamLabel() + " is down: " + what + " inside " + c.label())
                .detail(Texts.capitalize(what) + " (" + Texts.attempts(f.count()) + " " + Texts.span(f.first(), f.last())
                        + "). nginx runs in " + c.label() + ", where " + e.key() + " is an address of the container's "
                        + "own network, not the host's; what listens there was not checked from the host. Restart the "
                        + "container (or the one that should serve " + e.key() + ") to bring its app back.")
                .evidence(f);
        clients.ifPresent(cl -> b.evidence(in.accessSource(), cl, 1));
        b.fix(Fix.command(c.restartCommand()));
        return b.build();
    }

    private List<Finding> noLive(Incident in, Failure f) {
        HostEvidence host = in.host();
        Optional<UpstreamBlock> up = f.target().flatMap(t -> t.upstream());
        List<Finding> out = new ArrayList<>();
        if (up.isEmpty() || up.get().peers().isEmpty()) {
            out.add(Finding.of(CauseId.NO_LIVE_UPSTREAMS, Confidence.WEAK)
                    .headline(f.serverName() + " → " + f.upstreamLabel() + ": no live upstreams")
                    .detail("nginx had marked every server of the upstream as failed. Which servers those are could "
                            + "not be read from the config.")
                    .evidence(f).build());
            return out;
        }
        List<Peer> down = new ArrayList<>();
        List<Peer> upNow = new ArrayList<>();
        for (Peer p : up.get().peers()) {
            if (p.backup() || p.down()) {
                continue;
            }
            Backends.State st = Backends.state(host, p.endpoint());
            if (st.downNow()) {
                down.add(p);
            } else if (st.upNow()) {
                upNow.add(p);
            }
        }
        String name = up.get().name();
        if (!down.isEmpty() && upNow.isEmpty()) {
            Optional<Finding> elsewhere = listensElsewhere(in, f, name, down);
            if (elsewhere.isPresent()) {
                // the backend runs and listens, just not where any server of the upstream points: nothing is down
                out.add(elsewhere.get());
                return out;
            }
            Endpoint e = down.get(0).endpoint();
            Finding.Builder b = Finding.of(CauseId.UPSTREAM_DOWN, Confidence.CLEAR)
                    .headline(f.serverName() + " → upstream " + name + " is down: nothing listens on "
                            + down.stream().map(p -> p.endpoint().key()).reduce((x, y) -> x + ", " + y).orElse(""))
                    .detail("nginx answers \"no live upstreams\" because every server of upstream " + name
                            + " failed, and none of them accepts connections now ("
                            + Backends.listingSource(host, e) + "). This is the backends being down, not nginx's "
                            + "failure accounting.")
                    .evidence(f);
            in.failures(ErrorKind.REFUSED, ErrorKind.NO_SOCKET_FILE).stream()
                    .filter(x -> x.endpoint().map(ep -> down.stream().anyMatch(p -> p.endpoint().key().equals(ep.key())))
                            .orElse(false)).findFirst().ifPresent(b::evidence);
            b.evidence(Backends.listingSource(host, e), "nothing listens on " + down.stream()
                    .map(p -> p.endpoint().key()).reduce((x, y) -> x + ", " + y).orElse(""), 1);
            in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
            Backends.bringBack(host, Backends.serviceFor(host, e, f.fastcgi()), e).forEach(b::fix);
            Places.addressReference(f.target(), Optional.of(down.get(0)), e.key()).ifPresent(b::fix);
            out.add(b.build());
            return out;
        }
        Confidence conf = down.isEmpty() ? Confidence.LIKELY : Confidence.DOUBTFUL;
        Finding.Builder b = Finding.of(CauseId.NO_LIVE_UPSTREAMS, conf)
                .headline(f.serverName() + " → upstream " + name + ": nginx marked every server failed, though "
                        + (down.isEmpty() ? "they accept connections now" : "some accept connections now"))
                .detail("\"no live upstreams\" means nginx had counted max_fails failures for every server of "
                        + name + " within fail_timeout and stopped trying them. "
                        + (upNow.isEmpty() ? "" : upNow.stream().map(p -> p.endpoint().key()).reduce((x, y) -> x + ", "
                        + y).orElse("") + " accept connections now, so the failures were short-lived: the backends "
                        + "flap or restart. ") + "Give nginx more tolerance and a backup server.")
                .evidence(f);
        in.failures().stream().filter(x -> x != f && x.target().equals(f.target()) && x.kind() != ErrorKind.NO_LIVE)
                .findFirst().ifPresent(b::evidence);
        for (Peer p : up.get().peers()) {
            p.server().ifPresent(d -> b.fix(Fix.directive("server " + p.endpoint().key() + " max_fails=3 fail_timeout=10s;",
                    d.at())));
        }
        b.fix(Fix.directive("server <another instance> backup;    # a server nginx uses when all others failed",
                up.get().directive().at()));
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        out.add(b.build());
        return out;
    }

    /**
     * Every server of an upstream is down, while the backend they are meant for runs and listens on another
     * address: a php-fpm pool (for FastCGI or unix sockets), else one clear listener of the same kind.
     */
    private Optional<Finding> listensElsewhere(Incident in, Failure f, String name, List<Peer> down) {
        HostEvidence host = in.host();
        boolean fastcgi = f.fastcgi() || down.stream().anyMatch(p -> p.endpoint().isUnix()
                || p.endpoint().key().contains("php"));
        Peer first = down.stream().filter(p -> p.endpoint().isUnix()).findFirst().orElse(down.get(0));
        String newAddr;
        String who;
        String whereFrom;
        String evidenceText;
        Confidence conf;
        Optional<PhpFpmPool> pool = fastcgi ? Backends.otherPhpPools(host, first.endpoint()).stream()
                .filter(p -> down.stream().noneMatch(d -> Backends.poolFor(host, d.endpoint()).map(p::equals)
                        .orElse(false)))
                .sorted(Comparator.comparing(p -> p.listensOnUnix() != first.endpoint().isUnix()))
                .findFirst() : Optional.empty();
        if (pool.isPresent()) {
            PhpFpmPool p = pool.get();
            String listen = p.listen().orElseThrow();
            newAddr = Backends.poolAddress(listen);
            who = "php-fpm pool [" + p.name() + "]";
            whereFrom = p.setting("listen").map(x -> x.file() + ":" + x.line()).orElse(p.file());
            evidenceText = "[" + p.name() + "] listen = " + listen;
            conf = Confidence.CONFIRMED;
        } else {
            List<Listener> others = down.stream().flatMap(d -> Backends.otherBackends(host, d.endpoint(), fastcgi)
                    .stream()).distinct().toList();
            if (others.size() != 1) {
                return Optional.empty();
            }
            Listener c = others.get(0);
            newAddr = c.isUnix() ? "unix:" + c.path().get()
                    : (c.wildcard() ? first.endpoint().host() : c.address()) + ":" + c.port();
            who = "the backend (" + String.join(", ", c.programs()) + ")";
            whereFrom = Backends.listingSource(host, BackendCandidates.endpointOf(c, first.endpoint()));
            evidenceText = c.label() + " is listening";
            conf = Confidence.FIRM;
        }
        String servers = down.stream().map(p -> p.endpoint().key()).reduce((x, y) -> x + ", " + y).orElse("");
        Finding.Builder b = Finding.of(CauseId.WRONG_ADDRESS, conf)
                .headline(f.serverName() + " → upstream " + name + ": no server of it listens (" + servers + "); "
                        + who + " listens on " + newAddr.replaceFirst("^unix:", ""))
                .detail("nginx answers \"no live upstreams\" because every server of upstream " + name + " failed: "
                        + "nothing listens on " + servers + " (" + Backends.listingSource(host, first.endpoint())
                        + "). The backend is not down: " + who + " runs and listens on " + newAddr.replaceFirst("^unix:", "")
                        + " (" + whereFrom + "), an address no server of the upstream names. Point the upstream at it; "
                        + "restarting the backend would change nothing.")
                .evidence(f);
        in.failures(ErrorKind.REFUSED, ErrorKind.NO_SOCKET_FILE).stream()
                .filter(x -> x.endpoint().map(ep -> down.stream().anyMatch(p -> p.endpoint().key().equals(ep.key())))
                        .orElse(false)).findFirst().ifPresent(b::evidence);
        b.evidence(whereFrom, evidenceText, 1);
        b.evidence(Backends.listingSource(host, first.endpoint()), "nothing listens on " + servers, 1);
        first.server().ifPresent(d -> b.fix(Fix.directive(Places.replaceAddress(d, first.endpoint().key(), newAddr),
                d.at())));
        for (Peer p : down) {
            if (p != first) {
                p.server().ifPresent(d -> b.fix(Fix.directive("# delete: " + d.text() + "    (nothing listens on "
                        + p.endpoint().key() + ")", d.at())));
            }
        }
        b.fix(Fix.command(in.instance().reloadCommand()));
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return Optional.of(b.build());
    }
}
