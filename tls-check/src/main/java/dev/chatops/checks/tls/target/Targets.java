package dev.chatops.checks.tls.target;

import static java.util.Objects.requireNonNull;

import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.NginxConfig;
import dev.chatops.nginx.config.Peer;
import dev.chatops.nginx.config.ServerBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the tls check looks at, taken from nginx's configuration alone: every certificate a TLS server
 * block serves and every HTTPS address it proxies to. Nothing else the host says adds to it. Paths and
 * addresses that are not plain are left out with a note, never quoted into a command.
 */
public record Targets(List<ServedCert> served, List<UpstreamTls> upstreams, List<String> notes) {

    /** Caps on what one run reads: a config naming more is cut with a note. */
    public static final int MAX_CERTS = 32;
    public static final int MAX_UPSTREAMS = 8;
    private static final int MAX_NOTES = 12;

    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._@:+/-]{1,255}");
    private static final Pattern HOST = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*|\\[[0-9A-Fa-f:.]{2,45}]");
    private static final Pattern NAME = Pattern.compile(
            "[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*");

    public Targets {
        served = List.copyOf(requireNonNull(served, "served is null"));
        upstreams = List.copyOf(requireNonNull(upstreams, "upstreams is null"));
        notes = List.copyOf(requireNonNull(notes, "notes is null"));
    }

    public boolean isEmpty() {
        return served.isEmpty() && upstreams.isEmpty();
    }

    /** The distinct key files, in the order their certificates appear. */
    public List<String> keyPaths() {
        return served.stream().flatMap(s -> s.keyPath().stream()).distinct().toList();
    }

    public static Targets of(List<NginxConfig> configs) {
        Map<String, ServedCert> served = new LinkedHashMap<>();
        Map<String, UpstreamTls> upstreams = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (NginxConfig c : configs) {
            for (ServerBlock s : c.servers()) {
                if (servesTls(s)) {
                    addServed(c, s, served, notes);
                }
            }
            for (NginxConfig.Routed r : c.routes()) {
                if (r.target().module().equals("proxy") && r.target().scheme().equals("https")) {
                    addUpstream(r, upstreams, notes);
                }
            }
        }
        // a config written to be noisy cannot bury the report in notes
        List<String> kept = notes.size() <= MAX_NOTES ? notes : List.copyOf(notes.subList(0, MAX_NOTES));
        if (notes.size() > MAX_NOTES) {
            kept = new ArrayList<>(kept);
            kept.add((notes.size() - MAX_NOTES) + " more directives were not checked for the same reasons");
        }
        return new Targets(List.copyOf(served.values()), List.copyOf(upstreams.values()), kept);
    }

    private static boolean servesTls(ServerBlock s) {
        return s.listens().stream().anyMatch(l -> l.ssl() || l.directive().args().contains("quic"))
                || NginxConfig.effective(s.scope(), "ssl").flatMap(d -> d.arg(0)).filter("on"::equals).isPresent();
    }

    private static void addServed(NginxConfig c, ServerBlock s, Map<String, ServedCert> served, List<String> notes) {
        List<Directive> certs = NginxConfig.effectiveAll(s.scope(), "ssl_certificate");
        List<Directive> keys = NginxConfig.effectiveAll(s.scope(), "ssl_certificate_key");
        if (certs.isEmpty()) {
            notes.add(s.label() + " listens with ssl but names no ssl_certificate: nginx refuses its handshakes");
            return;
        }
        ServedCert.Server server = new ServedCert.Server(s.names(), s.directive(),
                s.directive().all("server_name").stream().findFirst());
        for (int i = 0; i < certs.size(); i++) {
            Directive cert = certs.get(i);
            Optional<Directive> key = i < keys.size() ? Optional.of(keys.get(i)) : Optional.empty();
            Optional<String> certPath = path(c, cert);
            if (certPath.isEmpty()) {
                notes.add(skipped(cert));
                continue;
            }
            Optional<String> keyPath = key.flatMap(k -> path(c, k));
            if (key.isPresent() && keyPath.isEmpty()) {
                notes.add(skipped(key.get()));
            }
            ServedCert known = served.get(certPath.get());
            if (known != null) {
                served.put(certPath.get(), known.with(server));
            } else if (served.size() < MAX_CERTS) {
                served.put(certPath.get(), new ServedCert(certPath.get(), keyPath, cert, key, List.of(server)));
            } else {
                once(notes, "more than " + MAX_CERTS + " certificates are configured; " + certPath.get()
                        + " and later ones were not read");
            }
        }
    }

    private static String skipped(Directive d) {
        String arg = d.arg(0).orElse("");
        if (arg.contains("$")) {
            return d.name() + " at " + d.at() + " is chosen per request (" + sanitize(arg)
                    + "): those files are not checked";
        }
        if (arg.startsWith("data:") || arg.startsWith("engine:")) {
            return d.name() + " at " + d.at() + " is not a file: not checked";
        }
        return d.name() + " at " + d.at() + " names a path with characters this check does not read: not checked";
    }

    /** An nginx path as nginx resolves it (relative to the main config file's directory), if plain. */
    private static Optional<String> path(NginxConfig c, Directive d) {
        Optional<String> arg = d.arg(0);
        if (arg.isEmpty() || arg.get().contains("$") || arg.get().startsWith("data:")) {
            return Optional.empty();
        }
        String p = arg.get();
        if (!p.startsWith("/")) {
            String main = c.mainFile();
            int slash = main.lastIndexOf('/');
            if (slash < 0) {
                return Optional.empty();
            }
            p = main.substring(0, slash + 1) + p;
        }
        return plain(p) ? Optional.of(p) : Optional.empty();
    }

    /** An absolute path of plain characters with nothing for a shell or the file system to resolve. */
    public static boolean plain(String p) {
        return PATH.matcher(p).matches() && !p.contains("//") && !p.contains("/./") && !p.contains("/../")
                && !p.endsWith("/.") && !p.endsWith("/..");
    }

    private static void addUpstream(NginxConfig.Routed r, Map<String, UpstreamTls> upstreams, List<String> notes) {
        List<Directive> scope = r.location().scope();
        boolean sends = on(scope, "proxy_ssl_server_name");
        boolean verifies = on(scope, "proxy_ssl_verify");
        Optional<Directive> nameSetting = NginxConfig.effective(scope, "proxy_ssl_name");
        String host = r.target().target();
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        String name = nameSetting.flatMap(d -> d.arg(0)).filter(n -> !n.equals("$proxy_host")).orElse(host);
        if (r.target().dynamic() || name.contains("$")) {
            notes.add(r.target().directive().text() + " at " + r.target().directive().at()
                    + " is resolved per request: its upstream's certificate is not checked");
            return;
        }
        if (!NAME.matcher(name).matches()) {
            notes.add("the TLS name of " + r.target().directive().at() + " holds characters this check does not "
                    + "send: not checked");
            return;
        }
        for (Peer p : r.target().peers()) {
            if (p.endpoint().isUnix() || !HOST.matcher(p.endpoint().host()).matches()) {
                continue;
            }
            String address = p.endpoint().host() + ":" + p.endpoint().port();
            String key = address + " " + name + " " + sends;
            if (upstreams.containsKey(key)) {
                continue;
            }
            if (upstreams.size() >= MAX_UPSTREAMS) {
                once(notes, "more than " + MAX_UPSTREAMS + " HTTPS upstreams are configured; " + address
                        + " and later ones were not checked");
                return;
            }
            upstreams.put(key, new UpstreamTls(address, name, sends, verifies, r.target().directive(), nameSetting));
        }
    }

    /** A note about a cap, said once however many more there are. */
    private static void once(List<String> notes, String note) {
        String head = note.substring(0, note.indexOf(';'));
        if (notes.stream().noneMatch(n -> n.startsWith(head))) {
            notes.add(note);
        }
    }

        private static boolean on(List<Directive> scope, String name) {
        return NginxConfig.effective(scope, name).flatMap(d -> d.arg(0)).filter("on"::equals).isPresent();
    }

    private static String sanitize(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
