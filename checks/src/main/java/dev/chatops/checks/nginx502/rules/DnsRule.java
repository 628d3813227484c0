package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.evidence.ConfigTest;
import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Confidence;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.fix.Places;
import dev.chatops.checks.nginx502.fix.Words;
import dev.chatops.checks.nginx502.incident.Failure;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.incident.Texts;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Location;
import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.ServerBlock;
import dev.chatops.nginx.log.ErrorKind;
import dev.chatops.nginx.log.ErrorLogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A name in the config cannot be resolved: at run time with no {@code resolver} for a variable
 * {@code proxy_pass}, a name that does not resolve, or at start-up ({@code host not found in upstream},
 * which also makes {@code nginx -t} fail).
 */
final class DnsRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.DNS_RESOLUTION);
    }

    private static final Pattern NO_RESOLVER = Pattern.compile("no resolver defined to resolve (\\S+)");
    private static final Pattern NOT_RESOLVED = Pattern.compile("^(\\S+) could not be resolved \\(([^)]*)\\)");
    private static final Pattern HOST_NOT_FOUND = Pattern.compile("host not found in upstream \"([^\"]+)\"(?: in (/\\S+):(\\d+))?");

    @Override
    public List<Finding> apply(Incident in) {
        List<Finding> out = new ArrayList<>();
        String ns = in.host().facts().nameservers().stream().findFirst().orElse("127.0.0.53");
        for (Failure f : in.failures(ErrorKind.NO_RESOLVER)) {
            Matcher m = NO_RESOLVER.matcher(f.last().message());
            String name = m.find() ? m.group(1) : "the upstream name";
            out.add(onlyInHostsFile(in, f, name, ns).orElseGet(() -> noResolver(in, f, name, ns)));
        }
        for (Failure f : in.failures(ErrorKind.NOT_RESOLVED)) {
            Matcher m = NOT_RESOLVED.matcher(f.last().message());
            String name = m.find() ? m.group(1) : "the upstream name";
            out.add(onlyInHostsFile(in, f, name, ns).orElseGet(() -> notResolved(in, f, name, ns)));
        }
        atStartup(in).ifPresent(out::add);
        return out;
    }

    /** A variable in the pass target makes nginx resolve per request, and no {@code resolver} is set. */
    private static Finding noResolver(Incident in, Failure f, String name, String ns) {
        Optional<Location> place = Places.inLocation(f.location(), f.target(), "resolver");
        Finding.Builder b = Finding.of(CauseId.DNS_RESOLUTION, Confidence.PROVEN)
                .headline(f.serverName() + ": nginx cannot resolve " + name + ": no resolver is configured")
                .detail("The pass target holds a variable, so nginx resolves " + name + " per request, and that "
                        + "needs a resolver directive; there is none for this location. " + f.count()
                        + " requests failed " + Texts.span(f.first(), f.last()) + ". This host's resolver is " + ns
                        + " (/etc/resolv.conf).")
                .evidence(f);
        place.ifPresent(p -> b.fix(Fix.directive("resolver " + ns + " valid=30s;", p)));
        b.fix(Fix.command(in.instance().reloadCommand()));
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }

    /** nginx's resolver answered nothing for the name. */
    private static Finding notResolved(Incident in, Failure f, String name, String ns) {
        Optional<List<String>> now = in.host().upstreams().resolved(name);
        Optional<Location> place = Places.inLocation(f.location(), f.target(), "resolver");
        Finding.Builder b = Finding.of(CauseId.DNS_RESOLUTION, Confidence.HIGH)
                .headline(f.serverName() + ": " + name + " could not be resolved")
                .detail("nginx asked its resolver for " + name + " and got no address (\"" + f.last().message()
                        .replaceFirst(",.*$", "") + "\"), " + Texts.times(f.count()) + " " + Texts.span(f.first(), f.last())
                        + "." + now.map(a -> a.isEmpty() ? " It does not resolve from this host either."
                        : " From this host it resolves to " + String.join(", ", a) + ": nginx's resolver is the "
                        + "wrong one.").orElse(""))
                .evidence(f)
                // the name may come from a request (proxy_pass with $host): a command only for a valid name
                .fix(Fix.command("getent ahosts " + Words.host(name).orElse(Words.HOST)
                        + "    # fix the name or its DNS record"));
        // a resolver already set to that server would change nothing: the name is not in its DNS
        boolean sameResolver = Places.effective(f.location(), f.server(), "resolver").map(d -> d.args().contains(ns))
                .orElse(false);
        if (!sameResolver) {
            place.ifPresent(p -> b.fix(Fix.directive("resolver " + ns + " valid=30s;", p)));
        }
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }

    /** At start-up or reload: nginx refuses the whole config when a name in it does not resolve. */
    private static Optional<Finding> atStartup(Incident in) {
        ConfigTest test = in.instance().test();
        List<ErrorLogLine> startup = in.errors().stream().filter(e -> e.kind() == ErrorKind.HOST_NOT_FOUND).toList();
        String message = test.outcome() == ConfigTest.Outcome.FAILED && test.message().contains("host not found in upstream")
                ? test.message() : startup.isEmpty() ? "" : startup.get(startup.size() - 1).message();
        if (message.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = HOST_NOT_FOUND.matcher(message);
        String name = m.find() ? m.group(1) : "?";
        Optional<Location> at = test.at().or(() -> m.group(2) == null ? Optional.empty()
                : Optional.of(new Location(m.group(2), Integer.parseInt(m.group(3)))));
        String line = at.flatMap(l -> in.config().lineText(l.file(), l.line())).orElse("server " + name + ";");
        String host = name.replaceFirst(":\\d+$", "");
        Finding.Builder b = Finding.of(CauseId.DNS_RESOLUTION, in.instance().running() ? Confidence.PROBABLE : Confidence.PROVEN)
                .headline("nginx cannot resolve " + host + " in its config: it refuses to "
                        + (in.instance().running() ? "reload" : "start"))
                .detail("\"" + message + "\": nginx resolves names in upstream servers and static proxy_pass at "
                        + "start-up, and refuses the whole config when one does not resolve"
                        + (in.instance().running() ? "; the running nginx still has its old config, and the next "
                        + "reload or restart will fail." : "."))
                .evidence("nginx -t", message, 1);
        startup.stream().reduce((a, c) -> c).ifPresent(e -> b.evidence(in.instance().logs().stream().findFirst()
                .map(l -> l.path()).orElse("error log"), e.raw(), startup.size()));
        at.ifPresent(l -> b.fix(Fix.directive(line + "    # " + host + " does not resolve: use its address or fix "
                + "the name", l)));
        b.fix(Fix.command(in.instance().testCommand()));
        return Optional.of(b.build());
    }

    /**
     * A name that /etc/hosts lists: nginx found such names at start-up (the system resolver reads the file),
     * but its own {@code resolver}, used for names in variables, asks DNS servers only. Pointing it at the
     * host's DNS server helps only if that server knows the name; an upstream block named like the host (nginx
     * looks the variable's value up among upstream names before resolving), the address, or a DNS record do.
     */
    private Optional<Finding> onlyInHostsFile(Incident in, Failure f, String name, String ns) {
        List<String> listed = in.host().facts().hostsFile().map(h -> h.addresses(name)).orElse(List.of());
        if (listed.isEmpty()) {
            return Optional.empty();
        }
        String addr = listed.get(0);
        String literal = addr.contains(":") ? "[" + addr + "]" : addr;
        int port = f.target().flatMap(t -> t.peers().stream().findFirst()).map(p -> p.endpoint().port())
                .filter(p -> p > 0).orElse(80);
        Finding.Builder b = Finding.of(CauseId.DNS_RESOLUTION, Confidence.DECISIVE)
                .headline(f.serverName() + ": nginx cannot resolve " + name + ": it is in /etc/hosts, which nginx's "
                        + "resolver never reads")
                .detail("nginx resolves " + name + " per request (the pass target holds a variable) with its own "
                        + "resolver, which asks DNS servers only; " + name + " is listed in /etc/hosts (" + String.join(", ",
                        listed) + "), which only the system resolver reads (getent finds it, and so does nginx at start-up "
                        + "for names written without a variable). " + Texts.times(f.count()) + " "
                        + Texts.span(f.first(), f.last()) + ". A resolver directive pointing at " + ns
                        + " (/etc/resolv.conf) helps only if that DNS server also knows " + name
                        + ": name the address in the config, or add the name to DNS.")
                .evidence(f)
                .evidence("/etc/hosts", literal.replaceAll("[\\[\\]]", "") + " " + name, 1);
        Optional<Directive> server = f.server().map(ServerBlock::directive);
        server.ifPresent(d -> b.fix(Fix.directive("upstream " + name + " { server " + literal + ":" + port + "; }"
                + "    # in the http context: nginx takes a variable's host from an upstream of that name before it "
                + "asks a resolver", d.at())));
        Places.addressDirective(f.target(), Optional.empty()).filter(d -> d.text().contains(name))
                .ifPresent(d -> b.fix(Fix.directive(Places.replaceAddress(d, name, literal), d.at())));
        b.fix(Fix.command("add " + name + " (" + addr + ") to the DNS zone that " + ns + " serves    # then resolver "
                + ns + " valid=30s; finds it"));
        b.fix(Fix.command(in.instance().reloadCommand()));
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return Optional.of(b.build());
    }
}
