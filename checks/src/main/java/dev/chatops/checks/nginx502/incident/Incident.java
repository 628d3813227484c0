package dev.chatops.checks.nginx502.incident;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.evidence.NginxInstance;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.LocationBlock;
import dev.chatops.nginx.config.NginxConfig;
import dev.chatops.nginx.config.PassTarget;
import dev.chatops.nginx.config.Peer;
import dev.chatops.nginx.config.ServerBlock;
import dev.chatops.nginx.log.AccessLogFormat;
import dev.chatops.nginx.log.AccessLogLine;
import dev.chatops.nginx.log.ErrorKind;
import dev.chatops.nginx.log.ErrorLogLine;
import dev.chatops.nginx.log.LogExcerpt;
import dev.chatops.nginx.log.LogWindow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One nginx instance's window, digested: its upstream errors grouped into {@link Failure}s mapped to
 * the config, what its access logs say clients got, and errors from before the window.
 */
public final class Incident {

    private final HostEvidence host;
    private final NginxInstance instance;
    private final List<ErrorLogLine> errors;
    private final List<Failure> failures;
    private final List<AccessStats> access;
    private final List<ErrorLogLine> past;
    private final long pastCount;
    private final long errorLinesInWindow;
    private final long errorLinesKept;

    public Incident(HostEvidence host, NginxInstance instance) {
        this.host = requireNonNull(host, "host is null");
        this.instance = requireNonNull(instance, "instance is null");
        LogWindow window = host.window();
        List<ErrorLogLine> all = new ArrayList<>();
        Map<ErrorLogLine, String> sourceOf = new HashMap<>();
        // one entry per log path (the host lists each once): identical lines are real repeats, keep them all
        Set<String> paths = new LinkedHashSet<>();
        List<ErrorLogLine> older = new ArrayList<>();
        long olderCount = 0;
        long total = 0;
        long kept = 0;
        for (LogExcerpt l : instance.logs(LogExcerpt.Kind.ERROR)) {
            if (!paths.add(l.path())) {
                continue;
            }
            total += l.total();
            kept += l.lines().size();
            for (ErrorLogLine e : window.errors(l)) {
                all.add(e);
                sourceOf.put(e, l.configuredPath());
            }
            older.addAll(window.olderErrors(l));
            olderCount += l.olderCount();
        }
        all.sort(Comparator.comparing(ErrorLogLine::time));
        this.errors = List.copyOf(all);
        this.errorLinesInWindow = total;
        this.errorLinesKept = kept;
        this.past = older.stream().filter(e -> e.kind().aboutUpstream()).sorted(Comparator.comparing(ErrorLogLine::time))
                .toList();
        this.pastCount = olderCount;
        this.failures = group(all, sourceOf);
        this.access = instance.logs(LogExcerpt.Kind.ACCESS).stream().map(this::stats).toList();
    }

    public HostEvidence host() {
        return host;
    }

    public NginxInstance instance() {
        return instance;
    }

    public NginxConfig config() {
        return instance.config();
    }

    public List<ErrorLogLine> errors() {
        return errors;
    }

    public List<Failure> failures() {
        return failures;
    }

    public List<Failure> failures(ErrorKind... kinds) {
        Set<ErrorKind> ks = Set.of(kinds);
        return failures.stream().filter(f -> ks.contains(f.kind())).toList();
    }

    public List<AccessStats> access() {
        return access;
    }

    public List<ErrorLogLine> past() {
        return past;
    }

    public long pastCount() {
        return pastCount;
    }

    /** Whether the error-log lines of the window were more than the host sent (a very noisy log). */
    public boolean errorsSampled() {
        return errorLinesInWindow > errorLinesKept;
    }

    public long errorLinesInWindow() {
        return errorLinesInWindow;
    }

    public int upstreamErrorCount() {
        return failures.stream().filter(f -> f.kind().aboutUpstream()).mapToInt(Failure::count).sum();
    }

    /** 502 and 504 answers in the window, over all access logs. */
    public int gatewayErrors() {
        return access.stream().mapToInt(AccessStats::gatewayErrors).sum();
    }

    public int serverErrors() {
        return access.stream().mapToInt(AccessStats::serverErrors).sum();
    }

    public long requests() {
        return access.stream().mapToLong(AccessStats::total).sum();
    }

    // ---- grouping ---------------------------------------------------------------------------------------

    private List<Failure> group(List<ErrorLogLine> lines, Map<ErrorLogLine, String> sourceOf) {
        Map<String, List<ErrorLogLine>> groups = new LinkedHashMap<>();
        for (ErrorLogLine e : lines) {
            ErrorKind k = e.kind();
            if (k == ErrorKind.UNRELATED) {
                continue;
            }
            String endpoint = endpointOf(e).map(Endpoint::key).orElse("");
            String key = k + "|" + endpoint + "|" + e.server().orElse("") + "|" + e.host().map(h -> h.replaceFirst(
                    "^[^:]*", "")).orElse("") + "|" + locationKey(e);
            groups.computeIfAbsent(key, x -> new ArrayList<>()).add(e);
        }
        List<Failure> out = new ArrayList<>();
        for (List<ErrorLogLine> g : groups.values()) {
            out.add(map(g, sourceOf.getOrDefault(g.get(0), "")));
        }
        out.sort(Comparator.comparingInt(Failure::count).reversed());
        return List.copyOf(out);
    }

    /**
     * The upstream address a line names, when the config leads there (or no config was read to judge by):
     * clients can write lines into the error log, and an address of their choosing is no upstream.
     */
    private Optional<Endpoint> endpointOf(ErrorLogLine e) {
        return e.upstreamEndpoint().or(e::messageEndpoint).filter(ep -> config().isEmpty() || config().leadsTo(ep));
    }

    private String locationKey(ErrorLogLine e) {
        return serverOf(e).flatMap(s -> e.uri().flatMap(u -> NginxConfig.locationFor(s, u)))
                .map(l -> l.directive().file() + ":" + l.directive().line()).orElse("");
    }

    private Optional<ServerBlock> serverOf(ErrorLogLine e) {
        if (config().servers().isEmpty() || e.server().isEmpty() && e.host().isEmpty()) {
            return Optional.empty();
        }
        return config().serverFor(e.server().orElse(""), e.host());
    }

    private Failure map(List<ErrorLogLine> lines, String source) {
        ErrorLogLine e = lines.get(lines.size() - 1);
        Optional<Endpoint> endpoint = endpointOf(e);
        String scheme = e.upstreamScheme().orElse("");
        Optional<ServerBlock> server = serverOf(e);
        Optional<LocationBlock> location = server.flatMap(s -> e.uri().flatMap(u -> NginxConfig.locationFor(s, u)));
        Optional<PassTarget> target = Optional.empty();
        if (location.isPresent()) {
            List<PassTarget> targets = config().passTargets(location.get());
            target = targets.stream().filter(t -> endpoint.map(ep -> matches(t, ep)).orElse(false)).findFirst();
            if (target.isEmpty() && targets.size() == 1) {
                target = Optional.of(targets.get(0));
            }
        }
        if (target.isEmpty() && endpoint.isPresent()) {
            Optional<ServerBlock> inServer = server;
            Optional<NginxConfig.Routed> route = config().routes().stream()
                    .filter(r -> matches(r.target(), endpoint.get()))
                    .filter(r -> inServer.map(s -> s == r.server()).orElse(true)).findFirst()
                    .or(() -> config().routes().stream().filter(r -> matches(r.target(), endpoint.get())).findFirst());
            if (route.isPresent()) {
                target = Optional.of(route.get().target());
                if (location.isEmpty()) {
                    location = Optional.of(route.get().location());
                }
                if (server.isEmpty()) {
                    server = Optional.of(route.get().server());
                }
            }
        }
        Optional<Peer> peer = Optional.empty();
        if (target.isPresent() && endpoint.isPresent()) {
            PassTarget t = target.get();
            peer = t.peers().stream().filter(p -> peerMatches(p.endpoint(), endpoint.get(), t)).findFirst();
        }
        return new Failure(e.kind(), endpoint, scheme, server, location, target, peer, lines, source);
    }

    /** Whether a pass target leads to this address (by upstream name, literal address or resolved name). */
    boolean matches(PassTarget t, Endpoint actual) {
        if (!actual.isUnix() && t.upstream().map(u -> u.name().equals(actual.bareHost())).orElse(false)) {
            return true;
        }
        return t.peers().stream().anyMatch(p -> peerMatches(p.endpoint(), actual, t));
    }

    boolean peerMatches(Endpoint written, Endpoint actual, PassTarget t) {
        if (written.key().equals(actual.key())) {
            return true;
        }
        if (written.isUnix() || actual.isUnix() || written.port() != actual.port()) {
            return false;
        }
        if (written.isIpLiteral()) {
            return false;
        }
        String name = written.bareHost();
        if (name.equalsIgnoreCase("localhost") && actual.isLoopback()) {
            return true;
        }
        Optional<List<String>> resolved = host.upstreams().resolved(name);
        if (resolved.isPresent() && resolved.get().contains(actual.bareHost())) {
            return true;
        }
        // a name nginx resolved at start-up: the only peer on that port is the one
        return t.peers().stream().filter(p -> p.endpoint().port() == actual.port()).count() == 1;
    }

    // ---- access logs ------------------------------------------------------------------------------------

    private AccessStats stats(LogExcerpt excerpt) {
        String path = excerpt.configuredPath();
        List<ServerBlock> writers = new ArrayList<>();
        Set<String> formats = new LinkedHashSet<>();
        for (ServerBlock s : config().servers()) {
            for (NginxConfig.AccessLog a : config().accessLogs(s)) {
                if (a.path().equals(path)) {
                    writers.add(s);
                    formats.add(a.format());
                }
            }
        }
        AccessLogFormat format = formats.size() == 1 ? AccessLogFormat.compile(formats.iterator().next())
                : AccessLogFormat.combined();
        Map<Integer, Integer> byStatus = new HashMap<>();
        Map<String, Map<Integer, Integer>> byServer = new HashMap<>();
        Map<String, Integer> byUpstream = new HashMap<>();
        Optional<String> lastBad = Optional.empty();
        for (AccessLogLine a : host.window().requests(excerpt.lines(), format)) {
            // 009: nginx passed a non-HTTP answer through (upstream sent no valid HTTP/1.0 header)
            if ((a.status() < 500 || a.status() > 599) && a.status() != 9) {
                continue;
            }
            byStatus.merge(a.status(), 1, Integer::sum);
            String server = writers.size() == 1 ? writers.get(0).shortLabel()
                    : a.serverName().or(a::host).map(h -> h.replaceFirst(":\\d+$", "")).orElse("");
            if (!server.isEmpty()) {
                byServer.computeIfAbsent(server, x -> new HashMap<>()).merge(a.status(), 1, Integer::sum);
            }
            a.lastUpstream().ifPresent(u -> byUpstream.merge(u, 1, Integer::sum));
            lastBad = Optional.of(a.raw());
        }
        int recentOk = 0;
        int recentTotal = 0;
        for (AccessLogLine a : host.window().requests(excerpt.recent(), format)) {
            recentTotal++;
            if (a.status() < 500 && a.status() >= 100) {
                recentOk++;
            }
        }
        return new AccessStats(excerpt.path(), excerpt.total(), byStatus, byServer, byUpstream,
                writers.stream().map(ServerBlock::shortLabel).distinct().toList(), recentOk, recentTotal, lastBad,
                excerpt.cutAtCap());
    }

    /** What the access logs say clients of one server got: {@code 25 of 25 requests … answered 502}. */
    public Optional<String> clientsGot(Optional<ServerBlock> server) {
        String last = "in the last " + Texts.minutes(host.window().length());
        for (AccessStats a : access) {
            if (a.serverErrors() == 0) {
                continue;
            }
            if (server.isPresent() && a.servers().size() == 1 && a.servers().get(0).equals(server.get().shortLabel())) {
                return Optional.of(a.serverErrors() + " of " + a.total() + " requests to " + server.get().shortLabel()
                        + " " + last + " answered " + a.statusText());
            }
            if (server.isPresent() && a.byServer().containsKey(server.get().shortLabel())) {
                Map<Integer, Integer> c = a.byServer().get(server.get().shortLabel());
                return Optional.of(c.values().stream().mapToInt(Integer::intValue).sum() + " requests to "
                        + server.get().shortLabel() + " " + last + " answered " + a.statusText(c) + " (" + a.total() + " requests in " + a.path() + ")");
            }
        }
        int bad = serverErrors();
        if (bad > 0) {
            AccessStats first = access.stream().filter(a -> a.serverErrors() > 0).findFirst().orElseThrow();
            return Optional.of(first.serverErrors() + " of " + first.total() + " requests " + last + " answered "
                    + first.statusText() + " (all servers)");
        }
        return Optional.empty();
    }

    /** The access log that shows what clients got, for evidence lines that quote it. */
    public String accessSource() {
        return access().stream().filter(a -> a.serverErrors() > 0).map(AccessStats::path).findFirst()
                .orElse("access log");
    }
}
