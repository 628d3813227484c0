package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Confidence;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.fix.Places;
import dev.chatops.checks.nginx502.incident.Backends;
import dev.chatops.checks.nginx502.incident.Failure;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.parse.host.BackendCandidates;
import dev.chatops.checks.nginx502.parse.host.Listener;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpmPool;
import dev.chatops.core.spi.Fix;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.Peer;
import dev.chatops.nginx.config.UpstreamBlock;
import dev.chatops.nginx.log.ErrorKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code no live upstreams}: nginx had marked every server of an upstream failed. Told apart by what the host shows
 * now: every server down ({@code upstream-down}), the backend listening on an address no server names
 * ({@code upstream-wrong-address}), or servers that accept connections again, so nginx's failure accounting is what
 * answers 502 ({@code no-live-upstreams}).
 */
final class NoLiveRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.NO_LIVE_UPSTREAMS, CauseId.UPSTREAM_DOWN, CauseId.WRONG_ADDRESS);
    }

    @Override
    public List<Finding> apply(Incident in) {
        List<Finding> out = new ArrayList<>();
        for (Failure f : in.failures(ErrorKind.NO_LIVE)) {
            out.add(noLive(in, f));
        }
        return out;
    }

    /** Decides which reading the host supports; the wording is in the methods below. */
    private static Finding noLive(Incident in, Failure f) {
        Optional<UpstreamBlock> up = f.target().flatMap(t -> t.upstream());
        if (up.isEmpty() || up.get().peers().isEmpty()) {
            return serversUnknown(f);
        }
        List<Peer> down = new ArrayList<>();
        List<Peer> upNow = new ArrayList<>();
        for (Peer p : up.get().peers()) {
            if (p.backup() || p.down()) {
                continue;
            }
            Backends.State st = Backends.state(in.host(), p.endpoint());
            if (st.downNow()) {
                down.add(p);
            } else if (st.upNow()) {
                upNow.add(p);
            }
        }
        String name = up.get().name();
        if (!down.isEmpty() && upNow.isEmpty()) {
            // the backend runs and listens, just not where any server of the upstream points: nothing is down
            return listensElsewhere(in, f, name, down).orElseGet(() -> allDown(in, f, name, down));
        }
        return markedFailed(in, f, up.get(), down, upNow);
    }

    private static Finding serversUnknown(Failure f) {
        return Finding.of(CauseId.NO_LIVE_UPSTREAMS, Confidence.WEAK)
                .headline(f.serverName() + " → " + f.upstreamLabel() + ": no live upstreams")
                .detail("nginx had marked every server of the upstream as failed. Which servers those are could "
                        + "not be read from the config.")
                .evidence(f).build();
    }

    private static Finding allDown(Incident in, Failure f, String name, List<Peer> down) {
        HostEvidence host = in.host();
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
        return b.build();
    }

    private static Finding markedFailed(Incident in, Failure f, UpstreamBlock up, List<Peer> down, List<Peer> upNow) {
        String name = up.name();
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
        for (Peer p : up.peers()) {
            p.server().ifPresent(d -> b.fix(Fix.directive("server " + p.endpoint().key() + " max_fails=3 fail_timeout=10s;",
                    d.at())));
        }
        b.fix(Fix.directive("server <another instance> backup;    # a server nginx uses when all others failed",
                up.directive().at()));
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }

    /**
     * Where the backend every server of an upstream was meant for listens instead: a php-fpm pool (for FastCGI or
     * unix sockets), else the one listener of the same kind.
     *
     * @param first    the server whose line the fix rewrites (a unix socket's first)
     * @param address  the address as nginx writes it
     * @param where    where that address is known from (a pool's setting, the listing)
     * @param evidence the line that shows it
     */
    private record Elsewhere(Peer first, String address, String who, String where, String evidence,
                             Confidence confidence) {

        static Optional<Elsewhere> find(HostEvidence host, Failure f, List<Peer> down) {
            boolean fastcgi = f.fastcgi() || down.stream().anyMatch(p -> p.endpoint().isUnix()
                    || p.endpoint().key().contains("php"));
            Peer first = down.stream().filter(p -> p.endpoint().isUnix()).findFirst().orElse(down.get(0));
            Optional<PhpFpmPool> pool = fastcgi ? Backends.otherPhpPools(host, first.endpoint()).stream()
                    .filter(p -> down.stream().noneMatch(d -> Backends.poolFor(host, d.endpoint()).map(p::equals)
                            .orElse(false)))
                    .sorted(Comparator.comparing(p -> p.listensOnUnix() != first.endpoint().isUnix()))
                    .findFirst() : Optional.empty();
            if (pool.isPresent()) {
                PhpFpmPool p = pool.get();
                String listen = p.listen().orElseThrow();
                return Optional.of(new Elsewhere(first, Backends.poolAddress(listen), "php-fpm pool [" + p.name() + "]",
                        p.setting("listen").map(x -> x.file() + ":" + x.line()).orElse(p.file()),
                        "[" + p.name() + "] listen = " + listen, Confidence.CONFIRMED));
            }
            List<Listener> others = down.stream().flatMap(d -> Backends.otherBackends(host, d.endpoint(), fastcgi)
                    .stream()).distinct().toList();
            if (others.size() != 1) {
                return Optional.empty();
            }
            Listener c = others.get(0);
            String address = c.isUnix() ? "unix:" + c.path().get()
                    : (c.wildcard() ? first.endpoint().host() : c.address()) + ":" + c.port();
            return Optional.of(new Elsewhere(first, address, "the backend (" + String.join(", ", c.programs()) + ")",
                    Backends.listingSource(host, BackendCandidates.endpointOf(c, first.endpoint())),
                    c.label() + " is listening", Confidence.FIRM));
        }
    }

    /** Every server of an upstream is down, while the backend they are meant for runs and listens elsewhere. */
    private static Optional<Finding> listensElsewhere(Incident in, Failure f, String name, List<Peer> down) {
        return Elsewhere.find(in.host(), f, down).map(x -> listensElsewhere(in, f, name, down, x));
    }

    private static Finding listensElsewhere(Incident in, Failure f, String name, List<Peer> down, Elsewhere x) {
        HostEvidence host = in.host();
        Peer first = x.first();
        String shown = x.address().replaceFirst("^unix:", "");
        String servers = down.stream().map(p -> p.endpoint().key()).reduce((a, c) -> a + ", " + c).orElse("");
        Finding.Builder b = Finding.of(CauseId.WRONG_ADDRESS, x.confidence())
                .headline(f.serverName() + " → upstream " + name + ": no server of it listens (" + servers + "); "
                        + x.who() + " listens on " + shown)
                .detail("nginx answers \"no live upstreams\" because every server of upstream " + name + " failed: "
                        + "nothing listens on " + servers + " (" + Backends.listingSource(host, first.endpoint())
                        + "). The backend is not down: " + x.who() + " runs and listens on " + shown
                        + " (" + x.where() + "), an address no server of the upstream names. Point the upstream at it; "
                        + "restarting the backend would change nothing.")
                .evidence(f);
        in.failures(ErrorKind.REFUSED, ErrorKind.NO_SOCKET_FILE).stream()
                .filter(r -> r.endpoint().map(ep -> down.stream().anyMatch(p -> p.endpoint().key().equals(ep.key())))
                        .orElse(false)).findFirst().ifPresent(b::evidence);
        b.evidence(x.where(), x.evidence(), 1);
        b.evidence(Backends.listingSource(host, first.endpoint()), "nothing listens on " + servers, 1);
        first.server().ifPresent(d -> b.fix(Fix.directive(Places.replaceAddress(d, first.endpoint().key(),
                x.address()), d.at())));
        for (Peer p : down) {
            if (p != first) {
                p.server().ifPresent(d -> b.fix(Fix.directive("# delete: " + d.text() + "    (nothing listens on "
                        + p.endpoint().key() + ")", d.at())));
            }
        }
        b.fix(Fix.command(in.instance().reloadCommand()));
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }
}
