package dev.chatops.nginx.config;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration a running nginx uses, as one tree with includes spliced in where they were
 * written; every directive keeps the file and line it came from. Answers the questions a 502
 * diagnosis asks: which server and location served a request, where it was passed to, which
 * timeout or buffer applied there, and which logs it wrote to.
 */
public final class NginxConfig {

    public static final String COMBINED = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
            + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\"";

    private static final Set<String> PASS_DIRECTIVES = Set.of("proxy_pass", "fastcgi_pass", "uwsgi_pass",
            "grpc_pass", "scgi_pass");
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\{([A-Za-z0-9_]+)}|([A-Za-z0-9_]+))");
    private static final int MAX_INCLUDE_DEPTH = 16;
    /** Directives kept from one dump; a real config has a few thousand. */
    static final int MAX_DIRECTIVES = 200_000;

    private final String mainFile;
    private final String prefix;
    private final Map<String, String> files;
    private final List<Directive> main;
    private final List<ServerBlock> servers = new ArrayList<>();
    private final Map<String, UpstreamBlock> upstreams = new LinkedHashMap<>();
    /** Computed on first use (the tree never changes): the rules ask for them once per log line. */
    private List<Routed> routes;
    private List<Endpoint> endpoints;

    private NginxConfig(String mainFile, String prefix, Map<String, String> files, List<Directive> main) {
        this.mainFile = mainFile;
        this.prefix = prefix;
        this.files = files;
        this.main = main;
        http().ifPresent(http -> {
            for (Directive d : http.children()) {
                if (d.name().equals("server") && d.block()) {
                    servers.add(new ServerBlock(d, http));
                } else if (d.name().equals("upstream") && d.block() && !d.args().isEmpty()) {
                    List<Peer> peers = d.all("server").stream().map(Peer::ofServer).flatMap(Optional::stream).toList();
                    upstreams.putIfAbsent(d.args().get(0), new UpstreamBlock(d.args().get(0), d, peers));
                }
            }
        });
    }

    /**
     * The tree of a dump. {@code prefix} is nginx's prefix ({@code -p}, or the compiled one): relative log
     * paths are resolved against it; relative includes against the main file's directory.
     */
    public static NginxConfig from(ConfigDump dump, String prefix) {
        requireNonNull(dump, "dump is null");
        requireNonNull(prefix, "prefix is null");
        if (dump.isEmpty()) {
            return empty();
        }
        String mainFile = dump.mainFile().orElseThrow();
        Map<String, List<Directive>> parsed = new LinkedHashMap<>();
        dump.files().forEach((f, text) -> parsed.put(f, ConfigParser.parse(text, f)));
        String confDir = mainFile.contains("/") ? mainFile.substring(0, mainFile.lastIndexOf('/')) : ".";
        Expansion x = new Expansion();
        x.including.add(mainFile);
        List<Directive> main = expand(parsed.get(mainFile), parsed, confDir, x);
        return new NginxConfig(mainFile, prefix, dump.files(), main);
    }

    public static NginxConfig empty() {
        return new NginxConfig("", "", Map.of(), List.of());
    }

    /**
     * Splices included files in where they are included. A file is never spliced inside itself (nginx would
     * fail on that loop; a dump can still show it), blocks deeper than the parser's limit are dropped, and the
     * whole tree is capped at {@link #MAX_DIRECTIVES}: a config written to blow up cannot exhaust memory.
     */
    private static List<Directive> expand(List<Directive> directives, Map<String, List<Directive>> files, String confDir,
                                          Expansion x) {
        List<Directive> out = new ArrayList<>();
        for (Directive d : directives) {
            if (x.size >= MAX_DIRECTIVES) {
                break;
            }
            if (d.name().equals("include") && !d.block() && d.args().size() == 1) {
                if (x.including.size() >= MAX_INCLUDE_DEPTH) {
                    continue;
                }
                String pattern = d.args().get(0);
                String abs = pattern.startsWith("/") ? pattern : confDir + "/" + pattern;
                List<String> matched = files.keySet().stream().filter(f -> Glob.matches(abs, f)).sorted().toList();
                for (String f : matched) {
                    if (x.including.add(f)) {
                        out.addAll(expand(files.get(f), files, confDir, x));
                        x.including.remove(f);
                    }
                }
            } else if (d.block()) {
                if (x.depth >= ConfigParser.MAX_DEPTH) {
                    continue;
                }
                x.size++;
                x.depth++;
                List<Directive> children = expand(d.children(), files, confDir, x);
                x.depth--;
                out.add(new Directive(d.name(), d.args(), d.file(), d.line(), true, children));
            } else {
                x.size++;
                out.add(d);
            }
        }
        return out;
    }

    /** The state of one expansion: the files being spliced (outermost first), block depth, directives so far. */
    private static final class Expansion {
        final Set<String> including = new LinkedHashSet<>();
        int depth;
        int size;
    }

    public boolean isEmpty() {
        return main.isEmpty();
    }

    public String mainFile() {
        return mainFile;
    }

    public String prefix() {
        return prefix;
    }

    public List<Directive> main() {
        return main;
    }

    /** The files of the dump, by path. */
    public Set<String> files() {
        return files.keySet();
    }

    /** The text of one line as written, without surrounding blanks. */
    public Optional<String> lineText(String file, int line) {
        String text = files.get(file);
        if (text == null || line < 1) {
            return Optional.empty();
        }
        String[] lines = text.split("\n", -1);
        // shown on one line: control characters a file may hold are not passed on
        return line <= lines.length ? Optional.of(lines[line - 1].strip().replaceAll("[\\p{Cntrl}]", "?"))
                : Optional.empty();
    }

    public Optional<Directive> mainDirective(String name) {
        Directive found = null;
        for (Directive d : main) {
            if (d.name().equals(name)) {
                found = d;
            }
        }
        return Optional.ofNullable(found);
    }

    public Optional<Directive> http() {
        return mainDirective("http").filter(Directive::block);
    }

    public Optional<Directive> events() {
        return mainDirective("events").filter(Directive::block);
    }

    /** The user the worker processes run as ({@code user} directive); empty when not set. */
    public Optional<String> user() {
        return mainDirective("user").flatMap(d -> d.arg(0));
    }

    public List<ServerBlock> servers() {
        return List.copyOf(servers);
    }

    public Map<String, UpstreamBlock> upstreams() {
        return java.util.Collections.unmodifiableMap(upstreams);
    }

    // ---- server and location lookup ----------------------------------------------------------------

    /**
     * The server block an error-log line belongs to: nginx logs the first {@code server_name} of the
     * block as {@code server:} and the request's Host as {@code host:}. Ties are broken by the port in
     * the Host header, then by {@code default_server}.
     */
    public Optional<ServerBlock> serverFor(String serverField, Optional<String> hostField) {
        Optional<Integer> port = hostField.flatMap(NginxConfig::portOf);
        List<ServerBlock> byPrimary = servers.stream().filter(s -> s.primaryName().equals(serverField)).toList();
        List<ServerBlock> candidates = byPrimary.isEmpty()
                ? servers.stream().filter(s -> s.names().contains(serverField)).toList() : byPrimary;
        if (candidates.isEmpty()) {
            String host = hostField.map(h -> h.replaceFirst(":\\d+$", "")).orElse("");
            candidates = servers.stream().filter(s -> s.names().contains(host)).toList();
        }
        if (candidates.isEmpty()) {
            candidates = servers;
        }
        if (port.isPresent()) {
            List<ServerBlock> onPort = candidates.stream().filter(s -> s.ports().contains(port.get())).toList();
            if (!onPort.isEmpty()) {
                candidates = onPort;
            }
        }
        List<ServerBlock> found = candidates;
        return found.stream().filter(s -> port.map(s::isDefaultFor).orElse(false)).findFirst()
                .or(() -> found.stream().findFirst());
    }

    private static Optional<Integer> portOf(String host) {
        Matcher m = Pattern.compile(":(\\d{1,5})$").matcher(host);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /** The location nginx picks for a URI (exact, longest prefix, {@code ^~}, then regexes in order). */
    public static Optional<LocationBlock> locationFor(ServerBlock server, String uri) {
        return find(server.locations(), normalize(uri));
    }

    /** The path of a request line such as {@code GET /cart?x=1 HTTP/1.1}, decoded. */
    public static String uriOf(String requestLine) {
        String[] parts = requestLine.split(" ");
        String target = parts.length >= 2 ? parts[1] : parts.length == 1 ? parts[0] : "/";
        return normalize(target);
    }

    private static String normalize(String target) {
        String t = target;
        int q = t.indexOf('?');
        if (q >= 0) {
            t = t.substring(0, q);
        }
        if (t.startsWith("http://") || t.startsWith("https://")) {
            int slash = t.indexOf('/', t.indexOf("//") + 2);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        try {
            t = URLDecoder.decode(t.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // keep the raw path: nginx would have refused it anyway
        }
        return t.isEmpty() ? "/" : t;
    }

    private static Optional<LocationBlock> find(List<LocationBlock> level, String uri) {
        for (LocationBlock l : level) {
            if (l.kind() == LocationBlock.Kind.EXACT && l.pattern().equals(uri)) {
                return Optional.of(l);
            }
        }
        LocationBlock prefix = null;
        for (LocationBlock l : level) {
            if ((l.kind() == LocationBlock.Kind.PREFIX || l.kind() == LocationBlock.Kind.PREFERRED_PREFIX)
                    && uri.startsWith(l.pattern())
                    && (prefix == null || l.pattern().length() > prefix.pattern().length())) {
                prefix = l;
            }
        }
        LocationBlock chosen = prefix;
        if (prefix != null && !prefix.nested().isEmpty()) {
            Optional<LocationBlock> inner = find(prefix.nested(), uri);
            if (inner.isPresent()) {
                if (inner.get().isRegex() || inner.get().kind() == LocationBlock.Kind.EXACT) {
                    return inner;
                }
                chosen = inner.get();
            }
        }
        if (chosen != null && (chosen.kind() == LocationBlock.Kind.PREFERRED_PREFIX
                || prefix.kind() == LocationBlock.Kind.PREFERRED_PREFIX)) {
            return Optional.of(chosen);
        }
        for (LocationBlock l : level) {
            if (l.isRegex() && l.regexMatches(uri)) {
                return Optional.of(l);
            }
        }
        return Optional.ofNullable(chosen);
    }

    // ---- effective settings -------------------------------------------------------------------------

    /** The directive that applies in a scope (innermost first), as nginx inherits simple directives. */
    public static Optional<Directive> effective(List<Directive> scope, String name) {
        for (Directive block : scope) {
            Optional<Directive> d = block.last(name);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /** For array directives ({@code proxy_set_header}, {@code access_log}…): all of the innermost level that has any. */
    public static List<Directive> effectiveAll(List<Directive> scope, String name) {
        for (Directive block : scope) {
            List<Directive> d = block.all(name);
            if (!d.isEmpty()) {
                return d;
            }
        }
        return List.of();
    }

    /** A time setting with nginx's default when not set, e.g. {@code proxy_read_timeout} → 60s. */
    public static Duration effectiveTime(List<Directive> scope, String name, Duration defaultValue) {
        return effective(scope, name).flatMap(d -> d.arg(0)).flatMap(Units::time).orElse(defaultValue);
    }

    // ---- pass targets ---------------------------------------------------------------------------------

    /** The pass directives of a location (in it, or in its {@code if}/{@code limit_except} blocks). */
    public List<PassTarget> passTargets(LocationBlock location) {
        List<PassTarget> out = new ArrayList<>();
        collectPasses(location.directive(), location, out);
        return out;
    }

    private void collectPasses(Directive block, LocationBlock location, List<PassTarget> out) {
        for (Directive d : block.children()) {
            if (PASS_DIRECTIVES.contains(d.name()) && !d.args().isEmpty()) {
                out.add(resolve(d, location));
            } else if (d.block() && (d.name().equals("if") || d.name().equals("limit_except"))) {
                collectPasses(d, location, out);
            }
        }
    }

    /** Every pass target of every location of every server, with its location. */
    public List<Routed> routes() {
        if (routes == null) {
            routes = computeRoutes();
        }
        return routes;
    }

    private List<Routed> computeRoutes() {
        List<Routed> out = new ArrayList<>();
        for (ServerBlock s : servers) {
            for (LocationBlock l : s.allLocations()) {
                for (PassTarget t : passTargets(l)) {
                    out.add(new Routed(s, l, t));
                }
            }
        }
        return List.copyOf(out);
    }

    /** A pass target with the server and location it is written in. */
    public record Routed(ServerBlock server, LocationBlock location, PassTarget target) {
    }

    PassTarget resolve(Directive pass, LocationBlock location) {
        String module = pass.name().substring(0, pass.name().indexOf('_'));
        String value = pass.args().get(0);
        boolean written = VARIABLE.matcher(hostPart(value)).find();
        Optional<Directive> variable = Optional.empty();
        Matcher vm = VARIABLE.matcher(value);
        if (vm.find()) {
            String name = vm.group(2) != null ? vm.group(2) : vm.group(3);
            Optional<Directive> source = variableSource(name, location);
            if (source.isPresent()) {
                variable = source;
                String replacement = source.get().name().equals("set") ? source.get().arg(1).orElse("")
                        : mapValue(source.get());
                value = value.substring(0, vm.start()) + replacement + value.substring(vm.end());
            }
        }
        String scheme;
        String rest = value;
        int sep = value.indexOf("://");
        if (sep > 0) {
            scheme = value.substring(0, sep).toLowerCase(Locale.ROOT);
            rest = value.substring(sep + 3);
        } else {
            scheme = switch (module) {
                case "proxy" -> "http";
                case "grpc" -> "grpc";
                default -> module;
            };
        }
        String target;
        if (rest.startsWith("unix:")) {
            int end = rest.indexOf(':', 5);
            target = end < 0 ? rest : rest.substring(0, end);
        } else {
            int slash = rest.indexOf('/');
            target = slash < 0 ? rest : rest.substring(0, slash);
        }
        if (VARIABLE.matcher(target).find()) {
            return new PassTarget(pass, module, scheme, target, Optional.empty(), List.of(), variable, true);
        }
        UpstreamBlock upstream = upstreams.get(target);
        if (upstream != null) {
            return new PassTarget(pass, module, scheme, target, Optional.of(upstream), upstream.peers(), variable, false);
        }
        int defaultPort = scheme.equals("https") || scheme.equals("grpcs") ? 443 : 80;
        List<Peer> peers = Endpoint.parse(target, defaultPort).map(Peer::direct).stream().toList();
        // a name behind a variable is resolved per request (with the resolver), not once at start-up
        return new PassTarget(pass, module, scheme, target, Optional.empty(), peers, variable, written);
    }

    private static String hostPart(String value) {
        int sep = value.indexOf("://");
        String rest = sep > 0 ? value.substring(sep + 3) : value;
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** A {@code set $name} in the location, its ifs, enclosing locations or the server; else a {@code map}. */
    private Optional<Directive> variableSource(String name, LocationBlock location) {
        for (Directive block : location.scope()) {
            if (block.name().equals("http")) {
                break;
            }
            Optional<Directive> set = lastSet(block, name);
            if (set.isPresent()) {
                return set;
            }
        }
        return http().flatMap(h -> h.all("map").stream()
                .filter(m -> m.args().size() >= 2 && m.args().get(1).equals("$" + name)).findFirst());
    }

    private static Optional<Directive> lastSet(Directive block, String name) {
        Directive found = null;
        for (Directive d : block.children()) {
            if (d.name().equals("set") && d.args().size() >= 2 && d.args().get(0).equals("$" + name)) {
                found = d;
            } else if (d.block() && d.name().equals("if")) {
                Optional<Directive> inner = lastSet(d, name);
                if (inner.isPresent()) {
                    found = inner.get();
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** The {@code default} value of a map, else its first value: what most requests get. */
    private static String mapValue(Directive map) {
        return map.children().stream().filter(d -> d.name().equals("default")).findFirst()
                .or(() -> map.children().stream().filter(d -> !Set.of("hostnames", "volatile", "include")
                        .contains(d.name())).findFirst())
                .flatMap(d -> d.arg(0)).orElse("");
    }

    // ---- logs -------------------------------------------------------------------------------------------

    /** {@code log_format} definitions by name, with {@code combined} predefined. */
    public Map<String, String> logFormats() {
        Map<String, String> formats = new LinkedHashMap<>();
        formats.put("combined", COMBINED);
        http().ifPresent(h -> h.all("log_format").forEach(d -> {
            List<String> a = d.args();
            if (a.size() >= 2) {
                int from = a.get(1).startsWith("escape=") ? 2 : 1;
                formats.put(a.get(0), String.join("", a.subList(Math.min(from, a.size()), a.size())));
            }
        }));
        return formats;
    }

    /** An access log a server writes to: the absolute path and its format string. */
    public record AccessLog(String path, String formatName, String format, Directive directive) {
    }

    /** The access logs that apply at server level (location-level ones are rare and ignored here). */
    public List<AccessLog> accessLogs(ServerBlock server) {
        List<Directive> ds = effectiveAll(server.scope(), "access_log");
        Map<String, String> formats = logFormats();
        List<AccessLog> out = new ArrayList<>();
        for (Directive d : ds) {
            String p = d.arg(0).orElse("off");
            if (p.equals("off") || p.startsWith("syslog:") || p.contains("$")) {
                continue;
            }
            String fmt = d.arg(1).filter(a -> !a.contains("=")).orElse("combined");
            out.add(new AccessLog(absolute(p), fmt, formats.getOrDefault(fmt, COMBINED), d));
        }
        return out;
    }

    /** The error logs that apply to a server (server, else http, else main level). */
    public List<String> errorLogs(ServerBlock server) {
        List<Directive> scope = new ArrayList<>(server.scope());
        List<Directive> ds = effectiveAll(scope, "error_log");
        if (ds.isEmpty()) {
            ds = main.stream().filter(d -> d.name().equals("error_log")).toList();
        }
        return ds.stream().map(d -> d.arg(0).orElse("")).filter(p -> !p.isEmpty() && !p.startsWith("syslog:")
                && !p.equals("stderr") && !p.startsWith("memory:")).map(this::absolute).toList();
    }

    /** A path as nginx resolves it: relative paths are under the prefix. */
    public String absolute(String path) {
        if (path.startsWith("/") || prefix.isEmpty()) {
            return path;
        }
        return (prefix.endsWith("/") ? prefix : prefix + "/") + path;
    }

    /** Names in pass targets and upstream servers that nginx must resolve (not IP literals). */
    public Set<String> hostnames() {
        Set<String> names = new LinkedHashSet<>();
        for (Routed r : routes()) {
            r.target().peers().stream().map(Peer::endpoint).filter(e -> !e.isUnix() && !e.isIpLiteral())
                    .forEach(e -> names.add(e.bareHost()));
        }
        return names;
    }

    /** Every distinct address the config sends requests to, in order of appearance. */
    public List<Endpoint> endpoints() {
        if (endpoints == null) {
            endpoints = computeEndpoints();
        }
        return endpoints;
    }

    private List<Endpoint> computeEndpoints() {
        Map<String, Endpoint> out = new LinkedHashMap<>();
        for (Routed r : routes()) {
            r.target().peers().forEach(p -> out.putIfAbsent(p.endpoint().key(), p.endpoint()));
        }
        upstreams.values().forEach(u -> u.peers().forEach(p -> out.putIfAbsent(p.endpoint().key(), p.endpoint())));
        return List.copyOf(out.values());
    }

    /**
     * Whether the config sends requests to an address seen in a log: one of its own addresses, or the port of
     * a name it resolves (nginx logs the address a name resolved to). Clients can write lines into the error
     * log, so an address that fails this is not taken as an upstream.
     */
    public boolean leadsTo(Endpoint e) {
        for (Endpoint written : endpoints()) {
            if (written.key().equals(e.key())) {
                return true;
            }
            if (!e.isUnix() && !written.isUnix() && !written.isIpLiteral() && written.port() == e.port()) {
                return true;
            }
        }
        return false;
    }

    /** Pass targets whose peers include an endpoint, best match (same address written in the config) first. */
    public List<Routed> routesTo(Endpoint endpoint) {
        return routes().stream().filter(r -> r.target().hasPeer(endpoint))
                .sorted(Comparator.comparing(r -> r.target().upstream().isPresent()))
                .toList();
    }
}
