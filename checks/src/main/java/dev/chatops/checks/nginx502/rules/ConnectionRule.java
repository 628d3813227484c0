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
import dev.chatops.checks.nginx502.parse.container.Container;
import dev.chatops.checks.nginx502.parse.host.HostFacts;
import dev.chatops.checks.nginx502.parse.host.Listener;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpmPool;
import dev.chatops.core.spi.Fix;
import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.log.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Connections the upstream did not accept ({@code 111}, a missing unix socket), told apart by what the host shows
 * now: nothing listening at all ({@code upstream-down}), the backend listening elsewhere
 * ({@code upstream-wrong-address}), or a name that now resolves elsewhere ({@code upstream-stale-dns}).
 * {@link #refused} decides; each reading is worded in a method of its own.
 */
final class ConnectionRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.STALE_DNS, CauseId.UPSTREAM_DOWN, CauseId.WRONG_ADDRESS);
    }

    @Override
    public List<Finding> apply(Incident in) {
        List<Finding> out = new ArrayList<>();
        for (Failure f : in.failures(ErrorKind.REFUSED, ErrorKind.NO_SOCKET_FILE)) {
            f.endpoint().ifPresent(e -> out.addAll(refused(new Refusal(in, f, e))));
        }
        return out;
    }

    /** What the host shows about one refused address. */
    private record Refusal(Incident in, Failure f, Endpoint e, HostEvidence host, Backends.State state,
                           boolean fastcgi) {

        Refusal(Incident in, Failure f, Endpoint e) {
            this(in, f, e, in.host(), Backends.state(in.host(), e), f.fastcgi() || e.key().contains("php"));
        }

        /** What the name nginx resolved at start-up resolves to now, when that no longer includes the address. */
        Optional<List<String>> resolvesElsewhereNow() {
            if (e.isUnix() || f.peer().isEmpty() || f.target().map(t -> t.dynamic()).orElse(false)
                    || f.peer().get().endpoint().isIpLiteral()
                    || f.peer().get().endpoint().bareHost().equalsIgnoreCase("localhost")) {
                return Optional.empty();
            }
            return host.upstreams().resolved(f.peer().get().endpoint().bareHost())
                    .filter(now -> !now.isEmpty() && !now.contains(e.bareHost()));
        }

        /** Refused on ::1 while the same port accepts on 127.0.0.1: the state of the IPv4 address. */
        Optional<Backends.State> onlyIpv4Listens() {
            if (e.isUnix() || !e.bareHost().equals("::1") || !state.downNow()) {
                return Optional.empty();
            }
            return Optional.of(Backends.state(host, Endpoint.tcp("127.0.0.1", e.port()))).filter(Backends.State::upNow);
        }

        /** A "no live upstreams" of the same target already speaks for these refusals. */
        boolean coveredByNoLive() {
            return in.failures(ErrorKind.NO_LIVE).stream().anyMatch(n -> n.target().isPresent()
                    && n.target().equals(f.target()));
        }

        /** A running php-fpm pool that listens on another address, when nothing listens here. */
        Optional<PhpFpmPool> poolElsewhere() {
            List<PhpFpmPool> pools = e.isUnix() || fastcgi ? Backends.otherPhpPools(host, e) : List.of();
            return pools.isEmpty() || !state.downNow() ? Optional.empty()
                    : Optional.of(pools.stream().filter(x -> x.listensOnUnix() == e.isUnix()).findFirst()
                    .orElse(pools.get(0)));
        }

        /** Listeners of the same kind no other part of the config uses: where the backend may really be. */
        List<Listener> others() {
            return Backends.otherBackends(host, e, fastcgi);
        }

        String what() {
            return f.kind() == ErrorKind.NO_SOCKET_FILE ? "the socket " + e.unixPath().orElse("") + " does not exist"
                    : "connections to " + e.key() + " are refused";
        }

        String listing() {
            return Backends.listingSource(host, e);
        }

        Optional<String> clients() {
            return in.clientsGot(f.server());
        }

        /** The address as the config writes it, for a fix that replaces it. */
        String written() {
            return f.peer().map(p -> p.endpoint().key()).orElse(e.key());
        }
    }

    /** Decides what the refusals mean, in the order the evidence settles it. */
    private static List<Finding> refused(Refusal r) {
        Optional<List<String>> moved = r.resolvesElsewhereNow();
        if (moved.isPresent()) {
            return List.of(staleDns(r, moved.get()));
        }
        Optional<Backends.State> v4 = r.onlyIpv4Listens();
        if (v4.isPresent()) {
            return List.of(ipv6Refused(r, v4.get()));
        }
        if (r.state().upNow()) {
            return r.coveredByNoLive() ? List.of() : List.of(backAgain(r));
        }
        Optional<PhpFpmPool> pool = r.poolElsewhere();
        if (pool.isPresent()) {
            // php-fpm runs and listens elsewhere: nothing is down, the address is wrong
            return List.of(poolElsewhere(r, pool.get()));
        }
        List<Finding> out = new ArrayList<>();
        List<Listener> others = r.others();
        boolean elsewhere = !others.isEmpty() && r.state().downNow();
        if (elsewhere) {
            // one clear candidate is a misaddressed config; several are as likely unrelated neighbours
            out.add(listenerElsewhere(r, others, others.size() == 1 ? Confidence.LIKELY : Confidence.DOUBTFUL));
        }
        // another listener only might be the application: then down stays a close second
        Confidence down = elsewhere && others.size() == 1 ? Confidence.PLAUSIBLE
                : r.state().downNow() ? Confidence.HIGH : Confidence.POSSIBLE;
        out.add(r.in().instance().container().map(c -> downInContainer(r, c)).orElseGet(() -> down(r, down)));
        return out;
    }

    /** A name resolved once at start-up, now pointing elsewhere. */
    private static Finding staleDns(Refusal r, List<String> now) {
        Failure f = r.f();
        Endpoint e = r.e();
        String name = f.peer().orElseThrow().endpoint().bareHost();
        Finding.Builder b = Finding.of(CauseId.STALE_DNS, Confidence.HIGH)
                .headline(f.serverName() + " → " + name + ": nginx still connects to " + e.bareHost()
                        + ", which " + name + " resolved to at start-up; it resolves to "
                        + String.join(", ", now) + " now")
                .detail("nginx resolves names in proxy_pass and upstream servers once, when it starts or "
                        + "reloads. " + name + " now resolves to " + String.join(", ", now)
                        + ", but nginx keeps connecting to " + e.bareHost() + " and " + r.what() + ".")
                .evidence(f)
                .evidence("getent ahosts " + name, name + " resolves to " + String.join(", ", now) + " now", 1)
                .fix(Fix.command(r.in().instance().reloadCommand() + "    # re-resolves " + name + " now"));
        String ns = r.host().facts().nameservers().stream().findFirst().orElse("127.0.0.53");
        f.target().ifPresent(t -> b.fix(Fix.directive("resolver " + ns + " valid=10s;  # and proxy_pass "
                + "with a variable: set $upstream_host " + name + "; proxy_pass " + t.scheme() + "://$upstream_host:"
                + e.port() + ";", t.directive().at())));
        r.clients().ifPresent(c -> b.evidence(r.in().accessSource(), c, 1));
        return b.build();
    }

    /** "localhost" resolves to ::1 too, and the backend only listens on IPv4. */
    private static Finding ipv6Refused(Refusal r, Backends.State s4) {
        Failure f = r.f();
        Endpoint e = r.e();
        Optional<Directive> d = Places.addressDirective(f.target(), f.peer());
        Finding.Builder b = Finding.of(CauseId.WRONG_ADDRESS, Confidence.STRONG)
                .headline(f.serverName() + " → " + f.upstreamLabel() + ": localhost also resolves to ::1, "
                        + "where nothing listens; the backend listens on 127.0.0.1:" + e.port() + " only")
                .detail("nginx sends part of the requests to [::1]:" + e.port() + " (localhost resolves to "
                        + "both 127.0.0.1 and ::1, or ::1 is written in the config), but the backend listens on "
                        + "IPv4 only (" + s4.listenerText() + "): every attempt on [::1]:" + e.port()
                        + " is refused, nginx retries the other address or, once all have failed, answers "
                        + "502 (\"no live upstreams\"). Write the IPv4 address." + r.clients().map(c -> "")
                        .orElse(" No client got a 5xx in the window: the retries hid it, at the cost of a "
                                + "failed connect per attempt."))
                .evidence(f)
                .evidence(r.listing(), "127.0.0.1:" + e.port() + " is listening"
                        + (s4.listenerText().isEmpty() ? "" : " (" + s4.listenerText() + ")")
                        + "; nothing on [::1]:" + e.port(), 1);
        d.ifPresent(dir -> b.fix(Fix.directive(dir.text().contains("localhost")
                ? Places.replaceAddress(dir, "localhost", "127.0.0.1")
                : "# delete: " + dir.text() + "    (nothing listens on [::1]:" + e.port() + "; 127.0.0.1:"
                + e.port() + " is the backend)", dir.at())));
        b.fix(Fix.command(r.in().instance().reloadCommand()));
        r.clients().ifPresent(c -> b.evidence(r.in().accessSource(), c, 1));
        return b.build();
    }

    /** It accepts connections again: it was down for a while inside the window. */
    private static Finding backAgain(Refusal r) {
        Failure f = r.f();
        Endpoint e = r.e();
        Backends.State st = r.state();
        Finding.Builder b = Finding.of(CauseId.UPSTREAM_DOWN, Confidence.WEAK)
                .headline(f.serverName() + " → " + f.upstreamLabel() + " refused connections "
                        + Texts.span(f.first(), f.last()) + " but accepts them now")
                .detail(e.key() + " was not accepting connections " + Texts.span(f.first(), f.last())
                        + " (" + Texts.attempts(f.count()) + "); it accepts them now"
                        + (st.listenerText().isEmpty() ? "" : " (" + st.listenerText() + ")")
                        + ". It restarted or was restarted: look at why it stopped.")
                .evidence(f);
        // the unit's name is the host's: a command names it only as a valid unit name
        Optional<String> service = Backends.serviceFor(r.host(), e, f.fastcgi()).flatMap(Words::name);
        if (service.isPresent() && r.host().facts().systemd()) {
            b.fix(Fix.command("sudo journalctl -u " + service.get() + " --since '" + Texts.stamp(f.first().time())
                    + "' -n 100 --no-pager"));
        } else {
            b.fix(Fix.command("look at the backend's own log around " + Texts.time(f.first().time())
                    + " for why it stopped accepting connections on " + Words.shown(e.key())));
        }
        return b.build();
    }

    private static Finding poolElsewhere(Refusal r, PhpFpmPool p) {
        Failure f = r.f();
        Endpoint e = r.e();
        String listen = p.listen().orElseThrow();
        String nginxForm = Backends.poolAddress(listen);
        Finding.Builder b = Finding.of(CauseId.WRONG_ADDRESS, Confidence.HIGH)
                .headline(f.serverName() + " → " + f.upstreamLabel() + ": " + r.what() + "; php-fpm pool ["
                        + p.name() + "] listens on " + listen)
                .detail("nginx passes PHP requests to " + e.key() + ", where nothing listens ("
                        + r.listing() + "), while php-fpm runs and its pool [" + p.name() + "] listens on " + listen
                        + " (" + p.setting("listen").map(s -> s.file() + ":" + s.line()).orElse(p.file())
                        + "). Point nginx at the pool's socket (or change the pool's listen).")
                .evidence(f)
                .evidence(p.setting("listen").map(s -> s.file() + ":" + s.line()).orElse(p.file()),
                        "[" + p.name() + "] listen = " + listen, 1)
                .evidence(r.listing(), "nothing listens on " + e.key(), 1);
        Places.addressDirective(f.target(), f.peer()).ifPresent(d -> b.fix(Fix.directive(
                Places.replaceAddress(d, r.written(), nginxForm), d.at())));
        b.fix(Fix.command(r.in().instance().reloadCommand()));
        p.setting("listen").ifPresent(s -> b.fix(Fix.directive("listen = " + e.unixPath().orElse(e.key())
                + "    # or make the pool listen where nginx looks, then restart " + p.serviceName(), s.at())));
        r.clients().ifPresent(c -> b.evidence(r.in().accessSource(), c, 1));
        return b.build();
    }

    private static Finding listenerElsewhere(Refusal r, List<Listener> others, Confidence conf) {
        Failure f = r.f();
        Endpoint e = r.e();
        Listener c = others.get(0);
        String newAddr = c.isUnix() ? "unix:" + c.path().get()
                : (c.wildcard() ? e.host() : c.address()) + ":" + c.port();
        Finding.Builder b = Finding.of(CauseId.WRONG_ADDRESS, conf)
                .headline(f.serverName() + " → " + f.upstreamLabel() + ": " + r.what() + "; the backend ("
                        + String.join(", ", c.programs()) + ") listens on " + c.where())
                .detail("Nothing listens on " + e.key() + " (" + r.listing() + "), but " + c.label()
                        + " does, and no other part of the config uses it"
                        + (others.size() > 1 ? " (other candidates: " + others.subList(1, others.size()).stream()
                        .map(Listener::label).reduce((x, y) -> x + ", " + y).orElse("") + ")" : "")
                        + ". If that is the application, the address in the config is wrong.")
                .evidence(f)
                .evidence(r.listing(), "nothing listens on " + e.key() + "; " + c.label() + " is listening", 1);
        Places.addressDirective(f.target(), f.peer()).ifPresent(d -> b.fix(Fix.directive(
                Places.replaceAddress(d, r.written(), newAddr), d.at())));
        b.fix(Fix.command(r.in().instance().reloadCommand()));
        r.clients().ifPresent(cl -> b.evidence(r.in().accessSource(), cl, 1));
        return b.build();
    }

    private static Finding down(Refusal r, Confidence conf) {
        Failure f = r.f();
        Endpoint e = r.e();
        HostEvidence host = r.host();
        Backends.State st = r.state();
        Optional<String> service = Backends.serviceFor(host, e, r.fastcgi());
        Optional<HostFacts.Unit> unit = service.flatMap(host.facts()::unit);
        StringBuilder detail = new StringBuilder();
        detail.append(Texts.capitalize(r.what())).append(" (").append(Texts.attempts(f.count())).append(" ")
                .append(Texts.span(f.first(), f.last())).append(")");
        if (st.listenersKnown()) {
            detail.append(", and nothing listens on ").append(e.key()).append(" now (").append(r.listing()).append(")");
        } else if (st.downNow()) {
            detail.append(", and a connect from this host is refused too");
        }
        detail.append('.');
        unit.ifPresent(u -> detail.append(" ").append(u.name()).append(" is ").append(u.active()).append(" (")
                .append(u.sub()).append(")").append(Backends.unitEnd(u)).append('.'));
        if ((e.isUnix() && f.fastcgi() || e.key().contains("php")) && !host.phpFpm().running()) {
            detail.append(" No php-fpm process runs on this host.");
        }
        if (!host.facts().systemd()) {
            detail.append(" This host has no systemd").append(host.facts().initName().isEmpty() ? ""
                    : " (pid 1 is " + host.facts().initName() + ")").append(".");
        }
        Finding.Builder b = Finding.of(CauseId.UPSTREAM_DOWN, conf)
                .headline(f.serverName() + " → " + f.upstreamLabel() + " is down: "
                        + (f.kind() == ErrorKind.NO_SOCKET_FILE ? "socket " + e.unixPath().orElse("") + " is missing"
                        : "nothing listens on " + e.key()))
                .detail(detail.toString())
                .evidence(f);
        if (st.listenersKnown()) {
            b.evidence(r.listing(), "nothing listens on " + e.key(), 1);
        }
        unit.ifPresent(u -> b.evidence("systemctl", u.name() + " " + u.active() + " (" + u.sub() + ")"
                + Backends.unitEnd(u), 1));
        r.clients().ifPresent(c -> b.evidence(r.in().accessSource(), c, 1));
        Backends.bringBack(host, service, e).forEach(b::fix);
        Places.addressReference(f.target(), f.peer(), e.key()).ifPresent(b::fix);
        return b.build();
    }

    /**
     * Refused inside a container: its addresses are its own network's (its 127.0.0.1 is its loopback), so the
     * host's listeners say nothing about them; what it proxies to is gone, and restarting the container (or
     * the one that serves that address) brings it back.
     */
    private static Finding downInContainer(Refusal r, Container c) {
        Failure f = r.f();
        Endpoint e = r.e();
        Finding.Builder b = Finding.of(CauseId.UPSTREAM_DOWN, Confidence.PROBABLE)
                .headline(f.serverName() + " → " + f.upstreamLabel() + " is down: " + r.what() + " inside " + c.label())
                .detail(Texts.capitalize(r.what()) + " (" + Texts.attempts(f.count()) + " "
                        + Texts.span(f.first(), f.last())
                        + "). nginx runs in " + c.label() + ", where " + e.key() + " is an address of the container's "
                        + "own network, not the host's; what listens there was not checked from the host. Restart the "
                        + "container (or the one that should serve " + e.key() + ") to bring its app back.")
                .evidence(f);
        r.clients().ifPresent(cl -> b.evidence(r.in().accessSource(), cl, 1));
        b.fix(Fix.command(c.restartCommand()));
        return b.build();
    }
}
